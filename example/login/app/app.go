// Package app is the demo: the examples of SvelteKit's form actions
// documentation, served by formaction. A login page with named actions,
// a layout widget that posts to it from other pages, a sign-up page and an
// account page built with typed forms (package form), a GET search form,
// and a page whose action returns types JSON cannot carry. Every form
// works without JavaScript.
package app

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

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
	// BcryptCost is the cost of password hashes; bcrypt.DefaultCost when 0.
	BcryptCost int
}

// New returns the demo's handler, with a user alice@example.com whose
// password is "correct horse".
func New(opts Options) http.Handler {
	if opts.BcryptCost == 0 {
		opts.BcryptCost = 10
	}
	d := &demo{store: newStore(opts.BcryptCost)}
	if _, err := d.store.register("alice@example.com", "correct horse"); err != nil {
		panic(err)
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
	return securityHeaders(d.session(mux))
}

type demo struct {
	store *store
}

// session is the handle hook: it reads the sessionid cookie and puts the
// user, if any, in the request's locals before any page runs.
func (d *demo) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		locals := &Locals{}
		if c, err := r.Cookie("sessionid"); err == nil {
			if u, ok := d.store.sessionUser(c.Value); ok {
				locals.User = &u
			}
		}
		next.ServeHTTP(w, formaction.WithLocals(r, locals))
	})
}

// loginForm is the data the login page's actions return: the submitted
// email (never the password) and what went wrong or right.
type loginForm struct {
	Email      string `json:"email"`
	Missing    bool   `json:"missing,omitempty"`
	Incorrect  bool   `json:"incorrect,omitempty"`
	Exists     bool   `json:"exists,omitempty"`
	NoPassword bool   `json:"noPassword,omitempty"`
	Success    bool   `json:"success,omitempty"`
}

func (d *demo) login(w http.ResponseWriter, r *http.Request) (any, error) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	if email == "" {
		return formaction.Fail(400, loginForm{Email: email, Missing: true}), nil
	}
	user, err := d.store.authenticate(email, password)
	if err != nil {
		return formaction.Fail(400, loginForm{Email: email, Incorrect: true}), nil
	}
	d.startSession(w, r, user)
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
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	switch {
	case email == "":
		return formaction.Fail(400, loginForm{Missing: true}), nil
	case password == "":
		return formaction.Fail(400, loginForm{Email: email, NoPassword: true}), nil
	}
	user, err := d.store.register(email, password)
	if err == errExists {
		return formaction.Fail(400, loginForm{Email: email, Exists: true}), nil
	}
	if err != nil {
		return nil, err
	}
	d.startSession(w, r, user)
	return loginForm{Success: true}, nil
}

// startSession sets the session cookie and, since the session hook ran
// before the action, updates the locals the loads will read.
func (d *demo) startSession(w http.ResponseWriter, r *http.Request, user User) {
	formaction.SetCookie(w, r, "sessionid", d.store.newSession(user.Email), formaction.CookieOptions{Path: "/"})
	formaction.LocalsOf[Locals](r).User = &user
}

// logout deletes the cookie and clears the locals: the hook does not run
// again before the loads, which would otherwise still see the user.
func (d *demo) logout(w http.ResponseWriter, r *http.Request) (any, error) {
	if c, err := r.Cookie("sessionid"); err == nil {
		d.store.endSession(c.Value)
	}
	formaction.DeleteCookie(w, r, "sessionid", formaction.CookieOptions{Path: "/"})
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
