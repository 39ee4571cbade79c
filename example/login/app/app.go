// Package app is the demo: the examples of SvelteKit's form actions
// documentation, served by formaction. A login page with named actions,
// a layout widget that posts to it from other pages, a sign-up page and an
// account page built with typed forms (package form), a GET search form,
// and a page whose action returns types JSON cannot carry. Every form
// works without JavaScript.
package app

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/formaction/formaction"
)

//go:embed templates static
var files embed.FS

// Locals are the request-scoped data the session middleware sets.
type Locals struct {
	User *User
}

// LayoutData is what every page's layout shows.
type LayoutData struct {
	User *User
}

// Options configure the demo.
type Options struct {
	// DB keeps the users and sessions (see OpenDB). New creates the
	// tables it lacks.
	DB *sql.DB
	// BcryptCost is the cost of password hashes; bcrypt.DefaultCost when 0.
	BcryptCost int
	// Now is the clock sessions expire by; time.Now when nil.
	Now func() time.Time
}

// New returns the demo's handler, with a user alice@example.com whose
// password is "correct horse" unless the database has her already.
func New(opts Options) (http.Handler, error) {
	if opts.DB == nil {
		return nil, errors.New("app: Options.DB is nil")
	}
	if opts.BcryptCost == 0 {
		opts.BcryptCost = 10
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ctx := context.Background()
	st, err := newStore(ctx, opts.DB, opts.BcryptCost, opts.Now)
	if err != nil {
		return nil, err
	}
	d := &demo{store: st}
	if ok, err := st.exists(ctx, "alice@example.com"); err != nil {
		return nil, err
	} else if !ok {
		if _, err := st.register(ctx, "alice@example.com", "correct horse"); err != nil && err != errExists {
			return nil, err
		}
	}

	layout := template.Must(template.New("layout.html").Funcs(template.FuncMap{"notice": noticeOf}).ParseFS(files, "templates/layout.html"))
	view := func(name string) formaction.Renderer {
		t := template.Must(template.Must(layout.Clone()).ParseFS(files, "templates/"+name+".html"))
		return formaction.Template(t, "layout")
	}
	app := &formaction.App{
		ErrorPage: view("error"),
		Layout: func(r *http.Request) (any, error) {
			return LayoutData{User: formaction.LocalsOf[Locals](r).User}, nil
		},
	}

	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	static, _ := fs.Sub(files, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.Handle("/{$}", app.MustPage(formaction.Page{Render: view("home")}))
	mux.Handle("/login", app.MustPage(formaction.Page{
		Load:    loginData,
		Actions: formaction.Actions{"login": d.login, "register": d.register},
		Render:  view("login"),
	}))
	mux.Handle("/signup", app.MustPage(formaction.Page{
		Load:    signupData,
		Actions: formaction.Actions{"default": d.signup},
		Render:  view("signup"),
	}))
	mux.Handle("/account", app.MustPage(formaction.Page{
		Load:    d.account,
		Actions: formaction.Actions{"logout": d.logout, "rename": d.rename, "password": d.changePassword},
		Render:  view("account"),
	}))
	mux.Handle("/search", app.MustPage(formaction.Page{Load: search, Render: view("search")}))
	mux.Handle("/types", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"default": types},
		Render:  view("types"),
	}))
	mux.Handle("/", app.MustPage(formaction.Page{
		Load:   func(*http.Request) (any, error) { return nil, formaction.Error(404, "Not Found") },
		Render: view("home"),
	}))
	return securityHeaders(d.session(mux)), nil
}

type demo struct {
	store *store
}

// sessionCookie is the session cookie's name; it lives as long as the
// session, and is renewed with it.
const sessionCookie = "sessionid"

var sessionCookieOptions = formaction.CookieOptions{Path: "/", MaxAge: int(sessionLifetime / time.Second)}

// session is the handle hook: it reads the sessionid cookie and puts the
// user, if any, in the request's locals before any page runs. An expired
// or unknown session is no user.
func (d *demo) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		locals := &Locals{}
		if c, err := r.Cookie(sessionCookie); err == nil {
			u, renewed, ok, err := d.store.sessionUser(r.Context(), c.Value)
			if err != nil {
				log.Printf("session: %v", err)
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			if ok {
				locals.User = &u
			}
			if renewed {
				formaction.SetCookie(w, r, sessionCookie, c.Value, sessionCookieOptions)
			}
		}
		next.ServeHTTP(w, formaction.WithLocals(r, locals))
	})
}

// loginForm is the data the login page's actions return: the submitted
// email (never the password) and what went wrong or right.
type loginForm struct {
	Email        string `json:"email"`
	Missing      bool   `json:"missing,omitempty"`
	Incorrect    bool   `json:"incorrect,omitempty"`
	Exists       bool   `json:"exists,omitempty"`
	NoPassword   bool   `json:"noPassword,omitempty"`
	LongEmail    bool   `json:"longEmail,omitempty"`
	LongPassword bool   `json:"longPassword,omitempty"`
	Success      bool   `json:"success,omitempty"`
}

