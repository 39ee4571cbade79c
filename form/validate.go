package form

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// NewValidator returns a validator that names fields by their form tags,
// as Bind's does. Register custom rules on it, before the first request,
// and pass it in Options.Validator:
//
//	v := form.NewValidator()
//	v.RegisterValidation("slug", isSlug)
//	f, err := form.BindWith[Post](r, &form.Options{Validator: v})
//
// Messages need a case for a custom rule; without one it reads
// "<Label> is not valid".
func NewValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(sf reflect.StructField) string {
		name, _, _ := strings.Cut(sf.Tag.Get("form"), ",")
		if name == "" {
			name = sf.Name
		}
		return name
	})
	return v
}

// defaultValidator is built on first use: a validator costs some
// allocation, which a program that never binds a form should not pay.
var defaultValidator = sync.OnceValue(NewValidator)

// Checker is a form with rules across fields, which tags cannot say: a
// confirmation that must match, a date after another. Bind calls Check
// after the tags hold for every field, so Check may rely on them. It
// returns messages by form name; fields that already have an error keep
// that one.
//
//	func (c ChangePassword) Check() form.Errors {
//		if c.Confirm != c.New {
//			return form.Errors{"confirm": "The passwords do not match"}
//		}
//		return nil
//	}
type Checker interface {
	Check() Errors
}

// validate runs the validate tags of v (a pointer to a struct of plan p)
// and adds their failures to fails, skipping fields that already failed
// to parse.
func validate(val *validator.Validate, p *plan, v any, fails map[string]Failure) error {
	err := val.Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err // an InvalidValidationError: a programming error
	}
	for _, fe := range ves {
		name := formName(fe.Namespace())
		f := p.lookup(name)
		if f == nil {
			// A dive rule on an element of repeated names, "interests.1":
			// the form has one name for them all.
			if i := strings.LastIndexByte(name, '.'); i > 0 {
				if sf := p.lookup(name[:i]); sf != nil && sf.slice {
					name, f = name[:i], sf
				}
			}
		}
		if _, ok := fails[name]; ok {
			continue
		}
		if f == nil {
			// A rule on a nested struct itself (required on a struct
			// field), which is no one input: report it under its name.
			fails[name] = Failure{Field: name, Label: defaultLabel(name), Rule: fe.Tag(), Param: fe.Param(), Type: fe.Type()}
			continue
		}
		fails[name] = failure(f, name, fe.Tag(), fe.Param())
	}
	return nil
}

// formName turns a validator namespace, "Signup.items[0].name", into the
// form name "items.0.name".
func formName(ns string) string {
	_, ns, _ = strings.Cut(ns, ".")
	if !strings.Contains(ns, "[") {
		return ns
	}
	var b strings.Builder
	for i := 0; i < len(ns); i++ {
		switch c := ns[i]; c {
		case '[':
			b.WriteByte('.')
		case ']':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
