package e2e

import (
	"context"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/devalue"
)

// kit is a test app modelled on SvelteKit's own actions test routes: one
// page with named actions and every kind of submitter, so that the
// behaviour SvelteKit's tests check can be checked here too.
type kit struct {
	base      string
	loads     atomic.Int32 // how many times the page's load ran
	autofocus atomic.Bool  // whether the page has an [autofocus] input

	mu       sync.Mutex
	requests []kitRequest  // POSTs that reached an action
	gate     chan struct{} // when set, the slow action waits on it
}

type kitRequest struct {
	Action, ContentType, Username string
}

func (k *kit) posts() []kitRequest {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]kitRequest(nil), k.requests...)
}

var kitPage = template.Must(template.New("page").Funcs(template.FuncMap{
	"json": func(v any) string { b, _ := json.Marshal(v); return string(b) },
}).Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{if .Error}}Error: {{end}}Actions</title>{{.Script}}</head>
<body>
<header>{{with .Data}}{{if .Autofocus}}<input id="search" aria-label="Search" autofocus>{{end}}{{end}}</header>
<main>
<p id="loaded">{{with .Data}}{{.Loads}}{{end}}</p>
<p id="status">{{.Status}}</p>
<pre id="form">{{json .Form}}</pre>
{{with .Error}}<p id="error">{{.Status}} {{.Message}}</p>{{end}}
<div style="height: 1500px"></div>
<form method="POST" action="?/login" id="main" data-enhance>
  <input type="hidden" name="action" value="clobbered">
  <input type="hidden" name="reset" value="clobbered">
  <label for="username">Username</label>
  <input id="username" name="username" value="{{with .Form}}{{.message}}{{end}}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password">
  <button id="login">Log in</button>
  <button id="register" formaction="?/register">Register</button>
  <button id="named" name="submitter" value="foo" formaction="?/submitter">Named</button>
  <button id="fail" formaction="?/fail">Fail</button>
  <button id="redirect" formaction="?/redirect">Redirect</button>
  <button id="boom" formaction="?/boom">Boom</button>
  <button id="slow" formaction="?/slow">Slow</button>
  <button id="cookie" formaction="?/cookie">Cookie</button>
</form>
<form method="POST" action="?/file" id="files" data-enhance>
  <input type="file" id="file" name="file">
  <button id="file-plain">Send without multipart</button>
  <button id="file-multipart" formenctype="multipart/form-data">Send as multipart</button>
</form>
<dialog id="dialog" open>
  <form method="POST" action="?/login" data-enhance>
    <button id="close" formmethod="dialog">Close</button>
  </form>
