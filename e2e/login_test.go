package e2e

import (
	"testing"

	"github.com/formaction/formaction/example/login/app"
)

// The client loads only when JavaScript runs: window.formaction is the
// bundle installing itself.
func TestClientLoadsOnlyWithJavaScript(t *testing.T) {
	base := serve(t, app.New())
	bothModes(t, base, func(t *testing.T, b *tab) {
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

// A plain form post logs in and re-renders the page, JavaScript or not.
func TestLoginFormPosts(t *testing.T) {
	base := serve(t, app.New())
	bothModes(t, base, func(t *testing.T, b *tab) {
		b.visit("/login")
		b.fill("#email", "alice@example.com")
		b.fill("#password", "hunter2")
		b.click("form button")
		b.waitText("[role=status]", "Successfully logged in! Welcome back, alice@example.com")
		if got := b.value("#email"); got != "alice@example.com" {
			t.Errorf("email field holds %q after the post", got)
		}
		if got := b.status(); got != 200 {
			t.Errorf("HTTP status %d, want 200", got)
		}
	})
}

// A post without an email answers 400 and shows the error, tied to the field.
func TestLoginFormFailure(t *testing.T) {
	base := serve(t, app.New())
	bothModes(t, base, func(t *testing.T, b *tab) {
		b.visit("/login")
		b.click("form button")
		b.waitText("#email-error", "The email field is required")
		var invalid string
		b.must(&invalid, `() => document.querySelector("#email").getAttribute("aria-invalid")`)
		if invalid != "true" {
			t.Errorf(`aria-invalid = %q, want "true"`, invalid)
		}
		if got := b.status(); got != 400 {
			t.Errorf("HTTP status %d, want 400", got)
		}
	})
}
