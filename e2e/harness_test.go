package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"
)

// The whole suite shares one Chromium; each test gets a fresh incognito
// context, so cookies and storage never leak between tests.
var browser *rod.Browser

// testTimeout bounds every browser test: a wait that never ends fails the
// test instead of hanging the suite.
const testTimeout = 60 * time.Second

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bin := os.Getenv("FORMACTION_CHROMIUM")
	if bin == "" {
		bin = "/usr/bin/chromium"
	}
	if _, err := os.Stat(bin); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: no Chromium at %s: install Debian's chromium package (make test does it when run as root) or set FORMACTION_CHROMIUM\n", bin)
		if os.Getenv("FORMACTION_REQUIRE_ALL") == "1" {
			return 1
		}
		fmt.Fprintln(os.Stderr, "e2e: skipping the browser tests; `make test` installs Chromium and runs them")
		return 0
	}
	// A non-empty Bin keeps go-rod from downloading a browser. Leakless
	// kills Chromium if this process dies without running the cleanup below,
	// a panicking test included.
	l := launcher.New().
		Bin(bin).
		Headless(true).
		Leakless(true).
		NoSandbox(os.Geteuid() == 0).
		Set("disable-background-networking").
		Set("disable-component-update").
		Set("disable-sync").
		Set("disable-gpu").
		Set("disable-quic").
		Set("no-first-run")
	defer l.Cleanup()
	defer l.Kill()
	u, err := l.Launch()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: launch %s: %v\n", bin, err)
		return 1
	}
	browser = rod.New().ControlURL(u)
	if err := browser.Connect(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: connect to Chromium: %v\n", err)
		return 1
	}
	defer browser.Close()
	return m.Run()
}

// serve starts h on 127.0.0.1 for the length of the test.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// tab is one browser page in a fresh incognito context, with JavaScript on
// or off. Its helpers use real mouse and keyboard input through CDP, which
// works in both modes (go-rod's Click and Input wait on page-side promises
// and hang when scripts are disabled).
type tab struct {
	t    *testing.T
	page *rod.Page
	js   bool
	base string
}

// bothModes runs a scenario twice, JavaScript off then on, as subtests named
// "js-off" and "js-on". Every scenario that involves a form runs through it,
// so enhanced and native submissions must show the same outcome.
func bothModes(t *testing.T, base string, scenario func(t *testing.T, b *tab)) {
	for _, js := range []bool{false, true} {
		name := "js-off"
		if js {
			name = "js-on"
		}
		t.Run(name, func(t *testing.T) {
			scenario(t, newTab(t, base, js))
		})
	}
}

func newTab(t *testing.T, base string, js bool) *tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	incognito, err := browser.Incognito()
	if err != nil {
		t.Fatalf("incognito context: %v", err)
	}
	t.Cleanup(func() { incognito.Close() })
	page, err := incognito.Page(proto.TargetCreateTarget{URL: "about:blank"})
	if err != nil {
		t.Fatalf("new page: %v", err)
	}
	page = page.Context(ctx)
	if !js {
		if err := (proto.EmulationSetScriptExecutionDisabled{Value: true}).Call(page); err != nil {
			t.Fatalf("disable JavaScript: %v", err)
		}
	}
	return &tab{t: t, page: page, js: js, base: base}
}

// visit loads path and waits until the document has finished loading.
func (b *tab) visit(path string) {
	b.t.Helper()
	if err := b.page.Navigate(b.base + path); err != nil {
		b.t.Fatalf("visit %s: %v", path, err)
	}
	b.waitFor("the page to load", `() => document.readyState === "complete" && location.href !== "about:blank"`)
}

// mark sets a marker on window; reloaded reports whether it is gone, that
// is, whether a full page load happened since. Enhanced submissions must
// keep it; native ones replace the document.
func (b *tab) mark() {
	b.t.Helper()
	b.must(nil, `() => { window.__formactionMarker = true }`)
}

func (b *tab) reloaded() bool {
	b.t.Helper()
	var kept bool
	b.must(&kept, `() => window.__formactionMarker === true`)
	return !kept
}

// expectSameDocument checks that an enhanced submission kept the document
// and a native one replaced it.
func (b *tab) expectSameDocument() {
	b.t.Helper()
	if reloaded := b.reloaded(); reloaded == b.js {
		if b.js {
			b.t.Error("a full page load happened: the enhanced submission should update the page in place")
		} else {
			b.t.Error("no page load happened with JavaScript off")
		}
	}
}

// countRequests starts counting the requests the page sends for documents
// and fetches, as the network sees them (go-rod's network events), leaving
// out stylesheets, scripts and images. The returned function reports the
// count and the methods and paths seen.
func (b *tab) countRequests() func() (int, []string) {
	b.t.Helper()
	if err := (proto.NetworkEnable{}).Call(b.page); err != nil {
		b.t.Fatalf("enable network events: %v", err)
	}
	var mu sync.Mutex
	var seen []string
	wait := b.page.EachEvent(func(e *proto.NetworkRequestWillBeSent) {
		switch e.Type {
		case proto.NetworkResourceTypeDocument, proto.NetworkResourceTypeFetch, proto.NetworkResourceTypeXHR:
			mu.Lock()
			seen = append(seen, e.Request.Method+" "+strings.TrimPrefix(e.Request.URL, b.base))
			mu.Unlock()
		}
	})
	go wait()
	return func() (int, []string) {
		mu.Lock()
		defer mu.Unlock()
		return len(seen), append([]string(nil), seen...)
	}
}

// focused describes document.activeElement: its id, or its tag name.
func (b *tab) focused() string {
	b.t.Helper()
	var s string
	b.must(&s, `() => { const el = document.activeElement; return el ? (el.id ? "#" + el.id : el.localName + (el.hasAttribute("data-error-summary") ? "[data-error-summary]" : "")) : "" }`)
	return s
}