</dialog>
</main>
</body>
</html>
`))

func newKit(t *testing.T) *kit {
	t.Helper()
	k := &kit{}
	record := func(r *http.Request, action string) {
		k.mu.Lock()
		k.requests = append(k.requests, kitRequest{action, r.Header.Get("Content-Type"), r.FormValue("username")})
		k.mu.Unlock()
	}
	action := func(name string, f func(w http.ResponseWriter, r *http.Request) (any, error)) formaction.Action {
		return func(w http.ResponseWriter, r *http.Request) (any, error) {
			record(r, name)
			return f(w, r)
		}
	}
	app := &formaction.App{}
	page := app.MustPage(formaction.Page{
		Load: func(r *http.Request) (any, error) {
			return map[string]any{"Loads": k.loads.Add(1), "Autofocus": k.autofocus.Load()}, nil
		},
		Actions: formaction.Actions{
			"login": action("login", func(w http.ResponseWriter, r *http.Request) (any, error) {
				return map[string]any{"message": r.FormValue("username")}, nil
			}),
			"register": action("register", func(w http.ResponseWriter, r *http.Request) (any, error) {
				return map[string]any{"registered": r.FormValue("username")}, nil
			}),
			"submitter": action("submitter", func(w http.ResponseWriter, r *http.Request) (any, error) {
				return map[string]any{"submitter": r.FormValue("submitter")}, nil
			}),
			"fail": action("fail", func(w http.ResponseWriter, r *http.Request) (any, error) {
				return formaction.Fail(400, map[string]any{"message": r.FormValue("username"), "invalid": true}), nil
			}),
			"redirect": action("redirect", func(w http.ResponseWriter, r *http.Request) (any, error) {
				return nil, formaction.Redirect(303, "/other")
			}),
			"boom": action("boom", func(w http.ResponseWriter, r *http.Request) (any, error) {
				return nil, formaction.Error(502, "something went wrong")
			}),
			"slow": action("slow", func(w http.ResponseWriter, r *http.Request) (any, error) {
				k.mu.Lock()
				gate := k.gate
				k.mu.Unlock()
				if gate != nil {
					select {
					case <-gate:
					case <-time.After(5 * time.Second):
					}
				}
				return map[string]any{"message": r.FormValue("username")}, nil
			}),
			"cookie": action("cookie", func(w http.ResponseWriter, r *http.Request) (any, error) {
				formaction.SetCookie(w, r, "flavour", "ginger", formaction.CookieOptions{Readable: true})
				return map[string]any{"message": "cookie set"}, nil
			}),
			"file": action("file", func(w http.ResponseWriter, r *http.Request) (any, error) {
				if _, fh, err := r.FormFile("file"); err == nil {
					return map[string]any{"file": fh.Filename, "multipart": true}, nil
				}
				return map[string]any{"file": r.FormValue("file"), "multipart": false}, nil
			}),
		},
		Render:    formaction.Template(kitPage, "page"),
		ErrorPage: formaction.Template(kitPage, "page"),
		Endpoint: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"endpoint":true}`)
		}),
	})
	other := app.MustPage(formaction.Page{Render: formaction.RenderFunc(func(_ context.Context, w io.Writer, v *formaction.View) error {
		_, err := io.WriteString(w, `<!doctype html><html><head><title>Other</title>`+string(v.Script())+`</head><body><h1 id="other">Other page</h1><div style="height: 3000px"></div></body></html>`)
		return err
	})})
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	// In front of the page, as a proxy would be: ?/hangup drops the
	// connection, ?/proxy answers with an HTML error page of its own.
	mux.Handle("/actions", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST" && r.URL.RawQuery == "/hangup":
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		case r.Method == "POST" && r.URL.RawQuery == "/proxy":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<!doctype html><title>502</title><h1>Bad Gateway</h1>")
		default:
			page.ServeHTTP(w, r)
		}
	}))
	mux.Handle("/other", other)
	k.base = serve(t, mux)
	return k
}

// An enhanced success updates the page with the result, resets
// the form, and sends urlencoded data; natively the same page shows.
func TestKitEnhanceSuccess(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		b.visit("/actions")
		b.mark()
		requests := b.countRequests()
		b.fill("#username", "ada")
		b.click("#login")
		b.waitText("#form", `{"message":"ada"}`)
		b.expectSameDocument()
		// The input's value attribute is the echoed message: reset, then
		// re-rendered, it shows it.
		if got := b.value("#username"); got != "ada" {
			t.Errorf("username holds %q, want the echoed %q", got, "ada")
		}
		if got := b.value("#password"); got != "" {
			t.Errorf("password holds %q after a success, want it reset", got)
		}
		if n, seen := requests(); b.js && n != 1 {
			t.Errorf("%d requests for one same-page submission, want 1: %v", n, seen)
		}
		posts := k.posts()
		if last := posts[len(posts)-1]; last.ContentType != "application/x-www-form-urlencoded" || last.Action != "login" {
			t.Errorf("the action saw %+v, want login with application/x-www-form-urlencoded", last)
		}
		if b.js && b.focused() != "body" {
			t.Errorf("focus after success is on %s, want body", b.focused())
		}
	})
}

