package e2e

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/formaction/formaction/example/login/app"
)

// demo serves the example app on a fresh temporary database; the cheapest
// bcrypt cost keeps tests quick.
func demo(t *testing.T) string {
	return serve(t, demoApp(t))
}

// demoApp is the example app's handler on a database in tb's temporary
// directory, closed when tb ends.
func demoApp(tb testing.TB) http.Handler {
	tb.Helper()
	db, err := app.OpenDB(filepath.Join(tb.TempDir(), "demo.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	h, err := app.New(app.Options{DB: db, BcryptCost: bcrypt.MinCost})
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// The client loads only when JavaScript runs: window.formaction is the
// bundle installing itself.
func TestClientLoadsOnlyWithJavaScript(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		var kind string
		if b.js {
			b.waitFor("window.formaction", `() => typeof window.formaction === "object"`)
			b.must(&kind, `() => typeof window.formaction.deserialize`)
			if kind != "function" {
				t.Fatalf("typeof formaction.deserialize = %q, want function", kind)
			}
			return
		}
		b.must(&kind, `() => typeof window.formaction`)
		if kind != "undefined" {
			t.Fatalf("with JavaScript disabled, typeof window.formaction = %q, want undefined", kind)
		}
	})
}

// logIn fills the login page's form and presses "Log in".
func logIn(b *tab, email, password string) {
	b.t.Helper()
	b.fill("#email", email)
	b.fill("#password", password)
	b.click("main form button:not([formaction])")
}

// Named action ?/login: the right password logs in and the page, loaded
// after the action, greets the user by name.
func TestLoginSucceeds(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		b.mark()
		requests := b.countRequests()
		logIn(b, "alice@example.com", "correct horse")
		b.waitText("#success", "Successfully logged in! Welcome back, Alice")
		b.expectSameDocument()
		if n, seen := requests(); b.js && n != 1 {
			t.Errorf("%d requests for one submission, want 1: %v", n, seen)
		}
		if got := b.value("#password"); got != "" {
			t.Errorf("password holds %q after a success", got)
		}
		if b.js && b.focused() != "body" {
			t.Errorf("focus after success is on %s, want body", b.focused())
		}
		b.visit("/account")
		b.waitText("#account", "You are signed in as Alice (alice@example.com).")
	})
}

// fail(400, {email, missing: true}): the message, the status, and the field
// marked invalid with its error tied to it.
func TestLoginWithoutEmail(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		b.mark()
		requests := b.countRequests()
		logIn(b, "", "whatever")
		b.waitText("#email-error", "The email field is required")
		b.expectSameDocument()
		if n, seen := requests(); b.js && n != 1 {
			t.Errorf("%d requests for one submission, want 1: %v", n, seen)
		}
		if b.js {
			// Focus moves to the error summary; what was typed stays.
			if got := b.focused(); got != "div[data-error-summary]" {
				t.Errorf("focus is on %s, want the error summary", got)
			}
			if got := b.value("#password"); got != "whatever" {
				t.Errorf("password holds %q, want what was typed", got)
			}
		}
		b.waitText("[data-error-summary] li", "The email field is required")
		if got := b.attr("#email", "aria-invalid"); got != "true" {
			t.Errorf(`#email aria-invalid = %q, want "true"`, got)
		}
		if got := b.attr("#email", "aria-describedby"); got != "email-error" {
			t.Errorf(`#email aria-describedby = %q, want "email-error"`, got)
		}
		if !b.js {
			if got := b.status(); got != 400 {
				t.Errorf("HTTP status %d, want 400", got)
			}
		}
	})
}

// Wrong credentials: "Invalid credentials!", the email filled in again, the
// password not sent back.
func TestLoginWithWrongPassword(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		logIn(b, "alice@example.com", "wrong")
		b.waitText("#password-error", "Invalid credentials!")
		if got := b.value("#email"); got != "alice@example.com" {
			t.Errorf("email field holds %q, want it filled in again", got)
		}
		if got := b.attr("#password", "aria-invalid"); got != "true" {
			t.Errorf(`#password aria-invalid = %q, want "true"`, got)
		}
		var html string
		b.must(&html, `() => document.documentElement.outerHTML`)
		if strings.Contains(html, `value="wrong"`) {
			t.Error("the page echoes the password")
		}
	})
}

