package e2e

import (
	"crypto/rand"
	"html/template"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/proto"

	"github.com/formaction/formaction"
	"github.com/formaction/formaction/wire"
)

// The pages of clientSafetyServer: each shows its name in the h1, the
// action's count when there is one, and the forms of its scenario.
var clientSafetyPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Data.Name}}</title>{{.Script}}{{.Data.Head}}</head>
<body><main>
<h1>{{.Data.Name}}</h1>
{{with .Form}}<p id="done">done {{.n}}</p>{{end}}
{{if eq .Data.Name "Comments"}}
<form method="POST" action="{{.Data.Peer}}/collect" data-enhance><button id="gadget">Show more</button></form>
<form method="POST" action="/out?to={{.Data.Peer}}/collect" data-enhance><button id="redirected">Show more, redirected</button></form>
{{else if eq .Data.Name "Slow"}}
<form method="POST" data-enhance><button id="slow">Save slowly</button></form>
<form action="/elsewhere" data-enhance><button id="away">Go elsewhere</button></form>
<form action="/find" data-enhance><input id="q" name="q" aria-label="Query"><button id="find">Find</button></form>
<form id="guarded" method="POST"><button id="guarded-save">Save once</button></form>
<script>
	// SvelteKit's idiom for a form that ignores clicks while it is busy
	// (the client, deferred, is there once the document is parsed).
	addEventListener("DOMContentLoaded", () => {
		let busy = false;
		formaction.enhance(document.querySelector("#guarded"), ({ cancel }) => {
			if (busy) return cancel();
			busy = true;
			return async ({ update }) => { busy = false; await update(); };
		});
	});
</script>
{{else if eq .Data.Name "No script"}}
<noscript><p id="nojs">JavaScript is off</p><img src="/pixel.gif" alt=""></noscript>
<form method="POST" data-enhance><button id="fail">Fail</button></form>
{{else if eq .Data.Name "Found"}}
<p id="res">results for {{.Data.Query}}</p>
{{else if eq .Data.Name "Ordered"}}
<form id="ordered" method="POST"><button id="order">Save</button></form>
<script>
	// A SubmitFunction that takes longer for the first submission.
	addEventListener("DOMContentLoaded", () => {
		let n = 0;
		formaction.enhance(document.querySelector("#ordered"), async ({ formData }) => {
			const mine = ++n;
			formData.set("n", mine);
			await new Promise((done) => setTimeout(done, mine === 1 ? 400 : 10));
		});
	});
