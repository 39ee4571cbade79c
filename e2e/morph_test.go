//go:build linux

package e2e

import (
	"sync"
	"testing"

	"github.com/go-rod/rod/lib/proto"
)

// The client renders a new page by morphing the body in place. For each
// pair of bodies, applying the second to the first leaves exactly the
// second's markup, keeps the elements that have a counterpart (the same
// node, so focus, caret and listeners survive), and keeps what the user
// chose in a control the new markup does not change, while a control the
// user left alone takes the new markup's value.
func TestMorph(t *testing.T) {
	k := newKit(t)
	b := newTab(t, k.base, true)
	b.visit("/actions")
	b.waitFor("the client", `() => !!window.formaction`)
	// A page with this head and the given body, and the markup of a body's
	// nodes without the client's announcer.
	b.must(nil, `() => {
		window.__page = (body) => "<!doctype html><html lang=en>" + document.head.outerHTML + "<body>" + body + "</body></html>";
		window.__markup = (nodes) => [...nodes].filter((n) => !n.matches?.("[data-formaction-announcer]"))
			.map((n) => n.outerHTML ?? new XMLSerializer().serializeToString(n)).join("");
	}`)
	type morphCase struct {
		Name, Before, After string
		Edit                string            // run after Before is shown
		Kept                []string          // selectors whose element must survive
		Values              map[string]string // selector: the control's value (checked or selected for those)
	}
	cases := []morphCase{
		{Name: "an element inserted first",
			Before: `<h1>Log in</h1><p class="hint">Hint</p><div role="status"></div><form><div><input id="a"></div></form>`,
			After:  `<div class="summary" tabindex="-1"><h2>There is a problem</h2></div><h1>Log in</h1><p class="hint">Hint</p><div role="status"></div><form><div><input id="a" aria-invalid="true"></div></form>`,
			Kept:   []string{"h1", ".hint", "[role=status]", "form", "form > div", "#a"}},
		{Name: "the first element removed",
			Before: `<div class="summary"><h2>There is a problem</h2></div> <h1>Log in</h1> <p class="hint">Hint</p> <div role="status"></div> <form><input id="a"></form>`,
			After:  `<h1>Log in</h1> <p class="hint">Hint</p> <div role="status"><p>Welcome</p></div> <form><input id="a"></form>`,
			Kept:   []string{"h1", ".hint", "[role=status]", "form", "#a"}},
		{Name: "a long run removed before an element with an id",
			Before: `<p>1</p><p>2</p><p>3</p><p>4</p><p>5</p><p>6</p><p>7</p><p>8</p><p>9</p><p>10</p><form id="f"><input id="a"></form>`,
			After:  `<form id="f"><input id="a" aria-invalid="true"></form>`,
			Kept:   []string{"#f", "#a"}},
		{Name: "a long run inserted before an element with an id",
			Before: `<form id="f"><input id="a"></form>`,
			After:  `<p>1</p><p>2</p><p>3</p><p>4</p><p>5</p><p>6</p><p>7</p><p>8</p><p>9</p><p>10</p><form id="f"><input id="a"></form>`,
			Kept:   []string{"#f", "#a"}},
		{Name: "a field inserted between others",
			Before: `<form><label for="a">A</label><input id="a"><label for="c">C</label><input id="c"></form>`,
			After:  `<form><label for="a">A</label><input id="a"><label for="b">B</label><input id="b"><label for="c">C</label><input id="c"></form>`,
			Kept:   []string{"form", "#a", "#c"}},
		{Name: "a template's content changed",
			Before: `<template id="t"><p>row of page A</p></template><p id="x">1</p>`,
			After:  `<template id="t"><p>row of page B</p></template><p id="x">1</p>`,
			Kept:   []string{"#t", "#x"}},
		{Name: "elements with ids swapped",
			Before: `<p id="x">1</p><p id="y">2</p><p id="z">3</p>`,
			After:  `<p id="y">2</p><p id="x">1</p><p id="z">3</p>`,
			Kept:   []string{"#z"}},
		{Name: "a tag changed, text and attributes changed",
			Before: `<p class="a" data-x="1">one</p><span>two</span><!-- note --><input id="a" class="c" disabled>`,
			After:  `<div class="a">one</div><span title="t">three</span><!-- other --><input id="a" aria-invalid="true">`,
			Kept:   []string{"span", "#a"}},
		{Name: "everything removed, everything new",
			Before: `<main><p>a</p></main>`,
			After:  `<header><nav><a href="/">Home</a></nav></header><main><p>b</p><ul><li>1</li><li>2</li></ul></main>`,
			Kept:   []string{"main", "main > p"}},
		{Name: "SVG attributes in their namespace",
			Before: `<svg viewBox="0 0 10 10"><a href="/a"><text>x</text></a><use xlink:href="#one"></use></svg>`,
			After:  `<svg viewBox="0 0 20 20"><a href="/b"><text>x</text></a><use xlink:href="#two"></use></svg>`,
			Kept:   []string{"svg", "svg use"}},
		{Name: "controls the user edited keep their values, the others take the new ones",
			Before: `<form><input id="typed" value="server"><input id="left" value="server">` +
				`<input id="box" type="checkbox"><input id="box2" type="checkbox">` +
				`<select id="pick"><option>a</option><option>b</option><option>c</option></select>` +
				`<select id="pick2"><option>a</option><option>b</option></select>` +
				`<textarea id="note">old</textarea><textarea id="note2">old</textarea></form>`,
			Edit: `document.querySelector("#typed").value = "mine";
				document.querySelector("#box").checked = true;
				document.querySelector("#pick").value = "c";
				document.querySelector("#note").value = "my note";`,
			After: `<form><input id="typed" value="new" aria-invalid="true"><input id="left" value="new" aria-invalid="true">` +
				`<input id="box" type="checkbox" class="x"><input id="box2" type="checkbox" checked>` +
				`<select id="pick" class="x"><option>a</option><option selected>b</option><option>c</option></select>` +
				`<select id="pick2" class="x"><option>a</option><option selected>b</option></select>` +
				`<textarea id="note" class="x">new</textarea><textarea id="note2" class="x">new</textarea></form>`,
			Kept: []string{"#typed", "#left", "#box", "#box2", "#pick", "#pick2", "#note", "#note2"},
			Values: map[string]string{"#typed": "mine", "#left": "new", "#box": "true", "#box2": "true",
				"#pick": "c", "#pick2": "b", "#note": "my note", "#note2": "new"}},
	}
	for _, c := range cases {
		var got struct {
			Body, Want string
			Lost       []string
			Values     map[string]string
		}
		b.must(&got, `async (c) => {
			const page = __page;
			await formaction.applyAction({ type: "success", status: 200, html: page(c.Before) });
			if (c.Edit) new Function(c.Edit)();
			const before = new Map((c.Kept ?? []).map((s) => [s, document.querySelector(s)]));
			await formaction.applyAction({ type: "success", status: 200, html: page(c.After) });
			const values = {};
			for (const s of Object.keys(c.Values ?? {})) {
				const el = document.querySelector(s);
				values[s] = String(el.type === "checkbox" ? el.checked : el.value);
			}
			return {
				Body: __markup(document.body.childNodes),
				Want: __markup(new DOMParser().parseFromString(page(c.After), "text/html").body.childNodes),
				Lost: [...before].filter(([s, el]) => !el || document.querySelector(s) !== el).map(([s]) => s),
				Values: values,
			};
		}`, c)
		if got.Body != got.Want {
			t.Errorf("%s: the body is\n%s\nwant\n%s", c.Name, got.Body, got.Want)
		}
		if len(got.Lost) > 0 {
			t.Errorf("%s: %q were replaced, want them kept", c.Name, got.Lost)
		}
		for sel, want := range c.Values {
			if got.Values[sel] != want {
				t.Errorf("%s: %s holds %q, want %q", c.Name, sel, got.Values[sel], want)
			}
		}
	}
	// Random pairs of bodies (a fixed seed, so a failure repeats): the
	// morph must always leave exactly the new body's markup, whatever the
	// two bodies share.
	var mismatches []string
	b.must(&mismatches, `async () => {
		let seed = 20261127;
		const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
		const pick = (xs) => xs[rand(xs.length)];
		const tree = (depth) => {
			let html = "";
			for (let n = rand(6); n > 0; n--) {
				const r = rand(10);
				if (r < 2) html += pick(["a", "b", " ", "\n  ", "text"]);
				else if (r < 3) html += "<!--" + pick(["x", "y"]) + "-->";
				else if (r < 4) html += '<input' + pick(["", ' id="i1"', ' id="i2"', ' name="n"', ' value="v"', ' type="checkbox" checked']) + '>';
				else {
					const tag = pick(["p", "div", "span", "ul", "li", "section"]);
					const id = pick(["", "", "", ' id="a"', ' id="b"', ' id="c"']);
					const attr = pick(["", "", ' class="x"', ' class="y"', ' data-k="1"', ' aria-invalid="true"']);
					html += "<" + tag + id + attr + ">" + (depth < 3 ? tree(depth + 1) : pick(["", "t"])) + "</" + tag + ">";
				}
			}
			return html;
		};
		const page = __page, markup = __markup;
		const bad = [];
		for (let k = 0; k < 300 && bad.length < 3; k++) {
			const before = tree(0), after = tree(0);
			await formaction.applyAction({ type: "success", status: 200, html: page(before) });
			await formaction.applyAction({ type: "success", status: 200, html: page(after) });
			const want = markup(new DOMParser().parseFromString(page(after), "text/html").body.childNodes);
			const got = markup(document.body.childNodes);
			if (got !== want) bad.push(before + "  ->  " + after + "  gave  " + got);
		}
		return bad;
	}`)
	for _, m := range mismatches {
		t.Errorf("random bodies: %s", m)
	}
	// The route announcer, which no page has, is still itself: never
	// removed, and never turned into one of the pages' elements.
	var announcer string
	b.must(&announcer, `() => [...document.querySelectorAll("[data-formaction-announcer]")].map((el) => el.getAttribute("aria-live")).join()`)
	if announcer != "polite" {
		t.Errorf("the announcers' aria-live: %q, want one, polite", announcer)
	}
}