// A failure inserts the error summary above the form, and a success takes
// it away again: the page shows the same thing either way, and with the
// client the form's elements are the ones the user was using (none is
// removed and re-created, so nothing the browser keeps on an element is
// lost), while nothing but what changed is touched.
func TestFailureAndSuccessKeepTheForm(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		if b.js {
			b.must(nil, `() => {
				for (const el of document.querySelectorAll("main form, main form *, main h1")) el.__kept = true;
				window.__removed = [];
				new MutationObserver((records) => {
					for (const r of records) for (const n of r.removedNodes) if (n.nodeType === 1) window.__removed.push(n.outerHTML.slice(0, 60));
				}).observe(document.body, { childList: true, subtree: true });
			}`)
		}
		kept := func(when string) {
			if !b.js {
				return
			}
			var lost []string
			b.must(&lost, `() => [...document.querySelectorAll("main form, main form *, main h1")]
				.filter((el) => !el.__kept && !el.closest("[data-error-summary]")).map((el) => el.outerHTML.slice(0, 60))`)
			// Only the error summary may go (on the success).
			var removed []string
			b.must(&removed, `() => window.__removed.splice(0).filter((html) => !html.includes("data-error-summary"))`)
			if len(lost) > 0 || len(removed) > 0 {
				t.Errorf("%s: elements re-created %q, removed %q; want the form's own elements kept", when, lost, removed)
			}
		}
		logIn(b, "alice@example.com", "wrong")
		b.waitText(".error-summary-title", "There is a problem")
		b.waitText("#password-error", "Invalid credentials!")
		if got := b.focused(); got != "div[data-error-summary]" {
			t.Errorf("after the failure focus is on %q, want the error summary", got)
		}
		kept("after the failure")

		logIn(b, "alice@example.com", "correct horse")
		b.waitText("#success", "Successfully logged in! Welcome back, Alice")
		var summaries int
		b.must(&summaries, `() => document.querySelectorAll("[data-error-summary]").length`)
		if summaries != 0 {
			t.Errorf("after the success %d error summaries are on the page", summaries)
		}
		if got := b.text("#password-error"); got != "" {
			t.Errorf("after the success #password-error says %q", got)
		}
		kept("after the success")
	})
}

// The Register button's formaction="?/register" picks the other action;
// a new account is logged in, and registering it again fails.
func TestRegister(t *testing.T) {
	bothModes(t, "", func(t *testing.T, b *tab) {
		b.base = demo(t) // a fresh store: bob registers in each mode
		b.visit("/login")
		b.fill("#email", "bob@example.com")
		b.fill("#password", "s3cret")
		b.click("button[formaction='?/register']")
		b.waitText("#success", "Successfully logged in! Welcome back, Bob")

		b.visit("/login")
		b.fill("#email", "bob@example.com")
		b.fill("#password", "other")
		b.click("button[formaction='?/register']")
		b.waitText("#email-error", "A user with this email already exists")

		b.visit("/login")
		logIn(b, "bob@example.com", "s3cret")
		b.waitText("#success", "Successfully logged in! Welcome back, Bob")
	})
}

// ?redirectTo=/account answers the login with a 303 there.
func TestLoginRedirectTo(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/account")
		b.waitText("#account", "You are not signed in. Log in")
		b.click("#account a")
		b.waitFor("the login page", `() => location.pathname === "/login" && location.search === "?redirectTo=/account"`)
		logIn(b, "alice@example.com", "correct horse")
		b.waitText("#account", "You are signed in as Alice (alice@example.com).")
		if got := b.path(); got != "/account" {
			t.Errorf("landed on %s, want /account", got)
		}
	})
}

// The layout's widget on another page posts to /login?/login. The result
// lands where the browser lands without JavaScript: on the login page,
// showing it (SvelteKit 3's cross-page navigation). Enhanced, that takes one
// request, adds a history entry and keeps the document.
func TestLayoutWidgetPostsAcrossPages(t *testing.T) {
	for _, tt := range []struct{ name, password, sel, want string }{
		{"failure", "wrong", "#password-error", "Invalid credentials!"},
		{"success", "correct horse", "#success", "Successfully logged in! Welcome back, Alice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bothModes(t, demo(t), func(t *testing.T, b *tab) {
				b.visit("/search")
				b.mark()
				var before int
				b.must(&before, `() => history.length`)
				requests := b.countRequests()
				b.fill("#widget-email", "alice@example.com")
				b.fill("#widget-password", tt.password)
				b.click("form.widget button")
				b.waitText(tt.sel, tt.want)
				b.expectSameDocument()
				if got := b.path(); got != "/login" {
					t.Errorf("the page is %s, want /login", got)
				}
				if got := b.value("#email"); got != "alice@example.com" && tt.name == "failure" {
					t.Errorf("the login form's email holds %q, want it filled in again", got)
				}
				if tt.name == "success" {
					b.waitText("#signed-in", "Signed in as Alice")
				}
				var after int
				b.must(&after, `() => history.length`)
				if after != before+1 {
					t.Errorf("history went from %d to %d entries, want one more", before, after)
				}
				if !b.js {
					return
				}
				if n, seen := requests(); n != 1 {
					t.Errorf("%d requests, want the POST alone: %v", n, seen)
				}
				want := "div[data-error-summary]"
				if tt.name == "success" {
					want = "body"
				}
				if got := b.focused(); got != want {
					t.Errorf("focus is on %s, want %s", got, want)
				}
				b.waitFor("the announcement", `() => document.querySelector("[data-formaction-announcer]").textContent === document.title`)
				b.must(nil, `() => history.back()`)
				b.waitFor("the search page again", `() => location.pathname === "/search" && !!document.querySelector("#q")`)
			})
		})
	}
}

