// Package form decodes a submitted form into a struct, validates it, and
// gives templates what they need to show it again with its errors, with
// JavaScript off and on.
//
// An action binds the form and, when it is not valid, fails with it:
//
//	type Signup struct {
//		Name     string `form:"name" validate:"required,max=100"`
//		Email    string `form:"email" validate:"required,email"`
//		Password string `form:"password" validate:"required,min=8,max=72" secret:"true"`
//		Age      int    `form:"age" validate:"required,gte=13,lte=130"`
//	}
//
//	func signup(w http.ResponseWriter, r *http.Request) (any, error) {
//		f, err := form.Bind[Signup](r)
//		if err != nil {
//			return f.Fail(400), nil // the values (never secrets) and an error per field
//		}
//		… f.Data.Email …
//	}
//
// Values that do not parse ("twelve" for an int) are field errors, as are
// the failures of the struct's validate tags, the rules of
// github.com/go-playground/validator/v10, and of its Check method (see
// Checker). Messages are English sentences that name the field; Options
// replace them, for other languages.
//
// The page's Load gives the template the blank form with New, and the
// template shows the form the action failed with, if it is this one, with
// State.Scope:
//
//	{{$f := .Data.Signup.Scope .Form}}
//	{{$f.Summary}}
//	{{with $f.Field "email"}}
//	<label for="{{.ID}}">Email</label>
//	<input {{.Attrs}}>
//	<p id="{{.ErrorID}}" class="field-error">{{.Error}}</p>
//	{{end}}
//
// Field.Attrs writes the input's type, name, id and value, the constraint
// attributes its validate tag implies (required, minlength, maxlength,
// min, max, pattern, type="email"), so the browser checks before it sends,
// and aria-invalid and aria-describedby when the field has an error.
// State.Summary writes the error summary of the GOV.UK design system,
// which the enhanced client focuses after a failure.
package form
