package e2e

import (
	"strings"
	"testing"
)

// Typed forms (package form) in the demo: /signup and the two forms of
// /account, JavaScript off and on.

// png is the start of a PNG file, enough for content sniffing.
const png = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

// setValue sets a control's value as a date picker or a select would,
// through DevTools, which works with the page's scripts disabled.
func (b *tab) setValue(sel, value string) {
	b.t.Helper()
	b.waitFor(sel+" to exist", `(sel) => !!document.querySelector(sel)`, sel)
	b.must(nil, `(sel, v) => { const el = document.querySelector(sel); el.value = v;
		el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})) }`, sel, value)
	if got := b.value(sel); got != value {
		b.t.Fatalf("%s holds %q after setting %q", sel, got, value)
	}
}

// settled waits until the page has finished loading, stylesheets
// included: after a native submission the new document's text is there
// before its layout settles, and a click aimed before then can miss.
func (b *tab) settled() {
	b.t.Helper()
	b.waitFor("the page to load", `() => document.readyState === "complete"`)
}

// enter is fill once the page has settled.
func (b *tab) enter(sel, text string) {
	b.t.Helper()
	b.settled()
	b.fill(sel, text)
}

// checked reports whether the checkbox matching sel is ticked.
func (b *tab) checked(sel string) bool {
	b.t.Helper()
	var c bool
	b.must(&c, `(sel) => document.querySelector(sel).checked`, sel)
	return c
}

// fillSignup fills the sign-up form with a valid sign-up for name and email.
func fillSignup(b *tab, name, email, password string) {
	b.t.Helper()
	b.enter("#name", name)
	b.enter("#email", email)
	b.enter("#password", password)
	b.enter("#age", "34")
	b.setValue("#birthday", "1990-04-01")
	b.setValue("#plan", "pro")
	b.click("#interests")
	b.click("#interests-htmx")
	b.click("#terms")
	b.setFile("#avatar", "me.png", png)
}

// A valid sign-up creates the user, logs them in and welcomes them; the
// new user can then log in on /login.
func TestSignupSucceeds(t *testing.T) {
	bothModes(t, "", func(t *testing.T, b *tab) {
		b.base = demo(t) // a fresh store: ann signs up in each mode
		b.visit("/signup")
		b.axe("signup")
		// The browser gets the constraints the struct's tags give.
		for sel, want := range map[string]string{
			"#name": "required maxlength=100", "#email": "type=email required", "#password": "type=password required minlength=8 maxlength=72",
			"#age": "type=number required min=13 max=130", "#birthday": "type=date required", "#terms": "type=checkbox required",
			"#avatar": "type=file",
		} {
			for _, a := range strings.Fields(want) {
				name, value, _ := strings.Cut(a, "=")
				var has bool
				b.must(&has, `(sel, n) => document.querySelector(sel).hasAttribute(n)`, sel, name)
				if !has || b.attr(sel, name) != value {
					t.Errorf("%s: %s=%q, want %q", sel, name, b.attr(sel, name), value)
				}
			}
		}
		b.mark()
		fillSignup(b, "Ann Example", "ann@example.com", "correct horse battery")
		b.click("main form button")
		b.waitText("#welcome", "Welcome, Ann Example")
		b.axe("signup succeeded")
		b.waitText("#signed-in", "Signed in as Ann Example")
		b.expectSameDocument()
		if got := b.text("[data-error-summary]"); got != "(no element)" {
			t.Errorf("an error summary after success: %q", got)
		}
		if got := b.value("#name"); got != "" {
			t.Errorf("the name field holds %q after success, want it reset", got)
		}

		b.visit("/account")
		b.waitText("#account", "You are signed in as Ann Example (ann@example.com).")
		b.axe("account after signing up")
		b.click("main form button") // log out
		b.waitText("#account", "You are not signed in. Log in")
		b.visit("/login")
		logIn(b, "ann@example.com", "correct horse battery")
		b.waitText("#success", "Successfully logged in! Welcome back, Ann Example")
	})
}