// A failure keeps what the user typed, the password included, when
// enhanced; natively the username comes back from the server.
func TestKitFailureKeepsTypedValues(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		b.visit("/actions")
		b.mark()
		b.fill("#username", "bob")
		b.fill("#password", "s3cret")
		b.click("#fail")
		b.waitText("#form", `{"invalid":true,"message":"bob"}`)
		b.waitText("#status", "400")
		b.expectSameDocument()
		if got := b.value("#username"); got != "bob" {
			t.Errorf("username holds %q", got)
		}
		want := ""
		if b.js {
			want = "s3cret" // never sent back, but never reset either
		}
		if got := b.value("#password"); got != want {
			t.Errorf("password holds %q, want %q", got, want)
		}
	})
}

// Formaction on the button picks the action; the submitter's
// name and value are sent.
func TestKitSubmitters(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		b.visit("/actions")
		b.fill("#username", "cy")
		b.click("#register")
		b.waitText("#form", `{"registered":"cy"}`)
		b.click("#named")
		b.waitText("#form", `{"submitter":"foo"}`)
	})
}

// A formmethod="dialog" button closes its dialog and posts nothing.
func TestKitDialogSubmitter(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		b.visit("/actions")
		before := len(k.posts())
		b.click("#close")
		b.waitFor("the dialog to close", `() => !document.querySelector("#dialog").open`)
		time.Sleep(200 * time.Millisecond)
		if n := len(k.posts()) - before; n != 0 {
			t.Errorf("%d posts reached an action", n)
		}
	})
}

// A file in a form without multipart travels as its name, as a
// native post sends it, and the console says why; formenctype on the button
// sends the file itself.
func TestKitFiles(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		var consoleMu sync.Mutex
		var console []string
		if b.js {
			if err := (proto.RuntimeEnable{}).Call(b.page); err != nil {
				t.Fatal(err)
			}
			go b.page.EachEvent(func(e *proto.RuntimeConsoleAPICalled) {
				consoleMu.Lock()
				defer consoleMu.Unlock()
				for _, a := range e.Args {
					console = append(console, a.Value.String())
				}
			})()
		}
		b.visit("/actions")
		b.setFile("#file", "notes.txt", "hello")
		b.click("#file-plain")
		b.waitText("#form", `{"file":"notes.txt","multipart":false}`)
		if b.js {
			consoleMu.Lock()
			logged := strings.Join(console, "\n")
			consoleMu.Unlock()
			if !strings.Contains(logged, `enctype="multipart/form-data"`) {
				t.Errorf("the console has no error about the missing enctype: %q", logged)
			}
		}
		b.setFile("#file", "notes.txt", "hello")
		b.click("#file-multipart")
		b.waitText("#form", `{"file":"notes.txt","multipart":true}`)
	})
}

// A redirect result navigates (client-side when enhanced).
func TestKitRedirect(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		b.visit("/actions")
		b.mark()
		b.click("#redirect")
		b.waitText("#other", "Other page")
		if got := b.path(); got != "/other" {
			t.Errorf("landed on %s", got)
		}
		b.expectSameDocument()
		var title string
		b.must(&title, `() => document.title`)
		if title != "Other" {
			t.Errorf("title %q, want Other", title)
		}
	})
}

// An expected error renders the error page with its status.
func TestKitError(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		b.visit("/actions")
		b.click("#boom")
		b.waitText("#error", "502 something went wrong")
		b.waitText("#status", "502")
		if b.js && b.focused() != "body" {
			t.Errorf("focus after an error is on %s, want body", b.focused())
		}
	})
}

// A second submit does not clear the echoed value.
func TestKitSecondSubmit(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		b.visit("/actions")
		b.fill("#username", "first")
		b.click("#login")
		b.waitText("#form", `{"message":"first"}`)
		loaded := b.text("#loaded")
		b.click("#login")
		b.waitFor("the page to render again", `(n) => document.querySelector("#loaded").textContent !== n`, loaded)
		if got := b.value("#username"); got != "first" {
			t.Errorf("after a second submit the input holds %q, want %q", got, "first")
		}
	})
}

