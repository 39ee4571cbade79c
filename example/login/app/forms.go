package app

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/form"
)

// Signup is the sign-up form. Its tags say how each input decodes, what it
// must hold (checked by the server, and by the browser through the
// constraint attributes they give the inputs) and how messages name it.
type Signup struct {
	Name      string                `form:"name" validate:"required,max=100"`
	Email     string                `form:"email" validate:"required,max=254,email"`
	Password  string                `form:"password" validate:"required,min=8,max=72" secret:"true"`
	Age       int                   `form:"age" validate:"required,gte=13,lte=130"`
	Birthday  time.Time             `form:"birthday" validate:"required,lte" label:"Date of birth"`
	Plan      string                `form:"plan" validate:"required,oneof=free pro"`
	Interests []string              `form:"interests" validate:"dive,oneof=go svelte htmx"`
	Terms     bool                  `form:"terms" validate:"required" label:"You accept the terms"`
	Avatar    *multipart.FileHeader `form:"avatar"`
}

// maxAvatar is the largest avatar the sign-up form takes.
const maxAvatar = 1 << 20

// Check holds the rules tags cannot say: bcrypt reads at most 72 bytes of
// a password (max=72 counts characters), and an avatar must be an image
// of at most 1 MB.
func (s Signup) Check() form.Errors {
	errs := form.Errors{}
	if len(s.Password) > 72 {
		errs["password"] = "Password must be at most 72 bytes: use fewer accented letters or symbols"
	}
	if msg := checkImage(s.Avatar); msg != "" {
		errs["avatar"] = msg
	}
	return errs
}

// checkImage says what is wrong with an uploaded avatar, if anything: its
// size, or content that is not an image whatever its name says.
func checkImage(fh *multipart.FileHeader) string {
	if fh == nil {
		return ""
	}
	if fh.Size > maxAvatar {
		return "The avatar must be 1 MB or smaller"
	}
	f, err := fh.Open()
	if err != nil {
		return "The avatar could not be read: choose it again"
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if !strings.HasPrefix(http.DetectContentType(head[:n]), "image/") {
		return "The avatar must be an image, such as a PNG or JPEG"
	}
	return ""
}

// notice is what an action that succeeded says, by form: the templates
// read it with the notice function.
type notice map[string]string

func noticeOf(result any, key string) string {
	n, _ := result.(notice)
	return n[key]
}

func signupData(*http.Request) (any, error) {
	return struct{ Form *form.State }{form.New("default", Signup{Plan: "free"})}, nil
}

func (d *demo) signup(w http.ResponseWriter, r *http.Request) (any, error) {
	f, err := form.Bind[Signup](r)
	if errors.Is(err, form.ErrInvalid) {
		// An email too long to be anyone's is not filled in again: the
		// answer would carry all of it, megabytes perhaps.
		if len(f.Data.Email) > maxEmail {
			delete(f.Values, "email")
		}
		return f.Fail(400), nil
	}
	if err != nil {
		return nil, err
	}
	s := f.Data
	user, err := d.store.create(r.Context(), s.Name, s.Email, s.Password)
	if err == errExists {
		f.SetError("email", "An account with this email already exists: log in instead")
		return f.Fail(400), nil
	}
	if err != nil {
		return nil, err
	}
	if err := d.startSession(w, r, user); err != nil {
		return nil, err
	}
	return notice{"welcome": "Welcome, " + user.Name}, nil
}

// Rename and ChangePassword are the account page's two forms. Each posts
// to its own action, whose name is the form's ID: a failure of one shows
// in that form only.
type Rename struct {
	Name string `form:"name" validate:"required,max=100"`
}

type ChangePassword struct {
	Current string `form:"current_password" validate:"required,max=72" secret:"true" label:"Current password"`
	New     string `form:"new_password" validate:"required,min=8,max=72" secret:"true" label:"New password"`
	Confirm string `form:"confirm_password" validate:"required" secret:"true" label:"Confirmation"`
}

func (c ChangePassword) Check() form.Errors {
	errs := form.Errors{}
	if len(c.New) > 72 {
		errs["new_password"] = "New password must be at most 72 bytes: use fewer accented letters or symbols"
	}
	if c.Confirm != "" && c.Confirm != c.New {
		errs["confirm_password"] = "The passwords do not match"
	}
	return errs
}

// accountPage is what the account page shows a signed-in user: who they
// are and their two forms, filled with what they have now.
type accountPage struct {
	User     *User
	Rename   *form.State
	Password *form.State
}

func (d *demo) account(r *http.Request) (any, error) {
	u := formaction.LocalsOf[Locals](r).User
	if u == nil {
		return accountPage{}, nil
	}
	return accountPage{
		User:     u,
		Rename:   form.New("rename", Rename{Name: u.Name}),
		Password: form.New("password", ChangePassword{}),
	}, nil
}

// signedIn returns the signed-in user, or the redirect to the login page
// that an action answers without one.
func signedIn(r *http.Request) (*User, error) {
	if u := formaction.LocalsOf[Locals](r).User; u != nil {
		return u, nil
	}
	return nil, formaction.Redirect(303, "/login?redirectTo=/account")
}

func (d *demo) rename(w http.ResponseWriter, r *http.Request) (any, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	f, err := form.Bind[Rename](r)
	if errors.Is(err, form.ErrInvalid) {
		return f.Fail(400), nil
	}
	if err != nil {
		return nil, err
	}
	if err := d.store.rename(r.Context(), u.Email, f.Data.Name); err != nil {
		return nil, err
	}
	u.Name = f.Data.Name // the layout, loaded after the action, shows it
	return notice{"rename": "Your name is now " + f.Data.Name}, nil
}

func (d *demo) changePassword(w http.ResponseWriter, r *http.Request) (any, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	f, err := form.Bind[ChangePassword](r)
	if errors.Is(err, form.ErrInvalid) {
		return f.Fail(400), nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := d.store.authenticate(r.Context(), u.Email, f.Data.Current); err == errCredentials {
		f.SetError("current_password", "Your current password is not right")
		return f.Fail(400), nil
	} else if err != nil {
		return nil, err
	}
	var current string // the session to keep: this one
	if c, err := r.Cookie(sessionCookie); err == nil {
		current = c.Value
	}
	if err := d.store.setPassword(r.Context(), u.Email, f.Data.New, current); err != nil {
		return nil, err
	}
	return notice{"password": "Your password has been changed"}, nil
}
