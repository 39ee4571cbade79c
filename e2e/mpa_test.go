package e2e

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/formaction/formaction"
)

// The multi-page app of issue #13: pages with their own stylesheets,
// scripts and head, reached by enhanced GET forms and by redirects after
// actions, and the forms that snapshots, unsaved-changes warnings, upload
// progress and view transitions work on.
var mpaPages = template.Must(template.New("").Parse(`
{{define "start"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Start</title>
<meta name="description" content="the start page">
<link rel="stylesheet" href="/asset/start.css">
{{.Layout}}{{.Script}}
{{if .Data}}<meta name="view-transition" content="same-origin">{{end}}
</head>
<body>
<h1 id="start">Start</h1>
<form method="GET" action="/styled" id="search" data-enhance><input name="q" id="q" aria-label="q"><button id="go">Go</button></form>
<form method="GET" action="/start" id="again" data-enhance><input type="hidden" name="vt" value="{{if .Data}}1{{end}}"><input name="n" id="n" aria-label="n"><button id="go-again">Again</button></form>
<form method="POST" action="?/go" id="redirect" data-enhance><button id="go-redirect">Redirect</button></form>
<form method="POST" action="?/note" id="notes" data-enhance>
  <input id="note" name="note" aria-label="note"><textarea id="body" name="body" aria-label="body"></textarea>
  <input id="box" name="box" type="checkbox" aria-label="box"><input id="secret" name="secret" type="password" aria-label="secret">
</form>
<form method="POST" action="?/note" id="draft-form" data-enhance data-warn-unsaved><input id="draft" name="draft" aria-label="draft"></form>
<form method="POST" action="/styled?/stay" id="stay" data-enhance data-formaction-stay><button id="go-stay">Stay</button></form>
<p><a id="plain" href="/plain">A page without the client</a></p>
</body></html>{{end}}

{{define "styled"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Styled page</title>
<meta name="description" content="the styled page">
<link rel="canonical" href="https://example.com/styled">
<link rel="stylesheet" href="/asset/styled.css">
<style>#inline-styled { color: rgb(0, 0, 255) }</style>
{{.Layout}}{{.Script}}
<script src="/asset/head.js"></script>
<script>window.__runs = window.__runs || {}; __runs.headInline = (__runs.headInline || 0) + 1; __runs.order = (__runs.order || "") + "i"</script>
</head>
<body>
<h1 id="styled">Styled</h1>
<p id="inline-styled">inline</p>
<p id="query">{{.Data}}</p>
<script>__runs.bodyInline = (__runs.bodyInline || 0) + 1; __runs.order += "b"; __runs.sawQuery = !!document.getElementById("query")</script>
<script src="/asset/body.js"></script>
<form method="POST" action="?/stay" data-enhance><button id="stay-here">Stay</button></form>
</body></html>{{end}}

{{define "long"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Long form</title>{{.Script}}
<style>header { position: sticky; top: 0; height: 60px; background: #eee } [data-error-summary] { scroll-margin-top: 60px }</style>
</head>
<body style="margin: 0">
<header>Sticky header</header>
<div style="height: 300px"></div>
<form method="POST" action="?/check" data-enhance novalidate>
  {{if .Form}}<div data-error-summary role="alert" tabindex="-1" id="summary">There is a problem</div>{{end}}
  <div style="height: 3000px"></div>
  <input id="answer" name="answer" aria-label="answer">
  <button id="check">Check</button>
</form>
</body></html>{{end}}

{{define "upload"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Upload</title>{{.Script}}</head>
<body>
<form method="POST" action="?/upload" enctype="multipart/form-data" data-enhance id="upload">
  <input type="file" id="file" name="file" aria-label="file">
  <button id="send">Send</button>
</form>
<p id="received">{{with .Form}}{{.}} bytes{{end}}</p>
</body></html>{{end}}
`))

type mpa struct {
	base    string
	deploy  atomic.Int32 // the version the tracked element names
	slowCSS time.Duration
}

