package form

import (
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/formaction/formaction"
)

// IDField is the name of the hidden field that tells apart forms posting to
// the same action (State.Hidden writes it). Without it a form is known by
// the name of its action: "default", or "login" for action="?/login".
const IDField = "_form"

// ErrInvalid is the error Bind returns when a field is not valid; the form
// then holds the errors to show.
var ErrInvalid = errors.New("form: invalid")

// Errors are messages by form name.
type Errors map[string]string

// Options change how BindWith decodes and validates.
type Options struct {
	// Validator runs the validate tags. Nil means the package's own; to
	// add rules, make one with NewValidator.
	Validator *validator.Validate
	// Messages returns the message for a failure, for instance in the
	// language the request asks for, or "" to use English's.
	Messages func(r *http.Request, f Failure) string
}

// Form is a submitted form: its values decoded into Data, and the state
// the page shows when it fails.
type Form[T any] struct {
	*State
	// Data holds the decoded values: those that did not parse are left
	// zero, and have an error.
	Data T
}

// State is what a page shows of one form: the values to fill in again,
// the error of each field, and, through its fields, the constraints the
// type's tags give the browser. It is the data Fail sends, so an enhanced
// client reads result.data.errors.email as the page shows it.
type State struct {
	// ID tells this form from the others on the page: the action's name,
	// or the value of the hidden IDField.
	ID string `json:"id"`
	// Values are what the user sent, by form name: a string, or a list of
	// strings for a field that takes several. Secret fields and files are
	// never in it.
	Values map[string]any `json:"values"`
	// Errors are the messages of the fields that are not valid; a message
	// under "" is about the whole form.
	Errors Errors `json:"errors"`
	// Prefix starts the id of each element the form's fields name, for a
	// page with two forms whose fields share names. Scope keeps it.
	Prefix string `json:"-"`

	plan *plan
}

// Bind decodes the request's form into a T, a struct, and validates it
// with its validate tags and, if T is a Checker, its Check method. When a
// value does not parse or a rule does not hold, the error is ErrInvalid
// and the form has a message for each such field: return f.Fail(400) from
// the action. Any other error comes from reading the request, which a
// formaction page has already done.
//
// Form names come from form tags ("-" leaves a field out), else the field
// names: "address.city" is field city of the struct in field address, and
// "items.0.name" field name of the first element of the slice of structs
// items. Names the struct does not have are ignored, and empty values
// leave fields zero (pointers nil).
//
// T's fields may be strings, bools (a checkbox is true when sent), integers
// and floats of every size, time.Time (from a date input, or the one the
// tag names: form:"starts,datetime-local", ",time", ",month"),
// encoding.TextUnmarshalers, *multipart.FileHeader and
// []*multipart.FileHeader for file inputs, pointers to these for optional
// values, slices of these for repeated names (checkbox groups, multiple
// selects), and structs, pointers to structs and slices of either. Any
// other field type panics: tag it form:"-".
//
// Tags also say how a field shows: secret:"true" keeps its value out of
// State.Values (passwords), and label:"…" names it in messages.
func Bind[T any](r *http.Request) (*Form[T], error) {
	return BindWith[T](r, nil)
}

// BindWith is Bind with options; nil options are Bind's.
func BindWith[T any](r *http.Request, opts *Options) (*Form[T], error) {
	p := planFor(reflect.TypeFor[T]())
	f := &Form[T]{State: &State{plan: p}}
	if r.PostForm == nil {
		if err := r.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			f.ID = formID(r)
			return f, err
		}
	}
	f.ID = formID(r)
	d := decoder{fails: map[string]Failure{}, shown: map[string]any{}}
	var files map[string][]*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File
	}
	d.decode(p, reflect.ValueOf(&f.Data).Elem(), r.PostForm, files)
	f.Values = d.shown

	val := defaultValidator()
	if opts != nil && opts.Validator != nil {
		val = opts.Validator
	}
	if err := validate(val, p, &f.Data, d.fails); err != nil {
		return f, err
	}
	f.Errors = make(Errors, len(d.fails))
	for name, fl := range d.fails {
		msg := ""
		if opts != nil && opts.Messages != nil {
			msg = opts.Messages(r, fl)
		}
		if msg == "" {
			msg = English(fl)
		}
		f.Errors[name] = msg
	}
	if c, ok := any(&f.Data).(Checker); ok {
		for name, msg := range c.Check() {
			if _, ok := f.Errors[name]; !ok {
				f.Errors[name] = msg
			}
		}
	}
	if len(f.Errors) > 0 {
		return f, ErrInvalid
	}
	return f, nil
}

// New returns the state of a form that has not been submitted, filled with
// data: what a page's Load gives its template, so that inputs show their
// values and constraints before the first post. id is the name of the
// action the form posts to ("default" for a page's only action).
//
//	return map[string]any{"rename": form.New("rename", Rename{Name: user.Name})}, nil
func New[T any](id string, data T) *State {
	p := planFor(reflect.TypeFor[T]())
	s := &State{ID: id, Values: map[string]any{}, Errors: Errors{}, plan: p}
	p.encode(reflect.ValueOf(data), "", s.Values)
	return s
}

// Fail returns the action's failure with this state as its data: the page
// renders it, and the enhanced client receives it.
func (s *State) Fail(status int) *formaction.Failure {
	if s.Values == nil {
		s.Values = map[string]any{}
	}
	if s.Errors == nil {
		s.Errors = Errors{}
	}
	return formaction.Fail(status, s)
}

// SetError gives field name the message msg, replacing any it had: for what
// only the action can tell, such as an email already taken. Return
// s.Fail(…) afterwards.
func (s *State) SetError(name, msg string) {
	if s.Errors == nil {
		s.Errors = Errors{}
	}
	s.Errors[name] = msg
}

// Valid reports whether no field has an error.
func (s *State) Valid() bool { return s == nil || len(s.Errors) == 0 }

// Scope returns the state this form shows on a page whose action result is
// result (View.Form): result itself when it is this form's failure, and s
// otherwise, so that with two forms on a page each shows its own values and
// errors only.
//
//	{{$f := .Data.Rename.Scope .Form}}
func (s *State) Scope(result any) *State {
	r, ok := result.(*State)
	if !ok || r == nil || s == nil || r.ID != s.ID {
		return s
	}
	if r.plan == nil {
		r.plan = s.plan
	}
	if r.Prefix == "" {
		r.Prefix = s.Prefix
	}
	return r
}

// formID is the form's ID in a request: the hidden IDField, else the name
// of the action it posts to, as formaction routes it (the first query key
// starting with a slash), else "default".
func formID(r *http.Request) string {
	if id := r.PostForm.Get(IDField); id != "" {
		return id
	}
	for q := range strings.SplitSeq(r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(q, "=")
		if k, err := url.QueryUnescape(k); err == nil && strings.HasPrefix(k, "/") {
			return k[1:]
		}
	}
	return "default"
}
