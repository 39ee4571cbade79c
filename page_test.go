package formaction_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/internal/oracle"
	"github.com/formaction/formaction/wire"
)

// page renders the view as plain text lines, so tests can see what the
// template saw.
var page = formaction.RenderFunc(func(_ context.Context, w io.Writer, v *formaction.View) error {
	fmt.Fprintf(w, "page status=%d data=%v form=%v layout=%v", v.Status, v.Data, v.Form, v.Layout)
	return nil
})

var errorPage = formaction.RenderFunc(func(_ context.Context, w io.Writer, v *formaction.View) error {
	fmt.Fprintf(w, "error page status=%d message=%s", v.Error.Status, v.Error.Message)
	return nil
})

// fixture is a test server with one page, /login, whose named actions
// cover every outcome, plus pages without actions and with a default one.
type fixture struct {
	url     string
	log     *bytes.Buffer
	handled atomic.Int32 // calls of App.HandleError
	loads   atomic.Int32
}

func newFixture(t *testing.T, configure ...func(*formaction.App)) *fixture {
	t.Helper()
	f := &fixture{log: &bytes.Buffer{}}
	app := &formaction.App{
		ErrorPage: errorPage,
		Logger:    slog.New(slog.NewTextHandler(f.log, nil)),
		HandleError: func(r *http.Request, err error) string {
			f.handled.Add(1)
			return "" // keep the default message
		},
		Layout: func(r *http.Request) (any, error) { return "layout-data", nil },
	}
	for _, c := range configure {
		c(app)
	}
	load := func(r *http.Request) (any, error) {
		f.loads.Add(1)
		return "load-data", nil
	}
	actions := formaction.Actions{
		"data": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return map[string]any{"success": true, "email": r.FormValue("email")}, nil
		},
		"nothing": func(w http.ResponseWriter, r *http.Request) (any, error) { return nil, nil },
		"fail": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return formaction.Fail(400, map[string]any{"email": r.FormValue("email"), "missing": true}), nil
		},
		"redirect": func(w http.ResponseWriter, r *http.Request) (any, error) {
			formaction.SetCookie(w, r, "flash", "moved", formaction.CookieOptions{})
			w.Header().Set("X-Action", "ran")
			return nil, formaction.Redirect(303, "/x")
		},
		"found": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return nil, formaction.Redirect(302, "/elsewhere")
		},
		"expected": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return nil, formaction.Error(404, "msg")
		},
		"badgateway": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return nil, formaction.Error(502, "something went wrong")
		},
		"unexpected": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return nil, errors.New("database password is hunter2")
		},
		"panic": func(w http.ResponseWriter, r *http.Request) (any, error) {
			panic("secret panic detail")
		},
		"cookie": func(w http.ResponseWriter, r *http.Request) (any, error) {
			formaction.SetCookie(w, r, "sessionid", "abc", formaction.CookieOptions{})
			w.Header().Set("X-Action", "ran")
			return map[string]any{"ok": true}, nil
		},
		"unserializable": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return map[string]any{"f": func() {}}, nil
		},
		"writes": func(w http.ResponseWriter, r *http.Request) (any, error) {
			io.WriteString(w, "oops")
			return nil, nil
		},
		"file": func(w http.ResponseWriter, r *http.Request) (any, error) {
			_, fh, err := r.FormFile("upload")
			if err != nil {
				return nil, err
			}
			return map[string]any{"name": fh.Filename, "size": fh.Size}, nil
		},
	}
	mux := http.NewServeMux()
	mux.Handle("/login", app.MustPage(formaction.Page{Load: load, Actions: actions, Render: page}))
	mux.Handle("/static", app.MustPage(formaction.Page{Load: load, Render: page}))
	mux.Handle("/single", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"default": actions["data"]},
		Render:  page,
	}))
	mux.Handle("/api", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"default": actions["data"]},
		Render:  page,
		Endpoint: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"endpoint":true}`)
		}),
	}))
	mux.Handle("/own-errors", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"default": actions["badgateway"]},
		Render:  page,
		ErrorPage: formaction.RenderFunc(func(_ context.Context, w io.Writer, v *formaction.View) error {
			fmt.Fprintf(w, "page-level error page: %s", v.Error.Message)
			return nil
		}),
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

// request describes one HTTP request to the fixture.
type request struct {
	method, path string
	enhanced     bool   // Accept: application/json and X-Sveltekit-Action, as the client sends
	render       bool   // X-Formaction-Render: true
	contentType  string // default: urlencoded for POST
	body         string
	header       map[string]string
}

type response struct {
	status int
	header http.Header
	body   string
}

// noRedirects sees 3xx responses as they are.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (f *fixture) do(t *testing.T, rq request) response {
	t.Helper()
	if rq.method == "" {
		rq.method = "POST"
	}
	req, err := http.NewRequest(rq.method, f.url+rq.path, strings.NewReader(rq.body))
	if err != nil {
		t.Fatal(err)
	}
	if rq.method == "POST" && rq.contentType == "" {
		rq.contentType = "application/x-www-form-urlencoded"
	}
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	if rq.enhanced {
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-Sveltekit-Action", "true")
	}
	if rq.render {
		req.Header.Set("X-Formaction-Render", "true")
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(body)}
}

// stringify is npm devalue's output for a JavaScript expression.
func stringify(t *testing.T, expr string) string {
	t.Helper()
	s, err := oracle.Stringify("devalue", expr)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// envelope builds the expected JSON of an ActionResult, keys in the wire
// order.
func envelope(t *testing.T, r wire.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// errResult is an error envelope without html, as SvelteKit 3 and 2 read
// it: the status at the top and inside "error".
func errResult(location string, status int, message string) wire.Result {
	return wire.Result{Type: "error", Status: status, Location: location, Error: &wire.ErrorBody{Status: status, Message: message}}
}

// The rows of the wire table (README), for enhanced requests.
func TestEnhancedResults(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		path   string
		body   string
		ctype  string
		status int
		want   wire.Result
	}{
		{"data", "/login?/data", "email=a%40b.c", "", 200, wire.Result{Type: "success", Status: 200, Location: "/login",
			Data: stringify(t, `{email: "a@b.c", success: true}`)}},
		{"nothing", "/login?/nothing", "", "", 200, wire.Result{Type: "success", Status: 204, Location: "/login"}},
		{"fail", "/login?/fail&redirectTo=%2Fdashboard", "email=a%40b.c", "", 400, wire.Result{Type: "failure", Status: 400,
			Location: "/login?redirectTo=%2Fdashboard", Data: stringify(t, `{email: "a@b.c", missing: true}`)}},
		{"redirect", "/login?/redirect", "", "", 200, wire.Result{Type: "redirect", Status: 303, Location: "/x"}},
		{"expected error", "/login?/expected", "", "", 404, errResult("/login", 404, "msg")},
		{"unexpected error", "/login?/unexpected", "", "", 500, errResult("/login", 500, "Internal Error")},
		{"panic", "/login?/panic", "", "", 500, errResult("/login", 500, "Internal Error")},
		{"unserializable", "/login?/unserializable", "", "", 500, errResult("/login", 500, "Internal Error")},
		{"action writes the body", "/login?/writes", "", "", 500, errResult("/login", 500, "Internal Error")},
		{"unknown action", "/login?/doesnt-exist", "", "", 404, errResult("/login", 404, "No action with name 'doesnt-exist' found")},
		{"prototype key", "/login?/toString", "", "", 404, errResult("/login", 404, "No action with name 'toString' found")},
		{"__proto__", "/login?/__proto__", "", "", 404, errResult("/login", 404, "No action with name '__proto__' found")},
		{"empty name", "/login?/", "", "", 404, errResult("/login", 404, "No action with name '' found")},
		{"no name on a named page", "/login", "", "", 404, errResult("/login", 404, "No action with name 'default' found")},
		{"reserved default", "/single?/default", "", "", 400, errResult("/single", 400, `Cannot use reserved action name "default"`)},
		{"json body", "/login?/data", `{"email":"a"}`, "application/json", 415, errResult("/login", 415, "Form actions expect form-encoded data — received application/json")},
		{"text/plain body", "/login?/data", "email=a", "text/plain", 415, errResult("/login", 415, "Form actions expect form-encoded data — received text/plain")},
		{"no actions", "/static", "", "", 405, errResult("/static", 405, "POST method not allowed. No form actions exist for this page")},
		{"malformed body", "/login?/data", "email=%zz", "", 400, errResult("/login", 400, `The form data is malformed: invalid URL escape "%zz"`)},
		{"default action", "/single", "email=x", "", 200, wire.Result{Type: "success", Status: 200, Location: "/single",
			Data: stringify(t, `{email: "x", success: true}`)}},
		{"value of the name key is ignored", "/login?x=1&/nothing=zzz&/data", "", "", 200, wire.Result{Type: "success",
			Status: 204, Location: "/login?x=1&/data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, request{path: tt.path, body: tt.body, contentType: tt.ctype, enhanced: true})
			if res.status != tt.status {
				t.Errorf("HTTP status %d, want %d", res.status, tt.status)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			if want := envelope(t, tt.want); res.body != want {
				t.Errorf("body\n got %s\nwant %s", res.body, want)
			}
		})
	}
	if n := f.handled.Load(); n != 4 {
		t.Errorf("HandleError ran %d times, want 4 (unexpected, panic, unserializable, writes)", n)
	}
	for _, secret := range []string{"hunter2", "secret panic detail"} {
		if !strings.Contains(f.log.String(), secret) {
			t.Errorf("the log lacks the error detail %q:\n%s", secret, f.log.String())
		}
	}
}

// The details of an unexpected error reach the log, never the user.
func TestUnexpectedErrorDetailsStayInTheLog(t *testing.T) {
	f := newFixture(t)
	for _, enhanced := range []bool{false, true} {
		for _, path := range []string{"/login?/unexpected", "/login?/panic"} {
			res := f.do(t, request{path: path, enhanced: enhanced, render: true})
			if strings.Contains(res.body, "hunter2") || strings.Contains(res.body, "secret panic") {
				t.Errorf("%s (enhanced=%v) shows the error's details: %s", path, enhanced, res.body)
			}
		}
	}
}

// Native posts get the page rendered with the result, or a bare redirect.
func TestNativeResults(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		path   string
		body   string
		ctype  string
		status int
		want   string
	}{
		{"data", "/login?/data", "email=a%40b.c", "", 200, "page status=200 data=load-data form=map[email:a@b.c success:true] layout=layout-data"},
		{"nothing", "/login?/nothing", "", "", 200, "page status=200 data=load-data form=<nil> layout=layout-data"},
		{"fail", "/login?/fail", "email=a%40b.c", "", 400, "page status=400 data=load-data form=map[email:a@b.c missing:true] layout=layout-data"},
		{"expected error", "/login?/expected", "", "", 404, "error page status=404 message=msg"},
		{"unexpected error", "/login?/unexpected", "", "", 500, "error page status=500 message=Internal Error"},
		{"panic", "/login?/panic", "", "", 500, "error page status=500 message=Internal Error"},
		{"unknown action", "/login?/nope", "", "", 404, "error page status=404 message=No action with name 'nope' found"},
		{"json body", "/login?/data", "{}", "application/json", 415, "error page status=415 message=Form actions expect form-encoded data — received application/json"},
		{"missing content type", "/login?/data", "", "-", 415, "error page status=415 message=Form actions expect form-encoded data — received no Content-Type"},
		{"no actions", "/static", "", "", 405, "error page status=405 message=POST method not allowed. No form actions exist for this page"},
		{"page-level error page", "/own-errors", "", "", 502, "page-level error page: something went wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rq := request{path: tt.path, body: tt.body, contentType: tt.ctype}
			if tt.ctype == "-" {
				rq.contentType, rq.method = "", "POST"
				rq.header = map[string]string{"Content-Type": ""}
			}
			res := f.do(t, rq)
			if res.status != tt.status {
				t.Errorf("HTTP status %d, want %d", res.status, tt.status)
			}
			if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q, want text/html; charset=utf-8", ct)
			}
			if res.body != tt.want {
				t.Errorf("body\n got %s\nwant %s", res.body, tt.want)
			}
		})
	}
}

// A page without actions answers 405 with Allow, in both modes; other
// methods are 405 too; OPTIONS is 204 with Allow; GET never runs an action.
func TestMethods(t *testing.T) {
	f := newFixture(t)
	for _, enhanced := range []bool{false, true} {
		res := f.do(t, request{path: "/static", enhanced: enhanced})
		if res.status != 405 || res.header.Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("POST to a page without actions (enhanced=%v): %d, Allow %q", enhanced, res.status, res.header.Get("Allow"))
		}
	}
	for _, m := range []string{"PUT", "PATCH", "DELETE"} {
		res := f.do(t, request{method: m, path: "/login?/data"})
		if res.status != 405 || res.header.Get("Allow") != "GET, HEAD, OPTIONS, POST" {
			t.Errorf("%s: %d, Allow %q; want 405 and GET, HEAD, OPTIONS, POST", m, res.status, res.header.Get("Allow"))
		}
		if !strings.Contains(res.body, m+" method not allowed") {
			t.Errorf("%s: body %q", m, res.body)
		}
	}
	res := f.do(t, request{method: "OPTIONS", path: "/login"})
	if res.status != 204 || res.body != "" || res.header.Get("Allow") != "GET, HEAD, OPTIONS, POST" {
		t.Errorf("OPTIONS: %d, body %q, Allow %q", res.status, res.body, res.header.Get("Allow"))
	}
	loads := f.loads.Load()
	res = f.do(t, request{method: "GET", path: "/login?/panic"})
	if res.status != 200 || res.body != "page status=200 data=load-data form=<nil> layout=layout-data" {
		t.Errorf("GET ?/panic: %d %q; GET must render the page without running the action", res.status, res.body)
	}
	if f.loads.Load() != loads+1 {
		t.Errorf("GET ran the load %d times, want 1", f.loads.Load()-loads)
	}
	res = f.do(t, request{method: "HEAD", path: "/login"})
	if res.status != 200 || res.body != "" {
		t.Errorf("HEAD: %d %q", res.status, res.body)
	}
}

// Redirects: a bare 3xx with Location natively, a redirect result when
// enhanced; cookies and headers the action set are in both.
func TestRedirects(t *testing.T) {
	f := newFixture(t)
	for _, enhanced := range []bool{false, true} {
		res := f.do(t, request{path: "/login?/redirect", enhanced: enhanced})
		if enhanced {
			want := envelope(t, wire.Result{Type: "redirect", Status: 303, Location: "/x"})
			if res.status != 200 || res.body != want {
				t.Errorf("enhanced: %d %s, want 200 %s", res.status, res.body, want)
			}
		} else if res.status != 303 || res.header.Get("Location") != "/x" || res.body != "" {
			t.Errorf("native: %d Location %q body %q, want a bare 303 to /x", res.status, res.header.Get("Location"), res.body)
		}
		if !strings.Contains(res.header.Get("Set-Cookie"), "flash=moved") || res.header.Get("X-Action") != "ran" {
			t.Errorf("enhanced=%v: the action's cookie and header are missing: %v", enhanced, res.header)
		}
	}
	res := f.do(t, request{path: "/login?/found"})
	if res.status != 302 || res.header.Get("Location") != "/elsewhere" {
		t.Errorf("302: %d %q", res.status, res.header.Get("Location"))
	}
}

// Cookies and headers set by an action reach the browser on every path.
func TestActionCookiesAndHeaders(t *testing.T) {
	f := newFixture(t)
	for _, rq := range []request{
		{path: "/login?/cookie"},
		{path: "/login?/cookie", enhanced: true},
		{path: "/login?/cookie", enhanced: true, render: true},
	} {
		res := f.do(t, rq)
		c := res.header.Get("Set-Cookie")
		for _, attr := range []string{"sessionid=abc", "Path=/", "HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(c, attr) {
				t.Errorf("%+v: Set-Cookie %q lacks %s", rq, c, attr)
			}
		}
		// The test server is http://127.0.0.1: no Secure, or the browser
		// would drop the cookie.
		if strings.Contains(c, "Secure") {
			t.Errorf("Set-Cookie %q is Secure on plain http://127.0.0.1", c)
		}
		if res.header.Get("X-Action") != "ran" {
			t.Errorf("%+v: X-Action header missing", rq)
		}
	}
}

// An action that fails unexpectedly sends none of the headers and cookies
// it set; an expected answer (data, Fail, Redirect, Error) sends them all.
func TestUnexpectedFailuresDropTheActionsHeaders(t *testing.T) {
	setThen := func(result func() (any, error)) formaction.Action {
		return func(w http.ResponseWriter, r *http.Request) (any, error) {
			formaction.SetCookie(w, r, "sessionid", "abc", formaction.CookieOptions{})
			w.Header().Set("X-Action", "ran")
			return result()
		}
	}
	app := &formaction.App{ErrorPage: errorPage, Logger: slog.New(slog.DiscardHandler)}
	h := app.MustPage(formaction.Page{Render: page, Actions: formaction.Actions{
		"data":           setThen(func() (any, error) { return "ok", nil }),
		"fail":           setThen(func() (any, error) { return formaction.Fail(400, "no"), nil }),
		"redirect":       setThen(func() (any, error) { return nil, formaction.Redirect(303, "/x") }),
		"expected":       setThen(func() (any, error) { return nil, formaction.Error(409, "taken") }),
		"error":          setThen(func() (any, error) { return nil, errors.New("db down") }),
		"panic":          setThen(func() (any, error) { panic("after the cookie") }),
		"badloc":         setThen(func() (any, error) { return nil, formaction.Redirect(303, "/\r\nSet-Cookie: evil=1") }),
		"unserializable": setThen(func() (any, error) { return map[string]any{"f": func() {}}, nil }),
		"marshalpanic":   setThen(func() (any, error) { return map[string]any{"x": panicky{}}, nil }),
		// Results built by hand, without Fail, Redirect or Error and their
		// checks: a status WriteHeader would panic on, a script URL.
		"zerofailure":  setThen(func() (any, error) { return formaction.Failure{Data: "no"}, nil }),
		"okfailure":    setThen(func() (any, error) { return &formaction.Failure{Status: 200}, nil }),
		"zeroerror":    setThen(func() (any, error) { return nil, &formaction.HTTPError{Message: "gone"} }),
		"redirecterr":  setThen(func() (any, error) { return nil, &formaction.HTTPError{Status: 302, Message: "x"} }),
		"zeroredirect": setThen(func() (any, error) { return nil, &formaction.RedirectError{Location: "/x"} }),
		"jsredirect": setThen(func() (any, error) {
			return nil, &formaction.RedirectError{Status: 303, Location: "javascript:alert(1)//#%"}
		}),
	}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	f := &fixture{url: srv.URL}
	for action, kept := range map[string]bool{
		"data": true, "fail": true, "redirect": true, "expected": true,
		"error": false, "panic": false, "badloc": false, "unserializable": false, "marshalpanic": false,
		"zerofailure": false, "okfailure": false, "zeroerror": false, "redirecterr": false,
		"zeroredirect": false, "jsredirect": false,
	} {
		for _, enhanced := range []bool{false, true} {
			if (action == "unserializable" || action == "marshalpanic") && !enhanced {
				continue // the native page never serializes the data
			}
			res := f.do(t, request{path: "/?/" + action, enhanced: enhanced})
			got := strings.Contains(res.header.Get("Set-Cookie"), "sessionid=abc") && res.header.Get("X-Action") == "ran"
			if got != kept {
				t.Errorf("%s enhanced=%v: %d, headers %v; want the action's headers kept=%v", action, enhanced, res.status, res.header, kept)
			}
			if !kept && res.status != 500 {
				t.Errorf("%s enhanced=%v: status %d, want 500", action, enhanced, res.status)
			}
			if strings.Contains(res.header.Get("Set-Cookie"), "evil") || strings.Contains(res.header.Get("Location"), "javascript") {
				t.Errorf("%s: header injection: %v", action, res.header)
			}
		}
	}
}

// panicky's MarshalDevalue panics, as app code may while its data is
// serialized.
type panicky struct{}

func (panicky) MarshalDevalue() (any, error) { panic("in MarshalDevalue") }

// A load's hand-built HTTPError with a status that cannot be sent is an
// unexpected error, JS off and on.
func TestLoadErrorsAreChecked(t *testing.T) {
	app := &formaction.App{ErrorPage: errorPage, Logger: slog.New(slog.DiscardHandler)}
	srv := httptest.NewServer(app.MustPage(formaction.Page{Render: page, Load: func(r *http.Request) (any, error) {
		return nil, &formaction.HTTPError{Message: "not found"}
	}}))
	defer srv.Close()
	f := &fixture{url: srv.URL}
	for _, accept := range []string{"text/html", "application/json"} {
		res := f.do(t, request{method: "GET", path: "/", header: map[string]string{"Accept": accept}})
		if res.status != 500 || strings.Contains(res.body, "not found") {
			t.Errorf("Accept %s: %d %s, want a 500 without the message", accept, res.status, res.body)
		}
	}
}

// A location that cannot be a header value is an unexpected error with the
// reason in the log, never a panic.
func TestRedirectRefusesUnsendableLocations(t *testing.T) {
	for _, loc := range []string{"", "/\r\nSet-Cookie: x=1", "/a\nb", "/a b", "/\t/evil.example", "/\x00", "/\x7f", "/a\u00a0b", "/\xff",
		"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x",
		// Not URLs url.Parse accepts, but browsers run them.
		"javascript:alert(document.domain)//#%", "data:text/html,<script>alert(1)</script>#%zz", "JAVASCRIPT:x%"} {
		err := formaction.Redirect(303, loc)
		var re *formaction.RedirectError
		if err == nil || errors.As(err, &re) || !strings.Contains(err.Error(), "formaction: Redirect") {
			t.Errorf("Redirect(303, %q) = %v, want a plain error", loc, err)
		}
	}
	for _, loc := range []string{"/", "/x?y=%20z#h", "https://example.com/a", "mailto:a@b.c", "/caf\u00e9",
		"/javascript:x", "./data:x", "a+b.c-d:x", "1javascript:x"} {
		var re *formaction.RedirectError
		if err := formaction.Redirect(303, loc); !errors.As(err, &re) || re.Location != loc {
			t.Errorf("Redirect(303, %q) = %v, want a redirect", loc, err)
		}
	}
	var log bytes.Buffer
	app := &formaction.App{ErrorPage: errorPage, Logger: slog.New(slog.NewTextHandler(&log, nil))}
	h := app.MustPage(formaction.Page{Render: page, Actions: formaction.Actions{"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
		return nil, formaction.Redirect(303, r.FormValue("to"))
	}}})
	for _, enhanced := range []bool{false, true} {
		log.Reset()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/", strings.NewReader("to=%2F%0D%0ASet-Cookie%3A+x%3D1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if !enhanced {
			req.Header.Set("Accept", "text/html")
		}
		h.ServeHTTP(rec, req)
		if rec.Code != 500 || rec.Header().Get("Location") != "" || rec.Header().Get("Set-Cookie") != "" ||
			!strings.Contains(log.String(), "control characters or whitespace") {
			t.Errorf("enhanced=%v: %d %v, log %q", enhanced, rec.Code, rec.Header(), log.String())
		}
	}
	rec := httptest.NewRecorder()
	formaction.SendRedirect(rec, httptest.NewRequest("POST", "/", nil), 303, "/\r\nx")
	if rec.Code != 500 || rec.Header().Get("Location") != "" {
		t.Errorf("SendRedirect with a bad location: %d %v", rec.Code, rec.Header())
	}
}

func TestSafeRedirectTarget(t *testing.T) {
	for target, want := range map[string]string{
		"/":                      "/",
		"/account":               "/account",
		"/account?tab=2#billing": "/account?tab=2#billing",
		"/search?q=a%20b":        "/search?q=a%20b",
		"/caf\u00e9":             "/caf\u00e9",
		"/%2F%2Fevil.example":    "/%2F%2Fevil.example", // a path: %2F is not a slash to the browser
		"":                       "/home",
		"account":                "/home",
		"//evil.example":         "/home",
		"//evil.example/path":    "/home",
		"/\\evil.example":        "/home",
		"/a\\b":                  "/home",
		"\\/evil.example":        "/home",
		"/\t/evil.example":       "/home",
		"/\n/evil.example":       "/home",
		"/ /evil.example":        "/home",
		"https://evil.example":   "/home",
		"http:/evil.example":     "/home",
		"javascript:alert(1)":    "/home",
		"/\r\nSet-Cookie: x=1":   "/home",
		"/\x00":                  "/home",
		"/\u2028":                "/home",
		"/%zz":                   "/home",
	} {
		if got := formaction.SafeRedirectTarget(target, "/home"); got != want {
			t.Errorf("SafeRedirectTarget(%q) = %q, want %q", target, got, want)
		}
	}
}

// With X-Formaction-Render the envelope carries the page exactly as the
// native path renders it, so one request is enough.
func TestRenderedHTMLMatchesNative(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/login?/data", "/login?/nothing", "/login?/fail", "/login?/expected", "/login?/unexpected", "/login?/nope", "/own-errors"} {
		native := f.do(t, request{path: path, body: "email=z"})
		enhanced := f.do(t, request{path: path, body: "email=z", enhanced: true, render: true})
		r, err := wire.Decode([]byte(enhanced.body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if r.HTML != native.body {
			t.Errorf("%s: html field\n got %q\nwant %q (the native page)", path, r.HTML, native.body)
		}
		if enhanced.status != native.status {
			t.Errorf("%s: enhanced status %d, native %d", path, enhanced.status, native.status)
		}
	}
	plain := f.do(t, request{path: "/login?/data", enhanced: true})
	if strings.Contains(plain.body, `"html"`) {
		t.Errorf("a request without X-Formaction-Render got html: %s", plain.body)
	}
	redirect := f.do(t, request{path: "/login?/redirect", enhanced: true, render: true})
	if strings.Contains(redirect.body, `"html"`) {
		t.Errorf("a redirect result carries html: %s", redirect.body)
	}
}

// The loads run after the action, once, and only when the page is rendered.
func TestLoadsRunAfterTheActionOnlyWhenRendering(t *testing.T) {
	f := newFixture(t)
	count := func(rq request) int32 {
		before := f.loads.Load()
		f.do(t, rq)
		return f.loads.Load() - before
	}
	for _, tt := range []struct {
		rq   request
		want int32
	}{
		{request{path: "/login?/data"}, 1},
		{request{path: "/login?/fail"}, 1},
		{request{path: "/login?/redirect"}, 0},
		{request{path: "/login?/expected"}, 0},
		{request{path: "/login?/data", enhanced: true}, 0},
		{request{path: "/login?/data", enhanced: true, render: true}, 1},
	} {
		if got := count(tt.rq); got != tt.want {
			t.Errorf("%+v: the load ran %d times, want %d", tt.rq, got, tt.want)
		}
	}
}

// A page with a JSON endpoint: enhanced submissions reach the action when
// they say X-Sveltekit-Action: true, other JSON posts the endpoint.
func TestEndpointBesideActions(t *testing.T) {
	f := newFixture(t)
	res := f.do(t, request{path: "/api", header: map[string]string{"Accept": "application/json"}})
	if res.body != `{"endpoint":true}` {
		t.Errorf("JSON POST without X-Sveltekit-Action: %s, want the endpoint", res.body)
	}
	res = f.do(t, request{path: "/api", body: "email=e", enhanced: true})
	if r, err := wire.Decode([]byte(res.body)); err != nil || r.Type != "success" {
		t.Errorf("enhanced POST: %s, want the action's result", res.body)
	}
	res = f.do(t, request{path: "/api", body: "email=e"})
	if !strings.HasPrefix(res.body, "page status=200") {
		t.Errorf("native POST: %s, want the page", res.body)
	}
	res = f.do(t, request{method: "PUT", path: "/api", contentType: "application/json", body: "{}"})
	if res.body != `{"endpoint":true}` {
		t.Errorf("PUT: %s, want the endpoint", res.body)
	}
}

// Body limits: a body over MaxBodyBytes is a 413 in both modes; multipart
// files spill to disk beyond MaxMemory and still reach the action.
func TestBodyLimits(t *testing.T) {
	f := newFixture(t, func(a *formaction.App) { a.MaxBodyBytes = 1 << 10; a.MaxMemory = 100 })
	big := "email=" + strings.Repeat("a", 2<<10)
	res := f.do(t, request{path: "/login?/data", body: big, enhanced: true})
	want := envelope(t, errResult("/login", 413, "The request body is larger than 1024 bytes"))
	if res.status != 413 || res.body != want {
		t.Errorf("enhanced: %d %s, want 413 %s", res.status, res.body, want)
	}
	res = f.do(t, request{path: "/login?/data", body: big})
	if res.status != 413 || res.body != "error page status=413 message=The request body is larger than 1024 bytes" {
		t.Errorf("native: %d %s", res.status, res.body)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("upload", "notes.txt")
	fw.Write(bytes.Repeat([]byte("x"), 500))
	mw.Close()
	res = f.do(t, request{path: "/login?/file", body: body.String(), contentType: mw.FormDataContentType(), enhanced: true})
	wantData := stringify(t, `{name: "notes.txt", size: 500}`)
	if r, err := wire.Decode([]byte(res.body)); err != nil || r.Data != wantData {
		t.Errorf("multipart upload: %s, want data %s", res.body, wantData)
	}
	res = f.do(t, request{path: "/login?/file", body: "--x\r\nbroken", contentType: "multipart/form-data; boundary=x", enhanced: true})
	if res.status != 400 {
		t.Errorf("a malformed multipart body: %d %s, want 400", res.status, res.body)
	}
}

// The form's own limits are 413s, a failure to spool a multipart body's
// files is the server's (a 500 that shows nothing of it), and no limit
// means none.
func TestFormReadingErrors(t *testing.T) {
	f := newFixture(t, func(a *formaction.App) { a.MaxMemory = 100 })
	var many bytes.Buffer
	mw := multipart.NewWriter(&many)
	for i := range 1001 {
		mw.WriteField(fmt.Sprintf("f%d", i), "x")
	}
	mw.Close()
	for _, enhanced := range []bool{false, true} {
		res := f.do(t, request{path: "/login?/data", body: many.String(), contentType: mw.FormDataContentType(), enhanced: enhanced})
		if res.status != 413 || !strings.Contains(res.body, "more parts or more text than the server accepts") {
			t.Errorf("1,001 parts, enhanced=%v: %d %s, want 413", enhanced, res.status, res.body)
		}
	}

	missing := filepath.Join(t.TempDir(), "private-spool")
	t.Setenv("TMPDIR", missing) // a file over MaxMemory goes there
	var upload bytes.Buffer
	mw = multipart.NewWriter(&upload)
	fw, _ := mw.CreateFormFile("upload", "big.bin")
	fw.Write(bytes.Repeat([]byte("x"), 4<<10))
	mw.Close()
	for _, enhanced := range []bool{false, true} {
		f.log.Reset()
		res := f.do(t, request{path: "/login?/file", body: upload.String(), contentType: mw.FormDataContentType(), enhanced: enhanced})
		if res.status != 500 || strings.Contains(res.body, "private-spool") || !strings.Contains(f.log.String(), "private-spool") {
			t.Errorf("spooling fails, enhanced=%v: %d %s, log %q; want a 500 with the path only in the log", enhanced, res.status, res.body, f.log.String())
		}
	}

	f = newFixture(t, func(a *formaction.App) { a.MaxBodyBytes = -1 })
	big := "email=" + strings.Repeat("a", 11<<20) // over ParseForm's own 10 MB cap
	if res := f.do(t, request{path: "/login?/data", body: big, enhanced: true}); res.status != 200 {
		t.Errorf("MaxBodyBytes -1 and 11 MB: %d %.200s, want 200", res.status, res.body)
	}
}

// Pages are checked when they are built.
func TestPageIsCheckedWhenBuilt(t *testing.T) {
	ok := func(http.ResponseWriter, *http.Request) (any, error) { return nil, nil }
	app := &formaction.App{}
	if _, err := app.Page(formaction.Page{Render: page, Actions: formaction.Actions{"default": ok, "login": ok}}); err == nil ||
		!strings.Contains(err.Error(), "default action or named actions, not both") {
		t.Errorf("mixing default and named actions: err = %v", err)
	}
	if _, err := app.Page(formaction.Page{Actions: formaction.Actions{"login": ok}}); err == nil {
		t.Error("a page without Render was accepted")
	}
	if _, err := app.Page(formaction.Page{Render: page, Actions: formaction.Actions{"/login": ok}}); err == nil {
		t.Error("an action name with a leading slash was accepted")
	}
	bad := &formaction.App{TrustedOrigins: []string{"not an origin"}}
	if _, err := bad.Page(formaction.Page{Render: page}); err == nil {
		t.Error("a malformed trusted origin was accepted")
	}
	for _, patterns := range [][]string{{"POST /webhooks/{id"}, {"POST /webhooks/", "POST /webhooks/"}} {
		bad := &formaction.App{InsecureBypassPatterns: patterns}
		if _, err := bad.Page(formaction.Page{Render: page}); err == nil || !strings.Contains(err.Error(), "insecure bypass pattern") {
			t.Errorf("bypass patterns %q: err = %v, want an error", patterns, err)
		}
	}
}

// Out-of-range statuses are programming errors, reported at once.
func TestStatusRanges(t *testing.T) {
	for name, f := range map[string]func(){
		"Fail(200)":     func() { formaction.Fail(200, nil) },
		"Fail(600)":     func() { formaction.Fail(600, nil) },
		"Redirect(200)": func() { formaction.Redirect(200, "/") },
		"Redirect(309)": func() { formaction.Redirect(309, "/") },
		"Error(399)":    func() { formaction.Error(399, "x") },
		"Error(600)":    func() { formaction.Error(600, "x") },
	} {
		func() {
			defer func() {
				if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), "formaction:") {
					t.Errorf("%s: recovered %v, want a formaction panic", name, v)
				}
			}()
			f()
		}()
	}
	for _, s := range []int{300, 303, 308} {
		formaction.Redirect(s, "/ok")
	}
	formaction.Fail(400, nil)
	formaction.Fail(599, nil)
	formaction.Error(400, "x")
	formaction.Error(599, "x")
}

// A Go client decodes what the server sent, devalue data included.
func TestWireRoundTrip(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"email": {"a@b.c"}}
	req, _ := http.NewRequest("POST", f.url+"/login?/fail", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", f.url)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r, err := wire.DecodeResponse(res)
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != "failure" || r.Status != 400 || r.Location != "/login" {
		t.Fatalf("decoded %+v", r)
	}
	var data struct {
		Email   string `json:"email"`
		Missing bool   `json:"missing"`
	}
	if err := r.DecodeData(&data); err != nil {
		t.Fatal(err)
	}
	if data.Email != "a@b.c" || !data.Missing {
		t.Fatalf("data = %+v", data)
	}
	var generic any
	if err := r.DecodeData(&generic); err != nil {
		t.Fatal(err)
	}
}

// A handle-style middleware redirects with SendRedirect: a redirect
// result when enhanced, a bare 303 natively; cookies set before it stay.
func TestRedirectInMiddleware(t *testing.T) {
	app := &formaction.App{}
	page := app.MustPage(formaction.Page{Render: page, Actions: formaction.Actions{"default": func(http.ResponseWriter, *http.Request) (any, error) {
		t.Error("the action ran behind a redirecting middleware")
		return nil, nil
	}}})
	handle := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			formaction.SetCookie(w, r, "seen", "1", formaction.CookieOptions{})
			formaction.SendRedirect(w, r, 303, "/login")
			return
		}
		page.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(handle)
	defer srv.Close()
	f := &fixture{url: srv.URL}
	res := f.do(t, request{path: "/", enhanced: true})
	if want := envelope(t, wire.Result{Type: "redirect", Status: 303, Location: "/login"}); res.status != 200 || res.body != want {
		t.Errorf("enhanced: %d %s, want 200 %s", res.status, res.body, want)
	}
	res = f.do(t, request{path: "/"})
	if res.status != 303 || res.header.Get("Location") != "/login" || !strings.Contains(res.header.Get("Set-Cookie"), "seen=1") {
		t.Errorf("native: %d %v", res.status, res.header)
	}
}

// A native multipart post whose action fails renders the page with
// both the load's data and the form's, and the failure's status.
func TestNativeMultipartFailure(t *testing.T) {
	f := newFixture(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("email", "m@x.y")
	mw.Close()
	res := f.do(t, request{path: "/login?/fail", body: body.String(), contentType: mw.FormDataContentType()})
	want := "page status=400 data=load-data form=map[email:m@x.y missing:true] layout=layout-data"
	if res.status != 400 || res.body != want {
		t.Errorf("%d %s, want 400 %s", res.status, res.body, want)
	}
}

// The message HandleError returns is what the user sees with the 500,
// on both paths; expected errors keep their message and skip the hook.
func TestHandleErrorMessage(t *testing.T) {
	f := newFixture(t, func(a *formaction.App) {
		a.HandleError = func(r *http.Request, err error) string { return "Sorry: " + r.URL.RawQuery }
	})
	res := f.do(t, request{path: "/login?/unexpected", enhanced: true})
	if want := envelope(t, errResult("/login", 500, "Sorry: /unexpected")); res.body != want {
		t.Errorf("enhanced: %s, want %s", res.body, want)
	}
	res = f.do(t, request{path: "/login?/panic"})
	if res.status != 500 || res.body != "error page status=500 message=Sorry: /panic" {
		t.Errorf("native: %d %s", res.status, res.body)
	}
	res = f.do(t, request{path: "/login?/expected"})
	if res.body != "error page status=404 message=msg" {
		t.Errorf("expected error: %s", res.body)
	}
}

// A load that redirects or fails decides the response, after an action too:
// enhanced, a redirect result or an error result with the error page.
func TestLoadOutcomes(t *testing.T) {
	app := &formaction.App{ErrorPage: errorPage, Logger: discardLogger()}
	mux := http.NewServeMux()
	ok := formaction.Actions{"default": func(http.ResponseWriter, *http.Request) (any, error) { return "done", nil }}
	mux.Handle("/gone", app.MustPage(formaction.Page{Render: page, Actions: ok,
		Load: func(*http.Request) (any, error) { return nil, formaction.Redirect(307, "/new") }}))
	mux.Handle("/missing", app.MustPage(formaction.Page{Render: page, Actions: ok,
		Load: func(*http.Request) (any, error) { return nil, formaction.Error(404, "No such thing") }}))
	mux.Handle("/broken", app.MustPage(formaction.Page{Render: page, Actions: ok,
		Load: func(*http.Request) (any, error) { panic("load exploded") }}))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := &fixture{url: srv.URL}

	for _, tt := range []struct {
		rq     request
		status int
		body   string
	}{
		{request{method: "GET", path: "/gone"}, 307, ""},
		{request{path: "/gone"}, 307, ""},
		{request{path: "/gone", enhanced: true, render: true}, 200, envelope(t, wire.Result{Type: "redirect", Status: 307, Location: "/new"})},
		{request{method: "GET", path: "/missing"}, 404, "error page status=404 message=No such thing"},
		{request{path: "/missing", enhanced: true, render: true}, 404, envelope(t, wire.Result{Type: "error", Status: 404,
			Location: "/missing", Error: &wire.ErrorBody{Status: 404, Message: "No such thing"}, HTML: "error page status=404 message=No such thing"})},
		{request{method: "GET", path: "/broken"}, 500, "error page status=500 message=Internal Error"},
		// Without X-Formaction-Render the load does not run: the action's result stands.
		{request{path: "/missing", enhanced: true}, 200, envelope(t, wire.Result{Type: "success", Status: 200, Location: "/missing",
			Data: stringify(t, `"done"`)})},
	} {
		res := f.do(t, tt.rq)
		if res.status != tt.status || res.body != tt.body {
			t.Errorf("%+v: %d %q, want %d %q", tt.rq, res.status, res.body, tt.status, tt.body)
		}
	}
}