func newMPA(t *testing.T) *mpa {
	t.Helper()
	m := &mpa{slowCSS: 300 * time.Millisecond}
	app := &formaction.App{Layout: func(r *http.Request) (any, error) {
		// The tracked element names the deploy; the test changes it.
		return template.HTML(fmt.Sprintf(`<meta name="deploy" content="v%d" data-formaction-track="reload">`, m.deploy.Load())), nil
	}}
	view := func(name string) formaction.Renderer { return formaction.Template(mpaPages, name) }
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	assets := map[string]string{
		"start.css":  "h1 { color: rgb(1, 2, 3) }",
		"styled.css": "#styled { color: rgb(0, 128, 0) }",
		"head.js":    `window.__runs = window.__runs || {}; __runs.headExternal = (__runs.headExternal || 0) + 1; __runs.order = (__runs.order || "") + "h"`,
		"body.js":    `__runs.bodyExternal = (__runs.bodyExternal || 0) + 1; __runs.order += "e"`,
	}
	mux.HandleFunc("GET /asset/{name}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		body, ok := assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(name, ".css") {
			// A slow stylesheet: the new body must wait for it.
			time.Sleep(m.slowCSS)
			w.Header().Set("Content-Type", "text/css")
		} else {
			w.Header().Set("Content-Type", "text/javascript")
		}
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, body)
	})
	mux.Handle("/start", app.MustPage(formaction.Page{
		Load: func(r *http.Request) (any, error) { return r.URL.Query().Get("vt") == "1", nil },
		Actions: formaction.Actions{
			"go": func(w http.ResponseWriter, r *http.Request) (any, error) {
				return nil, formaction.Redirect(303, "/styled")
			},
			"note": func(w http.ResponseWriter, r *http.Request) (any, error) { return nil, nil },
		},
		Render: view("start"),
	}))
	mux.Handle("/styled", app.MustPage(formaction.Page{
		Load: func(r *http.Request) (any, error) { return r.URL.Query().Get("q"), nil },
		Actions: formaction.Actions{
			"stay": func(w http.ResponseWriter, r *http.Request) (any, error) { return map[string]any{"stayed": true}, nil },
		},
		Render: view("styled"),
	}))
	mux.Handle("/long", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"check": func(w http.ResponseWriter, r *http.Request) (any, error) {
			return formaction.Fail(400, map[string]any{"wrong": true}), nil
		}},
		Render: view("long"),
	}))
	mux.Handle("/upload", app.MustPage(formaction.Page{
		Actions: formaction.Actions{"upload": func(w http.ResponseWriter, r *http.Request) (any, error) {
			_, h, err := r.FormFile("file")
			if err != nil {
				return formaction.Fail(400, 0), nil
			}
			return h.Size, nil
		}},
		Render: view("upload"),
	}))
	mux.HandleFunc("GET /plain", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<!doctype html><html lang="en"><title>Plain</title><h1 id="plain-page">Plain</h1></html>`)
	})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
	})
	m.base = serve(t, h)
	return m
}

// runs reports how many times each of /styled's scripts ran, and in which
// order.
func (b *tab) runs() map[string]any {
	b.t.Helper()
	var runs map[string]any
	b.must(&runs, `() => window.__runs || {}`)
	return runs
}

// checkStyled checks what /styled shows once it is in: its stylesheets
// applied (already when its body appeared, with JavaScript), /start's gone,
// its title and head; with JavaScript its scripts ran once each, in
// document order, after the body was in.
func checkStyled(t *testing.T, b *tab) {
	t.Helper()
	b.waitFor("the styled page", `() => !!document.querySelector("#styled") && document.readyState === "complete"`)
	var got struct {
		Color, Inline, Title, Description, Canonical string
		StartSheets                                  int
	}
	b.must(&got, `() => ({
		Color: getComputedStyle(document.querySelector("#styled")).color,
		Inline: getComputedStyle(document.querySelector("#inline-styled")).color,
		Title: document.title,
		Description: document.querySelector("meta[name=description]")?.content,
		Canonical: document.querySelector("link[rel=canonical]")?.href,
		StartSheets: document.querySelectorAll('link[href="/asset/start.css"]').length,
	})`)
	want := struct {
		Color, Inline, Title, Description, Canonical string
		StartSheets                                  int
	}{"rgb(0, 128, 0)", "rgb(0, 0, 255)", "Styled page", "the styled page", "https://example.com/styled", 0}
	if got != want {
		t.Errorf("the styled page shows %+v, want %+v", got, want)
	}
	if !b.js {
		return
	}
	var first string
	b.must(&first, `() => window.__firstColor`)
	if first != "rgb(0, 128, 0)" {
		t.Errorf("when the new body appeared, #styled was %q: the stylesheet was not loaded first", first)
	}
	b.waitFor("the scripts", `() => window.__runs?.bodyExternal === 1`)
	runs := b.runs()
	for _, name := range []string{"headExternal", "headInline", "bodyInline", "bodyExternal"} {
		if runs[name] != float64(1) {
			t.Errorf("script %s ran %v times, want once (%v)", name, runs[name], runs)
		}
	}
	if runs["order"] != "hibe" || runs["sawQuery"] != true {
		t.Errorf("scripts ran in the order %v (sawQuery %v), want hibe, after the body", runs["order"], runs["sawQuery"])
	}
}

// watchFirstColor records #styled's colour the moment the element enters
// the document.
func watchFirstColor(b *tab) {
	b.t.Helper()
	if !b.js {
		return
	}
	b.must(nil, `() => new MutationObserver((_, o) => {
		const el = document.querySelector("#styled");
		if (el) { window.__firstColor = getComputedStyle(el).color; o.disconnect() }
	}).observe(document.body, { childList: true, subtree: true })`)
}

// A page with its own stylesheets, head and scripts, reached by an enhanced
// GET form and by a redirect after an action, shows as it does after a page
// load; back and forward do not run its scripts again.
func TestNewPageHeadAndScripts(t *testing.T) {
	m := newMPA(t)
	for _, how := range []string{"GET form", "redirect"} {
		t.Run(how, func(t *testing.T) {
			bothModes(t, m.base, func(t *testing.T, b *tab) {
				b.visit("/start")
				b.mark()
				watchFirstColor(b)
				if how == "GET form" {
					b.fill("#q", "hello")
					b.click("#go")
					b.waitText("#query", "hello")
				} else {
					b.click("#go-redirect")
				}
				checkStyled(t, b)
				b.expectSameDocument()
				if !b.js {
					return
				}
				b.must(nil, `() => history.back()`)
				b.waitFor("the start page", `() => !!document.querySelector("#start")`)
				var sheets int
				b.must(&sheets, `() => document.querySelectorAll('link[href="/asset/styled.css"], style').length`)
				if sheets != 0 {
					t.Errorf("%d of /styled's stylesheets stayed on /start", sheets)
				}
				b.must(nil, `() => history.forward()`)
				b.waitFor("the styled page", `() => !!document.querySelector("#styled")`)
				time.Sleep(200 * time.Millisecond)
				checkStyled(t, b)
				b.expectSameDocument()
			})
		})
	}
}

// A tracked element that differs (a new deploy) makes the client load the
// page in full.
func TestTrackedAssetChangeReloads(t *testing.T) {
	m := newMPA(t)
	m.slowCSS = 0
	b := newTab(t, m.base, true)
	b.visit("/start")
	b.waitFor("the client", `() => !!window.formaction`)
	b.mark()
	b.fill("#q", "same")
	b.click("#go")
	b.waitText("#query", "same")
	if b.reloaded() {
		t.Fatal("a page load happened with nothing deployed")
	}
	m.deploy.Store(2)
	b.must(nil, `() => formaction.goto("/styled?q=new")`)
	b.waitText("#query", "new")
	if !b.reloaded() {
		t.Error("the tracked element changed and the client did not load the page in full")
	}
}

// The route announcer: a polite live region, there from the start, visually
// hidden and not focusable, says the new page's title after a client-side
// navigation.
func TestRouteAnnouncer(t *testing.T) {
	m := newMPA(t)
	m.slowCSS = 0
	b := newTab(t, m.base, true)
	b.visit("/start")
	b.waitFor("the client", `() => !!window.formaction`)
	var region struct {
		Live, Text string
		Width      float64
		Focusable  bool
	}
	const describe = `() => { const el = document.querySelector("[data-formaction-announcer]"); const r = el.getBoundingClientRect();
		return { Live: el.getAttribute("aria-live"), Text: el.textContent, Width: r.width, Focusable: el.tabIndex >= 0 } }`
	b.must(&region, describe)
	if region.Live != "polite" || region.Text != "" || region.Width > 1 || region.Focusable {
		t.Errorf("before any navigation the announcer is %+v", region)
	}
	b.fill("#q", "x")
	b.click("#go")
	b.waitText("#query", "x")
	b.waitFor("the announcement", `() => document.querySelector("[data-formaction-announcer]").textContent === "Styled page"`)
	b.must(nil, `() => history.back()`)
	b.waitFor("the announcement after back", `() => document.querySelector("[data-formaction-announcer]").textContent === "Start"`)
}

// After a failure on a long form, the error summary is focused and in view,
// below the sticky header (scroll-margin-top).
func TestFailureInView(t *testing.T) {
	m := newMPA(t)
	bothModes(t, m.base, func(t *testing.T, b *tab) {
		b.visit("/long")
		b.click("#check")
		b.waitFor("the error summary", `() => !!document.querySelector("#summary")`)
		b.waitFor("the page to settle", `() => document.readyState === "complete"`)
		var box struct{ Top, Bottom, Height float64 }
		b.waitForOr("the summary in view", `() => JSON.stringify(document.querySelector("#summary").getBoundingClientRect())`,
			`() => { const r = document.querySelector("#summary").getBoundingClientRect(); return r.top >= 59 && r.bottom <= innerHeight }`)
		b.must(&box, `() => { const r = document.querySelector("#summary").getBoundingClientRect(); return { Top: r.top, Bottom: r.bottom, Height: innerHeight } }`)
		t.Logf("summary at %v..%v of %v", box.Top, box.Bottom, box.Height)
		if b.js {
			if got := b.focused(); got != "#summary" {
				t.Errorf("focus is on %s, want the summary", got)
			}
		}
	})
}

// A 2 MB upload reports progress: several formaction:progress events, the
// last with loaded === total, and --formaction-progress reaching 1.
func TestUploadProgress(t *testing.T) {
	m := newMPA(t)
	bothModes(t, m.base, func(t *testing.T, b *tab) {
		b.visit("/upload")
		if b.js {
			b.waitFor("the client", `() => !!window.formaction`)
			b.must(nil, `() => { window.__progress = []; document.addEventListener("formaction:progress", (e) =>
				__progress.push([e.detail.loaded, e.detail.total, e.target.id, e.target.style.getPropertyValue("--formaction-progress")])) }`)
		}
		if b.js {
			// Loopback takes 2 MB at once; at 8 MB/s the upload lasts a
			// quarter of a second and reports progress as it goes.
			must(t, proto.NetworkEnable{}.Call(b.page))
			must(t, proto.NetworkEmulateNetworkConditions{DownloadThroughput: -1, UploadThroughput: 8 << 20}.Call(b.page))
		}
		b.setFile("#file", "big.bin", strings.Repeat("x", 2<<20))
		b.click("#send")
		b.waitText("#received", fmt.Sprintf("%d bytes", 2<<20))
		if !b.js {
			return
		}
		var events [][4]any
		b.must(&events, `() => __progress`)
		if len(events) < 3 {
			t.Fatalf("%d progress events, want several: %v", len(events), events)
		}
		last := events[len(events)-1]
		if last[0] != last[1] || last[2] != "upload" || last[1].(float64) < 2<<20 {
			t.Errorf("the last progress event is %v, want loaded === total ≥ 2 MB, on the form", last)
		}
		if last[3] != "1" {
			t.Errorf("--formaction-progress is %q at the last event, want 1", last[3])
		}
		t.Logf("%d progress events: %v", len(events), events)
	})
}

// Values typed into enhanced forms survive back and forward; passwords do
// not.
func TestSnapshotsAfterBack(t *testing.T) {
	m := newMPA(t)
	m.slowCSS = 0
	bothModes(t, m.base, func(t *testing.T, b *tab) {
		b.visit("/start")
		b.fill("#note", "kept note")
		b.fill("#body", "kept body")
		b.click("#box")
		b.fill("#secret", "hunter2")
		b.fill("#q", "away")
		b.click("#go")
		b.waitText("#query", "away")
		b.must(nil, `() => history.back()`)
		b.waitFor("the start page", `() => !!document.querySelector("#note") && document.readyState === "complete"`)
		b.waitFor("the typed values", `() => document.querySelector("#note").value === "kept note"`)
		if got := b.value("#body"); got != "kept body" {
			t.Errorf("#body holds %q", got)
		}
		var checked bool
		b.must(&checked, `() => document.querySelector("#box").checked`)
		if !checked {
			t.Error("the checkbox is not checked again")
		}
		if b.js {
			if got := b.value("#secret"); got != "" {
				t.Errorf("the password came back: %q", got)
			}
		}
	})
}

// A form with data-warn-unsaved that the user edited asks before a client
// navigation (confirm) and before the page unloads (beforeunload).
func TestUnsavedChangesPrompt(t *testing.T) {
	m := newMPA(t)
	m.slowCSS = 0
	b := newTab(t, m.base, true)
	b.visit("/start")
	b.waitFor("the client", `() => !!window.formaction`)
	dialogs := make(chan string, 4)
	go b.page.EachEvent(func(e *proto.PageJavascriptDialogOpening) {
		dialogs <- string(e.Type)
		// Stay after the confirm; leave after beforeunload.
		_ = proto.PageHandleJavaScriptDialog{Accept: e.Type == proto.PageDialogTypeBeforeunload}.Call(b.page)
	})()
	if err := (proto.PageEnable{}).Call(b.page); err != nil {
		t.Fatal(err)
	}
	expect := func(want string) {
		t.Helper()
		select {
		case got := <-dialogs:
			if got != want {
				t.Errorf("a %s dialog opened, want %s", got, want)
			}
		case <-time.After(waitTimeout):
			t.Fatalf("no %s dialog opened", want)
		}
	}

	// Unedited: no question.
	b.fill("#q", "free")
	b.click("#go")
	b.waitText("#query", "free")
	b.must(nil, `() => history.back()`)
	b.waitFor("the start page", `() => !!document.querySelector("#draft")`)

	b.fill("#draft", "half a thought")
	b.fill("#q", "leave")
	b.click("#go")
	expect("confirm")
	time.Sleep(200 * time.Millisecond)
	if got := b.path(); got != "/start" {
		t.Errorf("after the user chose to stay, the page is %s", got)
	}
	b.click("#plain")
	expect("beforeunload")
	b.waitFor("the plain page", `() => !!document.querySelector("#plain-page")`)
}

// <meta name="view-transition" content="same-origin"> opts in to view
// transitions; prefers-reduced-motion: reduce opts out.
func TestViewTransitions(t *testing.T) {
	m := newMPA(t)
	m.slowCSS = 0
	b := newTab(t, m.base, true)
	spy := `() => { window.__transitions = 0; const start = document.startViewTransition.bind(document);
		document.startViewTransition = (cb) => { __transitions++; const vt = start(cb); vt.finished.then(() => __transitions += 100); return vt } }`
	count := func() int {
		var n int
		b.must(&n, `() => window.__transitions`)
		return n
	}

	b.visit("/start")
	b.waitFor("the client", `() => !!window.formaction`)
	b.must(nil, spy)
	b.fill("#n", "1")
	b.click("#go-again")
	b.waitFor("the new page", `() => location.search.includes("n=1")`)
	if n := count(); n != 0 {
		t.Errorf("%d view transitions without the meta, want 0", n)
	}

	b.visit("/start?vt=1")
	b.waitFor("the client", `() => !!window.formaction`)
	b.must(nil, spy)
	b.fill("#n", "2")
	b.click("#go-again")
	b.waitFor("the new page", `() => location.search.includes("n=2")`)
	// The page takes no input while the transition animates.
	b.waitFor("the transition to finish", `() => window.__transitions === 101`)
	if n := count() % 100; n != 1 {
		t.Errorf("%d view transitions with the meta, want 1", n)
	}

	if err := (proto.EmulationSetEmulatedMedia{Features: []*proto.EmulationMediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}).Call(b.page); err != nil {
		t.Fatal(err)
	}
	b.fill("#n", "3")
	b.click("#go-again")
	b.waitFor("the new page", `() => location.search.includes("n=3")`)
	if n := count() % 100; n != 1 {
		t.Errorf("%d view transitions under reduced motion, want still 1", n)
	}
}

// data-formaction-stay keeps the result of another page's action on this
// page: no navigation, page.form updated.
func TestStayOnPage(t *testing.T) {
	m := newMPA(t)
	m.slowCSS = 0
	b := newTab(t, m.base, true)
	b.visit("/start")
	b.waitFor("the client", `() => !!window.formaction`)
	b.click("#go-stay")
	b.waitFor("page.form", `() => formaction.page.form?.stayed === true`)
	if got := b.path(); got != "/start" {
		t.Errorf("the page is %s, want /start", got)
	}
	if b.text("#start") != "Start" {
		t.Error("the start page is gone")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