// No address is longer than 254 characters (RFC 5321's path limit), and
// bcrypt reads at most 72 bytes of a password, refusing longer ones.
const (
	maxEmail    = 254
	maxPassword = 72
)

// credentials reads the login form's email and password. A failure is
// returned when either is too long, checked before anything else is done
// with them: an email of megabytes is never trimmed, looked up or sent
// back, and a long password never reaches bcrypt.
func credentials(r *http.Request) (email, password string, fail *formaction.Failure) {
	email, password = r.PostFormValue("email"), r.PostFormValue("password")
	if len(email) > maxEmail {
		return "", "", formaction.Fail(400, loginForm{LongEmail: true})
	}
	email = strings.TrimSpace(email)
	if len(password) > maxPassword {
		return "", "", formaction.Fail(400, loginForm{Email: email, LongPassword: true})
	}
	return email, password, nil
}

func (d *demo) login(w http.ResponseWriter, r *http.Request) (any, error) {
	email, password, fail := credentials(r)
	if fail != nil {
		return fail, nil
	}
	if email == "" {
		return formaction.Fail(400, loginForm{Email: email, Missing: true}), nil
	}
	user, err := d.store.authenticate(r.Context(), email, password)
	if err == errCredentials {
		return formaction.Fail(400, loginForm{Email: email, Incorrect: true}), nil
	}
	if err != nil {
		return nil, err
	}
	if err := d.startSession(w, r, user); err != nil {
		return nil, err
	}
	if to := r.URL.Query().Get("redirectTo"); to != "" {
		return nil, formaction.Redirect(303, formaction.SafeRedirectTarget(to, "/"))
	}
	return loginForm{Success: true}, nil
}

// loginData keeps ?redirectTo in the form's action, which would otherwise
// replace the page's query with ?/login.
func loginData(r *http.Request) (any, error) {
	action := "?/login"
	if to := r.URL.Query().Get("redirectTo"); to != "" {
		action += "&redirectTo=" + url.QueryEscape(to)
	}
	return struct{ Action string }{action}, nil
}

func (d *demo) register(w http.ResponseWriter, r *http.Request) (any, error) {
	email, password, fail := credentials(r)
	if fail != nil {
		return fail, nil
	}
	switch {
	case email == "":
		return formaction.Fail(400, loginForm{Missing: true}), nil
	case password == "":
		return formaction.Fail(400, loginForm{Email: email, NoPassword: true}), nil
	}
	user, err := d.store.register(r.Context(), email, password)
	if err == errExists {
		return formaction.Fail(400, loginForm{Email: email, Exists: true}), nil
	}
	if err != nil {
		return nil, err
	}
	if err := d.startSession(w, r, user); err != nil {
		return nil, err
	}
	return loginForm{Success: true}, nil
}

// startSession replaces the browser's session, if it had one, with a new
// one for user: an id someone planted in the browser before the login
// (session fixation) never becomes a signed-in session. Since the session
// hook ran before the action, it also updates the locals the loads read.
func (d *demo) startSession(w http.ResponseWriter, r *http.Request, user User) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := d.store.endSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	id, err := d.store.newSession(r.Context(), user.Email)
	if err != nil {
		return err
	}
	formaction.SetCookie(w, r, sessionCookie, id, sessionCookieOptions)
	formaction.LocalsOf[Locals](r).User = &user
	return nil
}

// logout deletes the session in the database (a copy of the cookie is
// then worth nothing), deletes the cookie and clears the locals: the hook
// does not run again before the loads, which would otherwise still see
// the user.
func (d *demo) logout(w http.ResponseWriter, r *http.Request) (any, error) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := d.store.endSession(r.Context(), c.Value); err != nil {
			return nil, err
		}
	}
	formaction.DeleteCookie(w, r, sessionCookie, sessionCookieOptions)
	formaction.LocalsOf[Locals](r).User = nil
	return nil, nil
}

func search(r *http.Request) (any, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	return struct {
		Query   string
		Results []string
	}{q, searchDocs(q)}, nil
}

// headings are what the search page searches: the sections of SvelteKit's
// form actions documentation.
var headings = []string{
	"Default actions", "Named actions", "Anatomy of an action", "Validation errors",
	"Redirects", "Loading data", "Progressive enhancement", "use:enhance",
	"Customising use:enhance", "Custom event listener", "Alternatives", "GET vs POST",
}

// searchDocs returns the headings that contain q, ignoring case; none for
// an empty query.
func searchDocs(q string) []string {
	q = strings.ToLower(q)
	if q == "" {
		return nil
	}
	var out []string
	for _, h := range headings {
		if strings.Contains(strings.ToLower(h), q) {
			out = append(out, h)
		}
	}
	return out
}
