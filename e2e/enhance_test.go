package e2e

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/formaction/formaction"
)

// navPage has GET forms with each of the data-sveltekit-* options, and
// enough height to scroll.
var navPage = template.Must(template.New("nav").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Search {{.Data}}</title>{{.Script}}</head>
<body>
<p id="query" style="height: 2em; margin: 0">{{.Data}}</p>
<div style="height: 3000px"></div>
<form method="GET" action="/nav" id="plain" data-enhance><input name="q" id="q-plain" aria-label="q"><button id="go-plain">Go</button></form>
<form method="GET" action="/nav" id="replace" data-enhance data-sveltekit-replacestate><input name="q" id="q-replace" aria-label="q"><button id="go-replace">Go</button></form>
<form method="GET" action="/nav" id="keep" data-enhance data-sveltekit-keepfocus data-sveltekit-noscroll><input name="q" id="q-keep" aria-label="q"><button id="go-keep">Go</button></form>
<form method="GET" action="/nav" id="reload" data-enhance data-sveltekit-reload><input name="q" id="q-reload" aria-label="q"><button id="go-reload">Go</button></form>
</body></html>`))

func newNav(t *testing.T) string {
	app := &formaction.App{}
	mux := http.NewServeMux()
	mux.Handle(formaction.AssetPrefix, formaction.Assets())
	mux.Handle("/nav", app.MustPage(formaction.Page{
		Load:   func(r *http.Request) (any, error) { return r.URL.Query().Get("q"), nil },
		Render: formaction.Template(navPage, "nav"),
	}))
	return serve(t, mux)
}

// submitGet types q into the form's input and presses Enter there.
func submitGet(b *tab, form, q string) {
	b.t.Helper()
	b.fill("#q-"+form, q)
	b.press('\r')
	b.waitText("#query", q)
}

// GET forms navigate like links: a history entry each, back and forward
// work, and the page is the server's. Enhanced, no page load happens.
func TestGetFormHistory(t *testing.T) {
	bothModes(t, newNav(t), func(t *testing.T, b *tab) {
		b.visit("/nav")
		b.mark()
		submitGet(b, "plain", "one")
		submitGet(b, "plain", "two")
		b.expectSameDocument()
		if got := b.url(); !strings.HasSuffix(got, "/nav?q=two") {
			t.Errorf("URL %s", got)
		}
		var title string
		b.must(&title, `() => document.title`)
		if title != "Search two" {
			t.Errorf("title %q, want the new page's", title)
		}
		b.must(nil, `() => history.back()`)
		b.waitText("#query", "one")
		b.must(nil, `() => history.back()`)
		b.waitText("#query", "")
		b.must(nil, `() => history.forward()`)
		b.waitText("#query", "one")
		if got := b.url(); !strings.HasSuffix(got, "/nav?q=one") {
			t.Errorf("after back, back, forward: URL %s", got)
		}
	})
}

// data-sveltekit-replacestate replaces the history entry.
func TestGetFormReplaceState(t *testing.T) {
	bothModes(t, newNav(t), func(t *testing.T, b *tab) {
		b.visit("/nav")
		var before, after int
		b.must(&before, `() => history.length`)
		submitGet(b, "replace", "swap")
		b.must(&after, `() => history.length`)
		if b.js && after != before {
			t.Errorf("history grew from %d to %d with replacestate", before, after)
		}
		if !b.js && after != before+1 {
			// Natively the browser ignores the attribute: a new entry.
			t.Errorf("history went from %d to %d natively", before, after)
		}
	})
}

// Enhanced, a plain GET form scrolls to the top and resets focus;
// keepfocus and noscroll keep both.
func TestGetFormFocusAndScroll(t *testing.T) {
	b := newTab(t, newNav(t), true)
	b.visit("/nav")
	b.mark()
	b.fill("#q-keep", "kept")
	var y float64
	b.must(&y, `() => scrollY`)
	if y == 0 {
		t.Fatal("the form is not scrolled into view; the test cannot tell noscroll apart")
	}
	b.press('\r')
	b.waitText("#query", "kept")
	var after float64
	b.must(&after, `() => scrollY`)
	if after != y {
		t.Errorf("noscroll: scrollY went from %v to %v", y, after)
	}
	if got := b.focused(); got != "#q-keep" {
		t.Errorf("keepfocus: focus is on %s", got)
	}
	submitGet(b, "plain", "top")
	b.must(&after, `() => scrollY`)
	if after != 0 {
		t.Errorf("a plain GET form left scrollY at %v, want 0", after)
	}
	if got := b.focused(); got != "body" {
		t.Errorf("a plain GET form left focus on %s, want body", got)
	}
	b.expectSameDocument()
}

// data-sveltekit-reload asks for a full page load.
func TestGetFormReload(t *testing.T) {
	b := newTab(t, newNav(t), true)
	b.visit("/nav")
	b.mark()
	submitGet(b, "reload", "full")
	if !b.reloaded() {
		t.Error("data-sveltekit-reload did not load the page")
	}
}

// formaction:submit is cancelable and carries what optimistic UI needs;
// formaction:result carries the result.
func TestSubmitAndResultEvents(t *testing.T) {
	k := newKit(t)
	b := newTab(t, k.base, true)
	b.visit("/actions")
	b.waitFor("the client", `() => !!window.formaction`)
	b.must(nil, `() => {
		window.__events = [];
		document.addEventListener("formaction:submit", (e) => {
			window.__events.push(["submit", e.detail.formData.get("username"), e.detail.action.search, e.detail.submitter?.id]);
			if (e.detail.formData.get("username") === "cancel me") e.preventDefault();
		});
		document.addEventListener("formaction:result", (e) => window.__events.push(["result", e.detail.result.type]));
	}`)
	before := len(k.posts())
	b.fill("#username", "cancel me")
	b.click("#login")
	time.Sleep(300 * time.Millisecond)
	if n := len(k.posts()) - before; n != 0 {
		t.Errorf("a canceled submission reached the server %d times", n)
	}
	b.fill("#username", "go")
	b.click("#register")
	b.waitText("#form", `{"registered":"go"}`)
	var events [][]any
	b.must(&events, `() => window.__events`)
	if got := fmt.Sprint(events); got != "[[submit cancel me ?/login login] [submit go ?/register register] [result success]]" {
		t.Errorf("events %s", got)
	}
}

// Page.form survives invalidateAll, which re-renders with fresh
// data, and is reset by a navigation.
func TestFormSurvivesInvalidation(t *testing.T) {
	k := newKit(t)
	b := newTab(t, k.base, true)
	b.visit("/actions")
	b.fill("#username", "zed")
	b.click("#login")
	b.waitText("#form", `{"message":"zed"}`)
	loaded := b.text("#loaded")
	b.mark()
	b.must(nil, `() => formaction.invalidateAll()`)
	b.waitFor("fresh data", `(n) => document.querySelector("#loaded").textContent !== n`, loaded)
	var form map[string]any
	b.must(&form, `() => formaction.page.form`)
	if form["message"] != "zed" {
		t.Errorf("page.form after invalidateAll = %v", form)
	}
	b.must(nil, `() => formaction.goto("/other")`)
	b.waitText("#other", "Other page")
	var after any
	b.must(&after, `() => formaction.page.form`)
	if after != nil {
		t.Errorf("page.form after goto = %v, want null", after)
	}
	b.expectSameDocument()
}

// A network failure and a proxy's HTML error page both show an error, and
// nothing the user typed is lost.
func TestFailuresKeepTypedValues(t *testing.T) {
	k := newKit(t)
	for _, tt := range []struct{ name, query, message string }{
		{"network failure", "/hangup", "Could not reach the server. Check your connection and try again."},
		{"proxy error page", "/proxy", "Bad Gateway"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bothModes(t, k.base, func(t *testing.T, b *tab) {
				b.visit("/actions")
				b.fill("#username", "typed")
				b.fill("#password", "secret")
				b.must(nil, `(q) => document.querySelector("#login").setAttribute("formaction", "?" + q)`, tt.query)
				b.click("#login")
				if b.js {
					b.waitFor("an error alert", `(m) => document.querySelector("[data-formaction-error]")?.textContent.includes(m)`, tt.message)
					if got := b.focused(); got != "p" {
						t.Errorf("focus is on %s, want the alert", got)
					}
				} else {
					// The browser shows its own error page; back restores the form.
					b.waitFor("the error page", `() => !document.querySelector("#username")`)
					b.must(nil, `() => history.back()`)
					b.waitFor("the form again", `() => !!document.querySelector("#username")`)
				}
				if got := b.value("#username"); got != "typed" {
					t.Errorf("username holds %q", got)
				}
			})
		})
	}
}

// Adapted to one round trip, the SubmitFunction contract:
// enhance(form, submit) with an async submit function whose callback calls
// update with options. reset:false keeps the inputs; invalidateAll:false
// applies the result to page.form without re-rendering the page.
func TestEnhanceByHand(t *testing.T) {
	k := newKit(t)
	b := newTab(t, k.base, true)
	b.visit("/actions")
	b.waitFor("the client", `() => !!window.formaction`)
	b.must(nil, `() => {
		const form = document.querySelector("#main");
		form.removeAttribute("data-enhance");
		window.__calls = [];
		window.__options = {};
		window.__enhanced = formaction.enhance(form, async ({ action, formData, formElement, controller, submitter, cancel }) => {
			await new Promise((r) => setTimeout(r, 10));
			window.__calls.push(["submit", action.search, formData.get("username"), formElement.id, controller instanceof AbortController, submitter?.id, typeof cancel]);
			formData.set("username", formData.get("username") + "!");
			return async ({ result, update, action, formData, formElement }) => {
				window.__calls.push(["callback", result.type, action.search, formData.get("username"), formElement.id]);
				await update(window.__options);
			};
		});
	}`)
	b.fill("#username", "hand")
	b.fill("#password", "pw")
	b.must(nil, `() => { window.__options = { reset: false } }`)
	b.click("#login")
	b.waitText("#form", `{"message":"hand!"}`)
	if got := b.value("#password"); got != "pw" {
		t.Errorf("update({reset: false}) left the password %q", got)
	}
	var calls [][]any
	b.must(&calls, `() => window.__calls`)
	if got := fmt.Sprint(calls); got != "[[submit ?/login hand main true login function] [callback success ?/login hand! main]]" {
		t.Errorf("calls %s", got)
	}

	loaded := b.text("#loaded")
	b.must(nil, `() => { window.__options = { invalidateAll: false } }`)
	b.fill("#username", "quiet")
	b.click("#login")
	b.waitFor("page.form", `() => formaction.page.form?.message === "quiet!"`)
	if got := b.text("#loaded"); got != loaded {
		t.Errorf("invalidateAll: false re-rendered the page (loads %s → %s)", loaded, got)
	}
	if got := b.text("#form"); got != `{"message":"hand!"}` {
		t.Errorf("invalidateAll: false changed the page to %s", got)
	}

	// destroy() removes the listener: the next submission is native. (The
	// renders put data-enhance back on the form; take it off again.)
	b.must(nil, `() => { window.__enhanced.destroy(); document.querySelector("#main").removeAttribute("data-enhance") }`)
	b.mark()
	b.fill("#username", "native")
	b.click("#login")
	b.waitText("#form", `{"message":"native"}`)
	if !b.reloaded() {
		t.Error("after destroy() the form still submitted with fetch")
	}
}