</script>
{{else if eq .Data.Name "One"}}
<form action="/other/two" data-enhance><button id="two">Page two</button></form>
{{end}}
{{if .Data.Run}}<script>window.ran = (window.ran || []).concat({{.Data.Run}})</script>{{end}}
</main></body></html>`))

type clientSafetyData struct {
	Name, Peer, Query, Run string
	Head                   template.HTML
}

// clientSafety is a site and a peer on another origin, whose answers a
// client that fetched them would morph into the site's page: an
// ActionResult whose html runs a script and carries the site's client tag.
type clientSafety struct {
	base, peer string
	posts      atomic.Int32 // the slow action's posts
	pixels     atomic.Int32 // requests for /pixel.gif
	misplaced  atomic.Int32 // requests for /dir/two.css and /dir/two.js
}

func clientSafetyServer(t *testing.T) *clientSafety {
	s := &clientSafety{}
	peer := http.NewServeMux()
	peer.HandleFunc("/collect", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Headers", "*")
		switch {
		case r.Method == http.MethodOptions:
			return
		case wire.IsEnhanced(r):
			html := `<!doctype html><html><head>` + string(formaction.ScriptTag()) + `</head><body><h1>Comments</h1>` +
				`<script>document.documentElement.dataset.pwned = "yes"</script></body></html>`
			res := wire.Result{Type: wire.Success, Status: 200, Location: "/comments", HTML: html}
			res.Write(w, http.StatusOK)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<!doctype html><html lang="en"><head><title>Peer</title></head><body><h1>Peer page</h1></body></html>`))
		}
	})
	s.peer = serve(t, peer)

	app := &formaction.App{}
	render := formaction.Template(clientSafetyPage, "page")
	page := func(data clientSafetyData, actions formaction.Actions) http.Handler {
		data.Peer = s.peer
		return app.MustPage(formaction.Page{Render: render, Actions: actions,
			Load: func(r *http.Request) (any, error) {
				d := data
				d.Query = r.URL.Query().Get("q")
				if d.Query == "slow" {
					time.Sleep(800 * time.Millisecond)
				}
				return d, nil
			}})
	}
	slow := func(w http.ResponseWriter, r *http.Request) (any, error) {
		time.Sleep(800 * time.Millisecond)
		return map[string]any{"n": s.posts.Add(1)}, nil
	}
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	mux.Handle("/comments", page(clientSafetyData{Name: "Comments"}, nil))
	mux.HandleFunc("/out", func(w http.ResponseWriter, r *http.Request) { // an open redirect
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusTemporaryRedirect)
	})
	mux.Handle("/slow", page(clientSafetyData{Name: "Slow"}, formaction.Actions{"default": slow}))
	mux.Handle("/elsewhere", page(clientSafetyData{Name: "Elsewhere"}, nil))
	mux.Handle("/find", page(clientSafetyData{Name: "Found"}, nil))
	mux.Handle("/ns", page(clientSafetyData{Name: "No script",
		Head: `<noscript><img src="/pixel.gif" alt=""><style>h1 { color: rgb(255, 0, 0) }</style></noscript>`}, formaction.Actions{"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
		return formaction.Fail(400, map[string]any{"n": 0}), nil
	}}))
	mux.HandleFunc("/pixel.gif", func(w http.ResponseWriter, r *http.Request) { s.pixels.Add(1) })
	mux.Handle("/sa", page(clientSafetyData{Name: "Script A", Run: "A"}, nil))
	mux.Handle("/sb", page(clientSafetyData{Name: "Script B", Run: "B"}, nil))
	mux.Handle("/hash", page(clientSafetyData{Name: "Hash"}, nil))
	mux.Handle("/dir/one", page(clientSafetyData{Name: "One"}, nil))
	mux.Handle("/ordered", page(clientSafetyData{Name: "Ordered"}, formaction.Actions{"default": func(w http.ResponseWriter, r *http.Request) (any, error) {
		return map[string]any{"n": r.FormValue("n")}, nil
	}}))
	mux.Handle("/other/two", page(clientSafetyData{Name: "Two",
		Head: `<link rel="stylesheet" href="two.css"><script src="two.js"></script>`}, nil))
	mux.HandleFunc("/other/two.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte(`h1 { color: rgb(0, 128, 0) }`))
	})
	mux.HandleFunc("/other/two.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(`window.twoJS = 1`))
	})
	mux.HandleFunc("/dir/", func(w http.ResponseWriter, r *http.Request) {
		s.misplaced.Add(1)
		http.NotFound(w, r)
	})
	s.base = serve(t, mux)
	return s
}

// A form that posts to another origin, straight or through this site's
// open redirect, lands on that origin's page, as without JavaScript: the
// client leaves such a post to the browser, and treats an answer from
// another origin as a redirect there, so it never morphs that origin's
// markup, and scripts, into this page.
func TestPostsToAnotherOriginLeaveThePage(t *testing.T) {
	s := clientSafetyServer(t)
	for _, button := range []string{"#gadget", "#redirected"} {
		t.Run(strings.TrimPrefix(button, "#"), func(t *testing.T) {
			bothModes(t, s.base, func(t *testing.T, b *tab) {
				b.visit("/comments")
				b.click(button)
				b.waitFor("the peer's page", `(peer) => location.origin === peer && document.querySelector("h1")?.textContent === "Peer page"`, s.peer)
				if b.pwned() {
					t.Error("the peer's script ran")
				}
			})
		})
	}
}

// A navigation started while a form's slow result is on its way wins, as
// it does natively: the result, when it comes, neither brings the user
// back nor rewrites history.
func TestNavigationCancelsAPendingResult(t *testing.T) {
	s := clientSafetyServer(t)
	bothModes(t, s.base, func(t *testing.T, b *tab) {
		b.visit("/slow")
		b.click("#slow")
		time.Sleep(150 * time.Millisecond)
		b.click("#away")
		b.waitText("h1", "Elsewhere")
		time.Sleep(1200 * time.Millisecond) // past the slow action's answer
		if got := b.text("h1"); got != "Elsewhere" || b.path() != "/elsewhere" {
			t.Errorf("on %s (%s), want /elsewhere", b.path(), got)
		}
	})
}

