package formaction_test

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/wire"
)

// postForm submits form to target as a browser does without JavaScript:
// URL-encoded, asking for HTML.
func postForm(target string, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "text/html")
	return r
}

// postEnhanced submits form to target as the client does with JavaScript:
// the same body, asking for an ActionResult.
func postEnhanced(target string, form url.Values) *http.Request {
	r := postForm(target, form)
	r.Header.Set("Accept", "application/json")
	r.Header.Set(wire.HeaderAction, "true")
	return r
}

// show prints the status of a response, the headers named, and its body
// without the final newline.
func show(rec *httptest.ResponseRecorder, headers ...string) {
	fmt.Println(rec.Code)
	for _, h := range headers {
		fmt.Printf("%s: %q\n", h, rec.Header().Get(h))
	}
	if body := strings.TrimSuffix(rec.Body.String(), "\n"); body != "" {
		fmt.Println(body)
	}
}

// A page with two named actions, served over HTTP. The same form posts
// natively, getting the page, and enhanced, getting an ActionResult.
func ExampleApp_Page() {
	tmpl := template.Must(template.New("login").Parse(
		`<h1>Log in</h1>{{with .Form}}<p>{{.}}</p>{{end}}`))

	app := &formaction.App{}
	login, err := app.Page(formaction.Page{
		Actions: formaction.Actions{
			"login": func(w http.ResponseWriter, r *http.Request) (any, error) {
				return "Welcome back, " + r.FormValue("email"), nil
			},
			"register": func(w http.ResponseWriter, r *http.Request) (any, error) {
				return "Welcome, " + r.FormValue("email"), nil
			},
		},
		Render: formaction.Template(tmpl, "login"),
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/login", login) // GET, HEAD and POST
	srv := httptest.NewServer(mux)
	defer srv.Close()

	form := url.Values{"email": {"ada@example.com"}}

	// A native post: <form method="POST" action="?/login">.
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/login?/login", strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	showResponse(http.DefaultClient.Do(req))

	// An enhanced post of <button formaction="?/register">.
	req, err = wire.NewRequest(context.Background(), srv.URL+"/login?/register", form, "")
	if err != nil {
		panic(err)
	}
	showResponse(http.DefaultClient.Do(req))

	// Output:
	// 200 text/html; charset=utf-8
	// <h1>Log in</h1><p>Welcome back, ada@example.com</p>
	// 200 application/json
	// {"type":"success","status":200,"location":"/login","data":"[\"Welcome, ada@example.com\"]"}
}

// showResponse prints the status, content type and body of a response.
func showResponse(res *http.Response, err error) {
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.StatusCode, res.Header.Get("Content-Type"))
	fmt.Println(strings.TrimSuffix(string(body), "\n"))
}

// An action fails when the input is invalid: the page renders again with
// the failure's data and status, and the enhanced client keeps what the
// user typed.
func ExampleFail() {
	tmpl := template.Must(template.New("signup").Parse(
		`{{with .Form}}{{if .missing}}<p>Enter your email.</p>{{end}}{{end}}<input name="email">`))

	app := &formaction.App{}
	signup := app.MustPage(formaction.Page{
		Actions: formaction.Actions{
			"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
				email := strings.TrimSpace(r.FormValue("email"))
				if email == "" {
					return formaction.Fail(400, map[string]any{"email": email, "missing": true}), nil
				}
				return nil, nil
			},
		},
		Render: formaction.Template(tmpl, "signup"),
	})

	rec := httptest.NewRecorder()
	signup.ServeHTTP(rec, postForm("/signup", url.Values{"email": {" "}}))
	show(rec)

	rec = httptest.NewRecorder()
	signup.ServeHTTP(rec, postEnhanced("/signup", url.Values{"email": {" "}}))
	show(rec)

	// Output:
	// 400
	// <p>Enter your email.</p><input name="email">
	// 400
	// {"type":"failure","status":400,"location":"/signup","data":"[{\"email\":1,\"missing\":2},\"\",true]"}
}