// Every field's error shows by the field, in the summary as a link to it,
// with aria-invalid and aria-describedby; the values come back, except the
// password.
func TestSignupFieldErrors(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/signup")
		b.mark()
		b.enter("#name", "")
		b.enter("#email", "ann@")
		b.enter("#password", "short")
		b.enter("#age", "12")
		b.setValue("#birthday", "2999-01-01")
		// Values the page does not offer, as a crafted post would send.
		b.must(nil, `() => { document.querySelector('#plan option[value=pro]').value = 'gold';
			document.querySelector('#interests-svelte').value = 'cobol' }`)
		b.setValue("#plan", "gold")
		b.click("#interests")
		b.click("#interests-svelte")
		b.setFile("#avatar", "notes.txt", "not an image")
		b.click("main form button")

		want := map[string]string{
			"name":      "Name is required",
			"email":     "Enter an email address like name@example.com",
			"password":  "Password must be at least 8 characters",
			"age":       "Age must be 13 or more",
			"birthday":  "Date of birth must not be in the future",
			"plan":      "Choose plan from the list",
			"interests": "Choose interests from the list",
			"terms":     "Tick the box to confirm you accept the terms",
			"avatar":    "The avatar must be an image, such as a PNG or JPEG",
		}
		order := []string{"name", "email", "password", "age", "birthday", "plan", "interests", "terms", "avatar"}
		b.waitText("#name-error", want["name"])
		b.expectSameDocument()
		b.axe("signup with every field wrong")
		for _, field := range order {
			if got := b.text("#" + field + "-error"); got != want[field] {
				t.Errorf("#%s-error reads %q, want %q", field, got, want[field])
			}
			sel := "#" + field
			if got := b.attr(sel, "aria-invalid"); got != "true" {
				t.Errorf(`%s aria-invalid = %q, want "true"`, sel, got)
			}
			if got := b.attr(sel, "aria-describedby"); got != field+"-error" {
				t.Errorf(`%s aria-describedby = %q, want %q`, sel, got, field+"-error")
			}
		}
		var links []string
		b.must(&links, `() => [...document.querySelectorAll("[data-error-summary] a")].map(a => a.getAttribute("href") + " " + a.textContent)`)
		var wantLinks []string
		for _, field := range order {
			wantLinks = append(wantLinks, "#"+field+" "+want[field])
		}
		if strings.Join(links, "\n") != strings.Join(wantLinks, "\n") {
			t.Errorf("summary links:\n%s\nwant\n%s", strings.Join(links, "\n"), strings.Join(wantLinks, "\n"))
		}
		if got := b.text("[data-error-summary] h2"); got != "There is a problem" {
			t.Errorf("summary heading %q", got)
		}
		var title string
		b.must(&title, `() => document.title`)
		if !strings.HasPrefix(title, "Error: ") {
			t.Errorf("title %q, want the Error: prefix", title)
		}
		if got := b.value("#email"); got != "ann@" {
			t.Errorf("email holds %q, want what was typed", got)
		}
		if got := b.value("#age"); got != "12" {
			t.Errorf("age holds %q, want what was typed", got)
		}
		if got := b.attr("#password", "value"); got != "" {
			t.Errorf("the page sends the password back: value=%q", got)
		}
		var html string
		b.must(&html, `() => document.documentElement.outerHTML`)
		if strings.Contains(html, "short") {
			t.Error("the page echoes the password")
		}
		if !b.checked("#interests") {
			t.Error("Go is no longer ticked among the interests")
		}
		if b.js {
			if got := b.focused(); got != "div[data-error-summary]" {
				t.Errorf("focus is on %s, want the error summary", got)
			}
			var email any
			b.must(&email, `() => formaction.page.form.errors.email`)
			if email != want["email"] {
				t.Errorf("result.data.errors.email = %v", email)
			}
		} else if got := b.status(); got != 400 {
			t.Errorf("HTTP status %d, want 400", got)
		}

		// Fix everything but the avatar, now too large: only it fails.
		b.enter("#name", "Ann")
		b.enter("#email", "ann@example.com")
		b.enter("#password", "correct horse battery")
		b.enter("#age", "34")
		b.setValue("#birthday", "1990-04-01")
		b.setValue("#plan", "free")
		if b.checked("#interests-svelte") {
			b.click("#interests-svelte")
		}
		if !b.checked("#terms") {
			b.click("#terms")
		}
		b.setFile("#avatar", "big.png", png+strings.Repeat("\x00", 1<<20))
		b.click("main form button")
		b.waitText("#avatar-error", "The avatar must be 1 MB or smaller")
		b.axe("signup with an avatar too large")
		var invalid []string
		b.must(&invalid, `() => [...document.querySelectorAll('[aria-invalid="true"]')].map(e => e.id)`)
		if strings.Join(invalid, " ") != "avatar" {
			t.Errorf("invalid controls %v, want only the avatar", invalid)
		}
		if got := b.text("[data-error-summary] ul"); got != "The avatar must be 1 MB or smaller" {
			t.Errorf("summary lists %q", got)
		}
	})
}