// Of two GET navigations, the later one shows, however slow the earlier
// answer is.
func TestLaterNavigationWins(t *testing.T) {
	s := clientSafetyServer(t)
	bothModes(t, s.base, func(t *testing.T, b *tab) {
		b.visit("/slow")
		// While a native navigation is pending, DevTools evaluates nothing
		// in the page: the second query is typed and sent by raw input.
		q, find := b.point("#q"), b.point("#find")
		b.fill("#q", "slow")
		b.click("#find")
		time.Sleep(150 * time.Millisecond)
		b.clickAt(q)
		keys := b.page.KeyActions().Press(input.ControlLeft).Type('a').Release(input.ControlLeft).Type(input.Backspace)
		if err := keys.Do(); err != nil {
			t.Fatal(err)
		}
		if err := b.page.InsertText("fast"); err != nil {
			t.Fatal(err)
		}
		b.clickAt(find)
		b.waitText("#res", "results for fast")
		time.Sleep(1200 * time.Millisecond)
		var search string
		b.must(&search, `() => location.search`)
		if got := b.text("#res"); got != "results for fast" || search != "?q=fast" {
			t.Errorf("%s at %s, want the results for fast", got, search)
		}
	})
}

// SvelteKit's "ignore clicks while busy" idiom: a second click cancels
// itself, not the submission the user waits for, whose result shows; the
// form works again afterwards.
func TestCancelLeavesTheSubmissionInFlight(t *testing.T) {
	s := clientSafetyServer(t)
	bothModes(t, s.base, func(t *testing.T, b *tab) {
		b.visit("/slow")
		b.click("#guarded-save")
		time.Sleep(200 * time.Millisecond)
		if b.path() == "/slow" && b.text("h1") == "Slow" {
			b.click("#guarded-save")
		}
		b.waitFor("a result", `() => /^done \d+$/.test(document.querySelector("#done")?.textContent)`)
		first := b.text("#done")
		b.click("#guarded-save")
		b.waitFor("the next result", `(first) => { const t = document.querySelector("#done")?.textContent; return /^done \d+$/.test(t) && t !== first }`, first)
	})
}

// What <noscript> holds, in the body or the head, stays inert with
// JavaScript on, after a render as on the first load: its images are not
// requested, its style does not apply, its text is no element.
// With JavaScript off it shows, as the browser shows it.
func TestNoscriptStaysInert(t *testing.T) {
	s := clientSafetyServer(t)
	bothModes(t, s.base, func(t *testing.T, b *tab) {
		s.pixels.Store(0)
		b.visit("/ns")
		b.click("#fail")
		b.waitText("#done", "done 0")
		var shown bool
		b.must(&shown, `() => !!document.querySelector("#nojs")`)
		if shown == b.js {
			t.Errorf("#nojs is an element: %v, want %v", shown, !b.js)
		}
		if b.js && s.pixels.Load() != 0 {
			t.Errorf("the noscript images were requested %d times", s.pixels.Load())
		}
		var red bool // the head's <noscript> style
		b.must(&red, `() => getComputedStyle(document.querySelector("h1")).color === "rgb(255, 0, 0)"`)
		if red == b.js {
			t.Errorf("the head's noscript style applies: %v, want %v", red, !b.js)
		}
	})
}

// A page's own script runs when the client renders it, even where the
// page before had a script at the same place (JavaScript only: with it
// off no script runs).
func TestNewPagesScriptRuns(t *testing.T) {
	s := clientSafetyServer(t)
	b := newTab(t, s.base, true)
	b.visit("/sa")
	b.mark()
	b.must(nil, `() => formaction.goto("/sb")`)
	b.waitText("h1", "Script B")
	var ran []string
	b.must(&ran, `() => window.ran`)
	if strings.Join(ran, ",") != "A,B" || b.reloaded() {
		t.Errorf("scripts run: %v (reloaded %v), want A,B in the same document", ran, b.reloaded())
	}
}

// A fragment that is not valid percent-encoding names the element whose
// id it is, as in a browser, instead of stopping the navigation before
// focus and the announcement (JavaScript only: goto).
func TestFragmentsThatDoNotDecode(t *testing.T) {
	s := clientSafetyServer(t)
	b := newTab(t, s.base, true)
	b.visit("/sa")
	var err string
	b.must(&err, `async () => { try { await formaction.goto("/hash#100%"); return "" } catch (e) { return String(e) } }`)
	if err != "" {
		t.Fatalf("goto(/hash#100%%): %s", err)
	}
	b.waitText("h1", "Hash")
	b.waitFor("the announcement", `() => [...document.querySelectorAll("[aria-live]")].some((el) => el.textContent.includes("Hash"))`)
}

// point is where the middle of the element matching sel is, in the view.
func (b *tab) point(sel string) proto.Point {
	b.t.Helper()
	var pt proto.Point
	b.must(&pt, `(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2} }`, sel)
	return pt
}