// Cookies set by an enhanced action reach the browser.
func TestKitCookies(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		b.visit("/actions")
		b.click("#cookie")
		b.waitText("#form", `{"message":"cookie set"}`)
		b.visit("/actions")
		var cookie string
		b.must(&cookie, `() => document.cookie`)
		if !strings.Contains(cookie, "flavour=ginger") {
			t.Errorf("document.cookie = %q", cookie)
		}
	})
}

// After an enhanced success, focus goes to the [autofocus] element,
// wherever it is.
func TestKitAutofocusAfterSuccess(t *testing.T) {
	k := newKit(t)
	k.autofocus.Store(true)
	b := newTab(t, k.base, true)
	b.visit("/actions")
	b.click("#username")
	b.click("#login")
	b.waitText("#form", `{"message":""}`)
	b.waitFor("focus on #search", `() => document.activeElement?.id === "search"`)
}

// With an endpoint on the same path, an enhanced submission still
// reaches the action.
func TestKitActionOverEndpoint(t *testing.T) {
	k := newKit(t)
	b := newTab(t, k.base, true)
	b.visit("/actions")
	b.fill("#username", "dee")
	b.click("#login")
	b.waitText("#form", `{"message":"dee"}`)
	var endpoint string
	b.must(&endpoint, `async () => (await fetch("/actions", {method: "POST", headers: {accept: "application/json"}})).text()`)
	if endpoint != `{"endpoint":true}` {
		t.Errorf("a plain JSON POST got %s, want the endpoint", endpoint)
	}
}

// ApplyAction by hand.
func TestKitApplyActionByHand(t *testing.T) {
	k := newKit(t)
	b := newTab(t, k.base, true)
	b.visit("/actions")
	b.waitFor("the client", `() => !!window.formaction`)
	var got struct {
		Events int
		Form   map[string]any
		Status int
	}
	b.must(&got, `async () => {
		let events = 0;
		document.addEventListener("formaction:page", () => events++);
		await formaction.applyAction({type: "success", status: 200, data: {a: 1}});
		const first = formaction.page.form;
		await formaction.applyAction({type: "failure", status: 400, data: {b: 2}});
		return {Events: events, Form: {first, second: formaction.page.form}, Status: formaction.page.status};
	}`)
	if got.Events != 2 || got.Status != 400 {
		t.Errorf("applyAction: %+v, want 2 events and status 400", got)
	}
	if b, _ := json.Marshal(got.Form); string(b) != `{"first":{"a":1},"second":{"b":2}}` {
		t.Errorf("page.form went %s", b)
	}

	b.must(nil, `() => formaction.applyAction({type: "error", status: 418, error: {message: "teapot"}})`)
	b.waitText("[data-formaction-error]", "teapot")
	if got := b.value("#username"); got != "" {
		t.Errorf("username %q", got)
	}

	b.mark()
	b.must(nil, `() => formaction.applyAction({type: "redirect", status: 303, location: "/other"})`)
	b.waitText("#other", "Other page")
	b.expectSameDocument()
}

