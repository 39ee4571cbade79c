package e2e

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/go-rod/rod/lib/input"
)

// What the demo's accessibility audit asked for, in Chromium: the skip
// link, the GOV.UK error summary on the login page, a focus ring on
// invalid fields, the pending state, the network error and the success
// message in a status region the page loads with.

// The skip link is the first stop of the keyboard and leads to <main>;
// the login page links to the full sign-up form, whose password field
// asks for a new password.
func TestSkipLinkAndSignupLink(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		b.press(input.Tab)
		var skip struct{ Text, Href string }
		b.must(&skip, `() => ({Text: document.activeElement.textContent, Href: document.activeElement.getAttribute("href")})`)
		if skip.Text != "Skip to main content" || skip.Href != "#main" {
			t.Errorf("the first tab stop is %+v, want the skip link to #main", skip)
		}
		var visible bool
		b.must(&visible, `() => { const r = document.activeElement.getBoundingClientRect(); return r.right > 0 && r.width > 0 }`)
		if !visible {
			t.Error("the focused skip link is off screen")
		}
		b.axe("login, skip link focused")
		b.press(input.Enter)
		b.waitFor("focus in main", `() => document.activeElement === document.querySelector("main#main")`)

		if got := b.attr("main a[href='/signup']", "href"); got != "/signup" {
			t.Error("the login page does not link to /signup")
		}
		b.visit("/signup")
		if got := b.attr("#password", "autocomplete"); got != "new-password" {
			t.Errorf("/signup's password autocomplete=%q, want new-password", got)
		}
	})
}

// A failed login shows GOV.UK's error summary at the top of <main>: a
// heading, role="alert" inside, and a link to the field of each problem.
// "Invalid credentials!" marks the email invalid and says why in its
// description, and an invalid field keeps its focus ring.
func TestLoginErrorSummary(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		logIn(b, "alice@example.com", "wrong")
		b.waitText("#password-error", "Invalid credentials!")
		b.settled()
		var summary struct {
			First, Heading, Alert string
			Links                 []string
		}
		b.must(&summary, `() => {
			const s = document.querySelector("[data-error-summary]");
			return {
				First: document.querySelector("main").firstElementChild === s ? "yes" : "no",
				Heading: s.querySelector("h2")?.textContent,
				Alert: s.querySelector("[role=alert]")?.contains(s.querySelector("h2")) ? "yes" : "no",
				Links: [...s.querySelectorAll("li a")].map((a) => a.getAttribute("href") + " " + a.textContent),
			} }`)
		if summary.First != "yes" || summary.Heading != "There is a problem" || summary.Alert != "yes" ||
			strings.Join(summary.Links, "\n") != "#email Invalid credentials!" {
			t.Errorf("the summary is %+v, want first in main, the heading, role=alert around it, a link to #email", summary)
		}
		if got := b.attr("#email", "aria-invalid"); got != "true" {
			t.Errorf("#email aria-invalid=%q", got)
		}
		var description string
		b.must(&description, `() => document.getElementById(document.querySelector("#email").getAttribute("aria-describedby")).textContent`)
		if description != "Invalid credentials! No account has this email and password" {
			t.Errorf("#email is described by %q", description)
		}

		b.click("#email")
		var ring struct {
			Style, Color string
			Width        float64
			Visible      bool
		}
		b.must(&ring, `() => { const el = document.activeElement, s = getComputedStyle(el);
			return {Style: s.outlineStyle, Color: s.outlineColor, Width: parseFloat(s.outlineWidth), Visible: el.id === "email" && el.matches(":focus-visible")} }`)
		if !ring.Visible || ring.Style != "solid" || ring.Width < 2 || ring.Color == "rgb(170, 0, 0)" {
			t.Errorf("the focused invalid email shows the outline %+v, want a focus ring of 2px or more, not the error colour", ring)
		}
		b.axe("login failed, the invalid email focused")
	})
}

// An email over 254 characters and a password over 72 bytes are errors
// on their fields, with the summary; the long email is not sent back.
func TestLongCredentials(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		long := strings.Repeat("e", 250) + "@example.com"
		b.setValue("#email", long) // the input's maxlength stops typing, not a crafted value
		b.fill("#password", "whatever")
		b.click("main form button:not([formaction])")
		b.waitText("#email-error", "Enter an email address of at most 254 characters")
		b.waitText("[data-error-summary] a[href='#email']", "Enter an email address of at most 254 characters")
		// The server does not send it back; with JavaScript the client
		// keeps what was typed, as after any failure.
		if b.js {
			var sent string
			b.must(&sent, `() => formaction.page.form.email`)
			if sent != "" {
				t.Errorf("the result carries the email %.20q…", sent)
			}
		} else if got := b.value("#email"); got != "" {
			t.Errorf("the page sent back the email %.20q…", got)
		}
		b.axe("login with an email too long")

		b.settled()
		b.fill("#email", "carol@example.com")
		b.fill("#password", strings.Repeat("é", 37))
		b.click("button[formaction='?/register']")
		b.waitText("#password-error", "Enter a password of at most 72 bytes: use fewer accented letters or symbols")
		b.waitText("[data-error-summary] a[href='#password']", "Enter a password of at most 72 bytes: use fewer accented letters or symbols")
		b.axe("register with a password too long")
	})
}