// clickAt clicks at a point of the view, without asking the page anything.
func (b *tab) clickAt(pt proto.Point) {
	b.t.Helper()
	if err := b.page.Mouse.MoveTo(pt); err != nil {
		b.t.Fatal(err)
	}
	if err := b.page.Mouse.Click(proto.InputMouseButtonLeft, 1); err != nil {
		b.t.Fatal(err)
	}
}

// A page reached by an enhanced GET form loads its stylesheets and scripts
// from its own address, relative URLs included, as a page load does.
func TestNewPageRelativeURLs(t *testing.T) {
	s := clientSafetyServer(t)
	bothModes(t, s.base, func(t *testing.T, b *tab) {
		s.misplaced.Store(0)
		b.visit("/dir/one")
		b.mark()
		b.click("#two")
		b.waitText("h1", "Two")
		b.waitFor("two.css", `() => getComputedStyle(document.querySelector("h1")).color === "rgb(0, 128, 0)"`)
		b.expectSameDocument()
		if b.js {
			b.waitFor("two.js", `() => window.twoJS === 1`)
		}
		if n := s.misplaced.Load(); n != 0 {
			t.Errorf("%d requests for two.css or two.js under /dir/", n)
		}
	})
}

// The pages of cspServer: every script and style carries the response's
// nonce, as a strict Content-Security-Policy asks.
var cspPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Data.Name}}</title>
<script src="{{.Data.Client}}" defer nonce="{{.Data.Nonce}}" data-formaction-track="reload"></script>
<style nonce="{{.Data.Nonce}}">h1.{{.Data.Name}} { color: rgb(0, 128, 0) }</style>
</head>
<body><main>
<h1 class="{{.Data.Name}}">{{.Data.Name}}</h1>
<form action="/csp/b" data-enhance><button id="b">Page b</button></form>
<script nonce="{{.Data.Nonce}}">window.ran = (window.ran || []).concat({{.Data.Name}})</script>
<script nonce="made-up">window.injected = {{.Data.Name}}</script>
</main></body></html>`))

type cspData struct{ Name, Nonce, Client string }

// cspServer answers each page with a new nonce and a policy that allows
// only scripts and styles carrying it.
func cspServer(t *testing.T) string {
	app := &formaction.App{}
	page := func(name string) http.Handler {
		h := app.MustPage(formaction.Page{Render: formaction.Template(cspPage, "page"), Load: func(r *http.Request) (any, error) {
			return cspData{Name: name, Nonce: r.Header.Get("X-Test-Nonce"), Client: formaction.ScriptPath()}, nil
		}})
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			nonce := rand.Text()
			r.Header.Set("X-Test-Nonce", nonce)
			w.Header().Set("Content-Security-Policy", "script-src 'nonce-"+nonce+"'; style-src 'nonce-"+nonce+"'")
			h.ServeHTTP(w, r)
		})
	}
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	mux.Handle("/csp/a", page("a"))
	mux.Handle("/csp/b", page("b"))
	return serve(t, mux)
}

// Under a nonce-based policy, a page the client renders keeps its styles
// and runs its scripts, which the server vouched for with another nonce
// than the first page's, but not a script whose nonce is not the page's
// (injected markup); and the client's own tag, whose nonce changes with
// every response, does not count as a new deploy.
func TestNoncePolicy(t *testing.T) {
	base := cspServer(t)
	bothModes(t, base, func(t *testing.T, b *tab) {
		b.visit("/csp/a")
		b.mark()
		b.click("#b")
		b.waitText("h1", "b")
		b.waitFor("b's style", `() => getComputedStyle(document.querySelector("h1")).color === "rgb(0, 128, 0)"`)
		b.expectSameDocument()
		if b.js {
			b.waitFor("b's script", `() => (window.ran || []).join() === "a,b"`)
			var injected bool
			b.must(&injected, `() => window.injected !== undefined`)
			if injected {
				t.Error("a script with a nonce that is not the page's ran")
			}
		}
	})
}

// Of two submissions of a form, the later one wins even when its
// SubmitFunction finishes first (JavaScript only: a SubmitFunction).
func TestNewerSubmissionWinsWhateverItsSubmitFunction(t *testing.T) {
	s := clientSafetyServer(t)
	b := newTab(t, s.base, true)
	b.visit("/ordered")
	b.click("#order")
	time.Sleep(50 * time.Millisecond)
	b.click("#order")
	b.waitFor("a result", `() => !!document.querySelector("#done")`)
	time.Sleep(1200 * time.Millisecond)
	if got := b.text("#done"); got != "done 2" {
		t.Errorf("%q, want the second submission's result", got)
	}
}