// A redirect after a post is a bare 303 for a native post, and a redirect
// result, in a 200, that the client follows for an enhanced one.
func ExampleRedirect() {
	app := &formaction.App{}
	login := app.MustPage(formaction.Page{
		Actions: formaction.Actions{
			"login": func(w http.ResponseWriter, r *http.Request) (any, error) {
				return nil, formaction.Redirect(303, "/account")
			},
		},
		Render: formaction.Template(template.Must(template.New("login").Parse(`<form>…</form>`)), "login"),
	})

	rec := httptest.NewRecorder()
	login.ServeHTTP(rec, postForm("/login?/login", nil))
	show(rec, "Location")

	rec = httptest.NewRecorder()
	login.ServeHTTP(rec, postEnhanced("/login?/login", nil))
	show(rec)

	// Output:
	// 303
	// Location: "/account"
	// 200
	// {"type":"redirect","status":303,"location":"/account"}
}

// Locals carry request-scoped data, such as the signed-in user, from
// middleware to actions and loads. An action can change them, and the
// load that runs after it sees the change.
func ExampleWithLocals() {
	type Locals struct{ User string }

	tmpl := template.Must(template.New("home").Parse(
		`{{with .Data}}Signed in as {{.}}{{else}}Signed out{{end}}`))
	app := &formaction.App{}
	home := app.MustPage(formaction.Page{
		Load: func(r *http.Request) (any, error) {
			return formaction.LocalsOf[Locals](r).User, nil
		},
		Actions: formaction.Actions{
			"logout": func(w http.ResponseWriter, r *http.Request) (any, error) {
				formaction.DeleteCookie(w, r, "user", formaction.CookieOptions{})
				formaction.LocalsOf[Locals](r).User = ""
				return nil, nil
			},
		},
		Render: formaction.Template(tmpl, "home"),
	})

	// The middleware, SvelteKit's handle hook: who is signing in is a
	// plain cookie here, a session looked up in a store in a real app.
	withUser := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			locals := &Locals{}
			if c, err := r.Cookie("user"); err == nil {
				locals.User = c.Value
			}
			next.ServeHTTP(w, formaction.WithLocals(r, locals))
		})
	}
	h := withUser(home)

	get := httptest.NewRequest(http.MethodGet, "/", nil)
	get.AddCookie(&http.Cookie{Name: "user", Value: "ada"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	show(rec)

	logout := postForm("/?/logout", nil)
	logout.AddCookie(&http.Cookie{Name: "user", Value: "ada"})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, logout)
	show(rec)

	// Output:
	// 200
	// Signed in as ada
	// 200
	// Signed out
}

// An action that fails unexpectedly answers with a 500 and a message that
// tells the user nothing of the error, which goes to the log. The headers
// and cookies it set before failing are not sent.
func ExampleApp_handleError() {
	app := &formaction.App{
		Logger: slog.New(slog.DiscardHandler), // the error's details go here
		HandleError: func(r *http.Request, err error) string {
			return "Something went wrong; please try again."
		},
	}
	login := app.MustPage(formaction.Page{
		Actions: formaction.Actions{
			"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
				formaction.SetCookie(w, r, "session", "s3cr3t", formaction.CookieOptions{})
				return nil, errors.New("database is down")
			},
		},
		Render: formaction.Template(template.Must(template.New("login").Parse(`<form>…</form>`)), "login"),
	})

	rec := httptest.NewRecorder()
	login.ServeHTTP(rec, postEnhanced("/login", nil))
	show(rec, "Set-Cookie")

	// Output:
	// 500
	// Set-Cookie: ""
	// {"type":"error","status":500,"location":"/login","error":{"status":500,"message":"Something went wrong; please try again."}}
}

// SafeRedirectTarget lets through only paths on this site, so that a
// crafted ?redirectTo= cannot send a user elsewhere after logging in.
func ExampleSafeRedirectTarget() {
	for _, target := range []string{
		"/account?tab=2",
		"https://evil.example/",
		"//evil.example",
		`/\evil.example`,
		"/\t/evil.example",
		"",
	} {
		fmt.Printf("%q → %s\n", target, formaction.SafeRedirectTarget(target, "/"))
	}

	// Output:
	// "/account?tab=2" → /account?tab=2
	// "https://evil.example/" → /
	// "//evil.example" → /
	// "/\\evil.example" → /
	// "/\t/evil.example" → /
	// "" → /
}
