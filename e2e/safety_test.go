package e2e

import (
	"html/template"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/wire"
)

// pwn is what a hostile redirect target would run: it marks the page.
const pwn = `javascript:document.documentElement.dataset.pwned='yes'`

var safetyPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{if .Error}}Error{{else}}Redirects{{end}}</title>{{.Script}}</head>
<body><main>
{{with .Error}}<p id="error">{{.Status}} {{.Message}}</p>{{end}}
<form method="POST" action="/go" data-enhance>
  <input type="hidden" name="to" value="` + pwn + `">
  <button id="ours">Go</button>
</form>
<form method="POST" action="/peer" data-enhance>
  <button id="peer">Go via another server</button>
</form>
</main></body></html>`))

// peerPosts counts the posts /peer has answered.
var peerPosts atomic.Int32

// safetyServer has a formaction page whose action redirects to a
// user-supplied location, and /peer, a server that is not formaction and
// answers with a javascript: redirect of its own making.
func safetyServer(t *testing.T) string {
	peerPosts.Store(0)
	app := &formaction.App{ErrorPage: formaction.Template(safetyPage, "page")}
	page := app.MustPage(formaction.Page{
		Render:    formaction.Template(safetyPage, "page"),
		ErrorPage: formaction.Template(safetyPage, "page"),
		Actions: formaction.Actions{"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return nil, formaction.Redirect(303, r.FormValue("to"))
		}},
	})
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	mux.Handle("/go", page)
	mux.Handle("/peer", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peerPosts.Add(1)
		if wire.IsEnhanced(r) {
			res := wire.Result{Type: wire.Redirect, Status: 303, Location: pwn}
			res.Write(w, http.StatusOK)
			return
		}
		w.Header().Set("Location", pwn)
		w.WriteHeader(http.StatusSeeOther)
	}))
	return serve(t, mux)
}

func (b *tab) pwned() bool {
	b.t.Helper()
	var pwned bool
	b.must(&pwned, `() => document.documentElement?.dataset.pwned === "yes"`)
	return pwned
}

// An action that redirects to a javascript: URL taken from the request is
// an unexpected error on the server: both modes land on the same 500 page,
// and no script runs.
func TestRedirectToJavaScriptURLIsRefused(t *testing.T) {
	base := safetyServer(t)
	bothModes(t, base, func(t *testing.T, b *tab) {
		b.visit("/go")
		b.click("#ours")
		b.waitText("#error", "500 Internal Error")
		if b.pwned() {
			t.Error("the javascript: URL ran in the page")
		}
		if got := b.path(); got != "/go" {
			t.Errorf("landed on %s, want /go", got)
		}
	})
}

// A server that is not formaction answers with a javascript: redirect.
// Natively, Chromium drops the navigation and keeps the page; the client
// refuses it too, keeps the page and says why in an alert. In neither mode
// does the script run.
func TestClientRefusesJavaScriptRedirects(t *testing.T) {
	base := safetyServer(t)
	bothModes(t, base, func(t *testing.T, b *tab) {
		b.visit("/go")
		b.mark()
		before := peerPosts.Load()
		b.click("#peer")
		if b.js {
			b.waitText("[data-formaction-error]", "The page tried to redirect to an address that is not a web page")
			if got := b.path(); got != "/go" {
				t.Errorf("the page moved to %s", got)
			}
			// applyAction, called by hand, and goto refuse it as well.
			var thrown string
			b.must(&thrown, `async (url) => {
				await formaction.applyAction({type: "redirect", status: 303, location: url});
				try { await formaction.goto(url); return "goto did not throw" } catch (e) { return e.message }
			}`, pwn)
			if !strings.Contains(thrown, "only http: and https: URLs") {
				t.Errorf("goto(javascript:…): %s", thrown)
			}
		} else {
			// Chromium drops the navigation (ERR_UNSAFE_REDIRECT) and the
			// page stays as it was.
			deadline := time.Now().Add(waitTimeout)
			for peerPosts.Load() == before && time.Now().Before(deadline) {
				time.Sleep(25 * time.Millisecond)
			}
			if peerPosts.Load() == before {
				t.Fatal("the form never reached /peer")
			}
			time.Sleep(500 * time.Millisecond)
			if b.reloaded() || b.path() != "/go" {
				t.Errorf("the browser left the page: %s", b.url())
			}
		}
		if b.pwned() {
			t.Error("the javascript: URL ran in the page")
		}
		if strings.HasPrefix(b.url(), "javascript:") {
			t.Errorf("the document's URL is %s", b.url())
		}
	})
}

// The demo's ?redirectTo only leads to a path on the site: a target that a
// browser would read as another host falls back to the home page.
func TestLoginRedirectToElsewhereFallsBack(t *testing.T) {
	for _, target := range []string{"//evil.example/", "/%09/evil.example/", "https://evil.example/", "/%5Cevil.example/"} {
		t.Run(strings.Trim(target, "/%:"), func(t *testing.T) {
			bothModes(t, demo(t), func(t *testing.T, b *tab) {
				b.visit("/login?redirectTo=" + target)
				logIn(b, "alice@example.com", "correct horse")
				b.waitFor("a page at /", `() => location.pathname === "/"`)
				if got := b.url(); !strings.HasPrefix(got, b.base+"/") || strings.Contains(got, "evil") {
					t.Errorf("landed on %s", got)
				}
			})
		})
	}
}