// The concurrency rule: two rapid submits of the same form both
// reach the server, and only the newer result is applied.
func TestKitRapidSubmits(t *testing.T) {
	k := newKit(t)
	bothModes(t, k.base, func(t *testing.T, b *tab) {
		gate := make(chan struct{})
		k.mu.Lock()
		k.gate = gate
		k.mu.Unlock()
		defer func() {
			k.mu.Lock()
			k.gate = nil
			k.mu.Unlock()
		}()
		b.visit("/actions")
		before := len(k.posts())
		var results int
		if b.js {
			b.must(nil, `() => { window.__results = 0; document.addEventListener("formaction:result", () => window.__results++) }`)
		}
		b.fill("#username", "older")
		b.click("#slow")
		b.waitFor("the first post to arrive", `() => true`)
		deadline := time.Now().Add(5 * time.Second)
		for len(k.posts()) == before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if b.js {
			if got := b.attr("#main", "aria-busy"); got != "true" {
				t.Errorf("aria-busy = %q while pending", got)
			}
			var pending []bool
			b.must(&pending, `() => [document.querySelector("#main").hasAttribute("data-pending"), document.querySelector("#slow").hasAttribute("data-pending")]`)
			if !pending[0] || !pending[1] {
				t.Errorf("data-pending on the form and the submitter: %v, want both", pending)
			}
		}
		b.fill("#username", "newer")
		b.click("#slow")
		for len(k.posts()) < before+2 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		close(gate)
		b.waitText("#form", `{"message":"newer"}`)
		time.Sleep(300 * time.Millisecond)
		if got := b.text("#form"); got != `{"message":"newer"}` {
			t.Errorf("the page shows %s after both answered, want the newer", got)
		}
		posts := k.posts()[before:]
		if len(posts) != 2 || posts[0].Username != "older" || posts[1].Username != "newer" {
			t.Errorf("the server saw %+v, want older then newer", posts)
		}
		if b.js {
			b.must(&results, `() => window.__results`)
			if results != 1 {
				t.Errorf("%d results applied, want 1 (the older was aborted)", results)
			}
			var after []bool
			b.must(&after, `() => [document.querySelector("#main").hasAttribute("aria-busy"), document.querySelector("#main").hasAttribute("data-pending"), document.querySelector("#slow").hasAttribute("data-pending")]`)
			if after[0] || after[1] || after[2] {
				t.Errorf("aria-busy, data-pending on the form and the submitter after the answer: %v, want none", after)
			}
		}
	})
}

// A custom type crosses with use:enhance: a reducer on the server, a
// reviver registered in formaction.revivers on the client.
func TestKitCustomType(t *testing.T) {
	type point struct{ X, Y int }
	app := &formaction.App{Devalue: &devalue.Encoder{Reducers: []devalue.Reducer{{Name: "Point", Reduce: func(v any) (any, bool) {
		p, ok := v.(point)
		return []any{p.X, p.Y}, ok
	}}}}}
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	mux.Handle("/points", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"default": func(http.ResponseWriter, *http.Request) (any, error) {
			return map[string]any{"p": point{3, 4}}, nil
		}},
		Render: formaction.Template(template.Must(template.New("p").Parse(
			`<!doctype html><title>p</title>{{.Script}}<form method="POST" data-enhance><button>Go</button></form><p id="out">{{with .Form}}{{.p}}{{end}}</p>`)), "p"),
	}))
	b := newTab(t, serve(t, mux), true)
	b.visit("/points")
	b.waitFor("the client", `() => !!window.formaction`)
	b.must(nil, `() => { formaction.revivers.Point = ([x, y]) => ({ x, y, length: Math.hypot(x, y) }) }`)
	b.click("button")
	b.waitText("#out", "{3 4}")
	var length float64
	b.must(&length, `() => formaction.page.form.p.length`)
	if length != 5 {
		t.Errorf("the revived point has length %v, want 5", length)
	}
}

// Success, failure and error keep the scroll position; a redirect, being a
// navigation, starts at the top.
func TestKitScroll(t *testing.T) {
	k := newKit(t)
	b := newTab(t, k.base, true)
	b.visit("/actions")
	for _, tt := range []struct{ button, wait string }{
		{"#login", `() => document.querySelector("#form").textContent === '{"message":""}'`},
		{"#fail", `() => document.querySelector("#status").textContent === "400"`},
		{"#boom", `() => document.querySelector("#status").textContent === "502"`},
	} {
		b.click(tt.button)
		var before float64
		b.must(&before, `() => scrollY`)
		b.waitFor(tt.button+"'s result", tt.wait)
		var after float64
		b.must(&after, `() => scrollY`)
		if before == 0 || after != before {
			t.Errorf("%s: scrollY went from %v to %v, want it kept", tt.button, before, after)
		}
		b.visit("/actions")
	}
	b.click("#redirect")
	b.waitText("#other", "Other page")
	var y float64
	b.must(&y, `() => scrollY`)
	if y != 0 {
		t.Errorf("after a redirect scrollY is %v, want 0", y)
	}
}