// An email that has an account already is an error the action finds.
func TestSignupEmailTaken(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/signup")
		fillSignup(b, "Alice Again", "alice@example.com", "correct horse battery")
		b.click("main form button")
		b.waitText("#email-error", "An account with this email already exists: log in instead")
		if got := b.text("[data-error-summary] a[href='#email']"); got != "An account with this email already exists: log in instead" {
			t.Errorf("summary: %q", got)
		}
		if got := b.value("#name"); got != "Alice Again" {
			t.Errorf("name holds %q", got)
		}
	})
}

// The account page's two forms each show their own errors only.
func TestAccountForms(t *testing.T) {
	bothModes(t, "", func(t *testing.T, b *tab) {
		b.base = demo(t) // a fresh store: alice's password changes in each mode
		b.visit("/login?redirectTo=/account")
		logIn(b, "alice@example.com", "correct horse")
		b.waitText("#account", "You are signed in as Alice (alice@example.com).")
		if got := b.value("#name"); got != "Alice" {
			t.Fatalf("the rename form holds %q, want the current name", got)
		}

		summaries := func() string {
			var s string
			b.must(&s, `() => [...document.querySelectorAll("[data-error-summary]")].map(s => s.closest("form").id).join(" ")`)
			return s
		}
		invalid := func() string {
			var s []string
			b.must(&s, `() => [...document.querySelectorAll('[aria-invalid="true"]')].map(e => e.id)`)
			return strings.Join(s, " ")
		}

		// The password form fails: its errors, in it alone.
		b.enter("#current_password", "wrong")
		b.enter("#new_password", "short")
		b.enter("#confirm_password", "other")
		b.click("#password button")
		b.waitText("#new_password-error", "New password must be at least 8 characters")
		b.waitText("#confirm_password-error", "The passwords do not match")
		b.axe("account, the password form failed")
		if got := summaries(); got != "password" {
			t.Errorf("error summaries in forms %q, want the password form's only", got)
		}
		if got := invalid(); got != "new_password confirm_password" {
			t.Errorf("invalid controls %q", got)
		}
		if got := b.text("#name-error"); got != "" {
			t.Errorf("the rename form shows %q", got)
		}
		if got := b.value("#name"); got != "Alice" {
			t.Errorf("the rename form holds %q", got)
		}
		for _, sel := range []string{"#current_password", "#new_password", "#confirm_password"} {
			if got := b.attr(sel, "value"); got != "" {
				t.Errorf("%s sent back with value=%q", sel, got)
			}
		}

		// The rename form fails: its error, in it alone.
		b.enter("#name", "")
		b.click("#rename button")
		b.waitText("#name-error", "Name is required")
		b.axe("account, the rename form failed")
		if got := summaries(); got != "rename" {
			t.Errorf("error summaries in forms %q, want the rename form's only", got)
		}
		if got := invalid(); got != "name" {
			t.Errorf("invalid controls %q", got)
		}
		if got := b.text("#new_password-error"); got != "" {
			t.Errorf("the password form still shows %q", got)
		}
		var title string
		b.must(&title, `() => document.title`)
		if !strings.HasPrefix(title, "Error: ") {
			t.Errorf("title %q", title)
		}

		// The action's own check: the current password.
		b.enter("#current_password", "wrong")
		b.enter("#new_password", "a new password")
		b.enter("#confirm_password", "a new password")
		b.click("#password button")
		b.waitText("#current_password-error", "Your current password is not right")
		if got := invalid(); got != "current_password" {
			t.Errorf("invalid controls %q", got)
		}

		// Both succeed.
		b.enter("#name", "Alicia")
		b.click("#rename button")
		b.waitText("#rename-done", "Your name is now Alicia")
		b.waitText("#signed-in", "Signed in as Alicia")
		if got := summaries(); got != "" {
			t.Errorf("error summaries after success: %q", got)
		}
		b.enter("#current_password", "correct horse")
		b.enter("#new_password", "a new password")
		b.enter("#confirm_password", "a new password")
		b.click("#password button")
		b.waitText("#password-done", "Your password has been changed")
		if got := b.text("#rename-done"); got != "(no element)" {
			t.Errorf("the rename notice lasts: %q", got)
		}

		b.click("main form button") // log out
		b.waitText("#account", "You are not signed in. Log in")
		b.visit("/login")
		logIn(b, "alice@example.com", "a new password")
		b.waitText("#success", "Successfully logged in! Welcome back, Alicia")
	})
}