// The success message appears inside a status region the page had before
// the submission, so that screen readers announce it (with JavaScript the
// region is the same element).
func TestSuccessInStatusRegion(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		b.must(nil, `() => { document.querySelector("main > [role=status]").__before = true }`)
		logIn(b, "alice@example.com", "correct horse")
		b.waitText("#success", "Successfully logged in! Welcome back, Alice")
		var same bool
		b.must(&same, `() => document.querySelector("#success").parentElement.matches("main > [role=status]") &&
			document.querySelector("#success").parentElement.__before === true`)
		if same != b.js {
			t.Errorf("the success message is in the status region the page had: %v, want %v", same, b.js)
		}
		if got := b.attr("#success", "role"); got != "" {
			t.Errorf("#success has role %q: the region around it is the status", got)
		}
	})
}

// holdPosts serves h, but holds each POST until release is closed: the
// form stays pending for as long as the test needs.
func holdPosts(h http.Handler, release <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			// Read the body first: only then does the server watch the
			// connection, and cancel the request's context when the
			// client gives up on it.
			body, err := io.ReadAll(r.Body)
			if err != nil {
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			select {
			case <-release:
			case <-r.Context().Done():
			}
			if r.Context().Err() != nil {
				return // the client gave up on it: nothing to answer
			}
		}
		h.ServeHTTP(w, r)
	})
}

// While a login is in flight the button keeps its colours and stays
// enabled, and "Logging in…" (or "Registering…") shows in a status
// region; axe passes in that state.
func TestLoginPending(t *testing.T) {
	release := make(chan struct{})
	base := serve(t, holdPosts(demoApp(t), release))
	// Registered after serve, so it runs first: the server's Close waits
	// for the held requests.
	letGo := sync.OnceFunc(func() { close(release) })
	t.Cleanup(letGo)
	b := newTab(t, base, true)
	b.visit("/login")
	b.waitFor("the client", `() => typeof window.formaction === "object"`)
	b.fill("#email", "alice@example.com")
	b.fill("#password", "correct horse")

	pending := func(button, want, hidden string) {
		t.Helper()
		b.click(button)
		b.waitFor("the form to be pending", `(sel) => document.querySelector(sel).hasAttribute("data-pending")`, button)
		var state struct {
			Shown, Hidden []string
			InStatus      bool
			Disabled      bool
			Opacity, Busy string
		}
		b.must(&state, `(sel) => {
			const form = document.querySelector("main form"), button = document.querySelector(sel);
			const notes = [...form.querySelectorAll(".pending")];
			let opacity = 1;
			for (let el = button; el; el = el.parentElement) opacity *= +getComputedStyle(el).opacity;
			return {
				Shown: notes.filter((n) => n.checkVisibility()).map((n) => n.textContent),
				Hidden: notes.filter((n) => !n.checkVisibility()).map((n) => n.textContent),
				InStatus: notes.every((n) => n.closest("[role=status]")),
				Disabled: button.disabled,
				Opacity: String(opacity),
				Busy: form.getAttribute("aria-busy"),
			} }`, button)
		if strings.Join(state.Shown, " ") != want || strings.Join(state.Hidden, " ") != hidden || !state.InStatus {
			t.Errorf("pending %s: shown %q, hidden %q, in a status region %v; want %q shown", button, state.Shown, state.Hidden, state.InStatus, want)
		}
		if state.Disabled || state.Opacity != "1" || state.Busy != "true" {
			t.Errorf("pending %s: disabled %v, opacity %s, aria-busy %q; want enabled, opaque, busy", button, state.Disabled, state.Opacity, state.Busy)
		}
		b.axe("pending " + want)
	}
	pending("main form button:not([formaction])", "Logging in…", "Registering…")
	// Register, pressed while the login is in flight, aborts it: only
	// Register is pending now.
	pending("button[formaction='?/register']", "Registering…", "Logging in…")
	letGo()
	b.waitText("#email-error", "A user with this email already exists")
	var shown int
	b.must(&shown, `() => [...document.querySelectorAll(".pending")].filter((n) => n.checkVisibility()).length`)
	if shown != 0 {
		t.Errorf("%d pending notes still show after the answer", shown)
	}
}

// When no answer comes (the connection drops), the client's alert is
// styled as an error, says what to do, and passes axe.
func TestNetworkError(t *testing.T) {
	h := demoApp(t)
	base := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	b := newTab(t, base, true)
	b.visit("/login")
	b.waitFor("the client", `() => typeof window.formaction === "object"`)
	logIn(b, "alice@example.com", "correct horse")
	b.waitFor("the alert", `() => !!document.querySelector("[data-formaction-error]")`)
	var alert struct{ Text, Role, Border, Colour string }
	b.must(&alert, `() => { const el = document.querySelector("[data-formaction-error]"), s = getComputedStyle(el);
		return {Text: el.textContent, Role: el.getAttribute("role"), Border: s.borderTopStyle + " " + s.borderTopColor, Colour: s.color} }`)
	if alert.Text != "Could not reach the server. Check your connection and try again." {
		t.Errorf("the alert reads %q", alert.Text)
	}
	if alert.Role != "alert" || alert.Border != "solid rgb(170, 0, 0)" || alert.Colour != "rgb(170, 0, 0)" {
		t.Errorf("the alert: %+v, want role=alert in the error colour with a border", alert)
	}
	if got := b.value("#email"); got != "alice@example.com" {
		t.Errorf("the email holds %q after the error", got)
	}
	b.axe("network error")
}