// Once the page is idle the client morphs a small page of inert nodes, so
// that the first real morph runs warmed code (morph.js, warm_up). That
// leaves the document as the server sent it, and throws nothing.
func TestWarmUpLeavesThePageAlone(t *testing.T) {
	k := newKit(t)
	b := newTab(t, k.base, true)
	if err := (proto.RuntimeEnable{}).Call(b.page); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var thrown []string
	go b.page.EachEvent(func(e *proto.RuntimeExceptionThrown) {
		mu.Lock()
		defer mu.Unlock()
		thrown = append(thrown, e.ExceptionDetails.Text+" "+e.ExceptionDetails.Exception.Description)
	})()
	// The markup as parsed, before the page is idle.
	if _, err := (proto.PageAddScriptToEvaluateOnNewDocument{Source: `
		window.__markup = () => [...document.body.childNodes].filter((n) => !n.matches?.("[data-formaction-announcer]"))
			.map((n) => n.outerHTML ?? n.textContent).join("");
		addEventListener("DOMContentLoaded", () => { window.__parsed = __markup() });`}).Call(b.page); err != nil {
		t.Fatal(err)
	}
	b.visit("/actions")
	var same any
	b.must(&same, `async () => {
		// Idle callbacks run in the order they were asked for: this one
		// runs after the client's.
		await new Promise((done) => requestIdleCallback(done));
		return __markup() === __parsed || __markup() + "\n=====\n" + __parsed;
	}`)
	if same != true {
		t.Errorf("the page's body differs from the served one after the warm-up:\n%v", same)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(thrown) > 0 {
		t.Errorf("the page threw: %v", thrown)
	}
}