// eval runs fn in the page through DevTools, which works even when the
// page's own scripts are disabled, and decodes its JSON result into out.
func (b *tab) eval(out any, fn string, args ...any) error {
	res, err := b.page.Eval(fn, args...)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal([]byte(res.Value.JSON("", "")), out)
}

// must is eval that fails the test on error.
func (b *tab) must(out any, fn string, args ...any) {
	b.t.Helper()
	if err := b.eval(out, fn, args...); err != nil {
		b.t.Fatalf("eval %s: %v", fn, err)
	}
}

// waitTimeout bounds one wait; the test's own deadline bounds them all.
const waitTimeout = 10 * time.Second

// waitFor polls fn, a JS predicate, until it returns true, failing the test
// after waitTimeout. Errors while a navigation swaps the document are
// retried. On failure, the test reports what describe (a JS expression
// function) says about the page, if given.
func (b *tab) waitFor(what, fn string, args ...any) {
	b.t.Helper()
	b.waitForOr(what, "", fn, args...)
}

func (b *tab) waitForOr(what, describe, fn string, args ...any) {
	b.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	var lastErr error
	for {
		var ok bool
		err := b.eval(&ok, fn, args...)
		if err == nil && ok {
			return
		}
		lastErr = err
		if ctxErr := b.page.GetContext().Err(); ctxErr != nil || time.Now().After(deadline) {
			msg := fmt.Sprintf("waited %v for %s", waitTimeout, what)
			if describe != "" {
				var state any
				if err := b.eval(&state, describe, args...); err == nil {
					msg += fmt.Sprintf("; the page shows %v", state)
				}
			}
			if lastErr != nil {
				msg += fmt.Sprintf(" (last error: %v)", lastErr)
			}
			b.t.Fatal(msg)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// text returns the trimmed text content of the first element matching sel,
// or "" when there is none.
func (b *tab) text(sel string) string {
	b.t.Helper()
	var s string
	b.must(&s, textOf, sel)
	return s
}

const textOf = `(sel) => document.querySelector(sel)?.textContent.trim() ?? "(no element)"`

// waitText waits until the element matching sel has the text want.
func (b *tab) waitText(sel, want string) {
	b.t.Helper()
	b.waitForOr(fmt.Sprintf("%s to read %q", sel, want), textOf,
		`(sel, want) => document.querySelector(sel)?.textContent.trim() === want`, sel, want)
}

// value returns the value property of the form control matching sel.
func (b *tab) value(sel string) string {
	b.t.Helper()
	var s string
	b.must(&s, `(sel) => document.querySelector(sel).value`, sel)
	return s
}

// attr returns an attribute of the first element matching sel, or "" when
// it has none.
func (b *tab) attr(sel, name string) string {
	b.t.Helper()
	var s string
	b.must(&s, `(sel, name) => document.querySelector(sel)?.getAttribute(name) ?? ""`, sel, name)
	return s
}

// url and path are the document's location.
func (b *tab) url() string {
	b.t.Helper()
	var s string
	b.must(&s, `() => location.href`)
	return s
}

func (b *tab) path() string {
	b.t.Helper()
	var s string
	b.must(&s, `() => location.pathname`)
	return s
}

// click moves the mouse to the middle of the element matching sel and
// clicks, as a person would.
func (b *tab) click(sel string) {
	b.t.Helper()
	var pt struct{ X, Y float64 }
	b.waitFor(sel+" to exist", `(sel) => !!document.querySelector(sel)`, sel)
	b.must(&pt, `(sel) => {
		const el = document.querySelector(sel);
		el.scrollIntoView({block: "center", inline: "center"});
		const r = el.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
	}`, sel)
	mouse := b.page.Mouse
	if err := mouse.MoveTo(proto.Point{X: pt.X, Y: pt.Y}); err != nil {
		b.t.Fatalf("move to %s: %v", sel, err)
	}
	if err := mouse.Click(proto.InputMouseButtonLeft, 1); err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
}

// fill clicks into the control matching sel, selects what it holds and
// types text over it.
func (b *tab) fill(sel, text string) {
	b.t.Helper()
	b.click(sel)
	keys := b.page.KeyActions().Press(input.ControlLeft).Type('a').Release(input.ControlLeft).Type(input.Backspace)
	if err := keys.Do(); err != nil {
		b.t.Fatalf("clear %s: %v", sel, err)
	}
	if text != "" {
		if err := b.page.InsertText(text); err != nil {
			b.t.Fatalf("type into %s: %v", sel, err)
		}
	}
	if got := b.value(sel); got != text {
		b.t.Fatalf("%s holds %q after typing %q", sel, got, text)
	}
}

// setFile gives the file input matching sel one file with that name and
// content, through DevTools (no file dialog).
func (b *tab) setFile(sel, name, content string) {
	b.t.Helper()
	path := filepath.Join(b.t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.t.Fatal(err)
	}
	el, err := b.page.Timeout(waitTimeout).Element(sel)
	if err != nil {
		b.t.Fatalf("find %s: %v", sel, err)
	}
	if err := el.SetFiles([]string{path}); err != nil {
		b.t.Fatalf("set file on %s: %v", sel, err)
	}
}

// press types one key, e.g. input.Enter, into the focused element.
func (b *tab) press(key input.Key) {
	b.t.Helper()
	if err := b.page.Keyboard.Type(key); err != nil {
		b.t.Fatalf("press %v: %v", key, err)
	}
}

// status returns the HTTP status of the document now shown, as the browser
// received it.
func (b *tab) status() int {
	b.t.Helper()
	var s int
	b.must(&s, `() => performance.getEntriesByType("navigation")[0]?.responseStatus ?? 0`)
	return s
}