// The layout's log-out button on another page lands on the account page,
// signed out, in both modes.
func TestLayoutWidgetLogsOut(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		logIn(b, "alice@example.com", "correct horse")
		b.waitText("#success", "Successfully logged in! Welcome back, Alice")
		b.visit("/search")
		b.mark()
		b.waitText("#signed-in", "Signed in as Alice")
		b.click("form.widget button")
		b.waitText("#account", "You are not signed in. Log in")
		b.expectSameDocument()
		if got := b.path(); got != "/account" {
			t.Errorf("the page is %s, want /account", got)
		}
		if got := b.text("#signed-in"); got != "(no element)" {
			t.Errorf("the layout still shows %q", got)
		}
	})
}

// The logout action deletes the cookie and clears locals, so the account
// page, loaded after it, shows the user signed out at once.
func TestLogout(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/login")
		logIn(b, "alice@example.com", "correct horse")
		b.waitText("#success", "Successfully logged in! Welcome back, Alice")
		b.visit("/account")
		b.waitText("#signed-in", "Signed in as Alice")
		b.click("main form button")
		b.waitText("#account", "You are not signed in. Log in")
		if got := b.text("#signed-in"); got != "(no element)" {
			t.Errorf("the layout still shows %q", got)
		}
		b.visit("/account")
		b.waitText("#account", "You are not signed in. Log in")
	})
}

// A GET form navigates to /search?q=… like a link and runs no action.
func TestSearch(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/search")
		b.fill("#q", "action")
		b.click("form[role=search] button")
		b.waitText("#summary", "3 results for “action”")
		b.waitText("#results li:first-child", "Default actions")
		if got := b.url(); !strings.HasSuffix(got, "/search?q=action") {
			t.Errorf("URL %s, want /search?q=action", got)
		}
		if b.js {
			// The announcer stays visually hidden under the demo's
			// Content-Security-Policy, which blocks style attributes.
			var hidden bool
			b.must(&hidden, `() => { const s = getComputedStyle(document.querySelector("[data-formaction-announcer]"));
				return s.position === "fixed" && s.clipPath !== "none" }`)
			if !hidden {
				t.Error("the route announcer shows on the page")
			}
		}
	})
}

// An action returning a Date, a BigInt and a Map: the page shows them, and
// with JavaScript the client holds them as those types.
func TestTypesBeyondJSON(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/types")
		b.fill("#text", "to be or not to be")
		b.click("main form button")
		b.waitText("#bigint", "18446744073709551617")
		b.waitText("#map", "to=2 be=2 or=1 not=1")
		if got := b.text("#date"); len(got) != 24 || !strings.HasSuffix(got, "Z") {
			t.Errorf("the date reads %q", got)
		}
		if !b.js {
			return
		}
		var kinds string
		b.must(&kinds, `() => { const f = formaction.page.form;
			return [f.now instanceof Date, typeof f.big, f.counts instanceof Map, f.counts.get("to"), f.big === 2n ** 64n + 1n].join(" ") }`)
		if kinds != "true bigint true 2 true" {
			t.Errorf("the client decoded %s", kinds)
		}
	})
}

// error(404) from a load renders the app's error page with that status.
func TestErrorPage(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/no-such-page")
		b.waitText("h1", "404")
		b.waitText("#error-message", "Not Found")
		if got := b.status(); got != 404 {
			t.Errorf("HTTP status %d, want 404", got)
		}
		var title string
		b.must(&title, `() => document.title`)
		if !strings.HasPrefix(title, "Error: ") {
			t.Errorf("title %q, want the Error: prefix", title)
		}
	})
}
