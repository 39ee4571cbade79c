package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-rod/rod/lib/proto"

	"github.com/formaction/formaction/internal/oracle"
)

// axeSource is axe-core's script, from the repository's node_modules.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join(oracle.Root(), "node_modules", "axe-core", "axe.min.js"))
	return string(b), err
})

// axeTags are the rules every state of a page must pass: WCAG 2.2 A and
// AA (with the 2.0 and 2.1 rules they include) and axe's best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"}

// axe runs axe-core on the page as it stands and fails the test with
// every violation, named by state.
func (b *tab) axe(state string) {
	b.t.Helper()
	for _, v := range b.axeViolations() {
		b.t.Errorf("axe, %s: %s", state, v)
	}
}

// axeViolations runs axe-core and describes each violation. With JavaScript off, scripting is
// switched on only while axe runs (axe needs timers): the page's own
// scripts, never run at load, stay unrun, so the document is the one a
// visitor without JavaScript has.
func (b *tab) axeViolations() []string {
	b.t.Helper()
	src, err := axeSource()
	if err != nil {
		b.t.Fatalf("axe-core is missing (npm ci installs it): %v", err)
	}
	if !b.js {
		b.scripting(true)
		defer b.scripting(false)
	}
	var raw string
	b.must(&raw, `async (src, tags) => {
		if (!window.axe) (0, eval)(src);
		const r = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
		return JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary) })));
	}`, src, axeTags)
	var violations []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		b.t.Fatalf("axe's answer: %v", err)
	}
	var out []string
	for _, v := range violations {
		out = append(out, fmt.Sprintf("%s (%s, %s)\n\t%s", v.Help, v.ID, v.Impact, strings.Join(v.Nodes, "\n\t")))
	}
	return out
}

// The check can fail: a page with an image without alt text, an unlabelled
// input and no lang has violations, in both modes.
func TestAxeSeesViolations(t *testing.T) {
	base := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<!doctype html><html><head><title>Bad</title></head><body><img src="/x.png"><input name="q"></body></html>`)
	}))
	bothModes(t, base, func(t *testing.T, b *tab) {
		b.visit("/")
		found := strings.Join(b.axeViolations(), "\n")
		for _, id := range []string{"image-alt", "label", "html-has-lang"} {
			if !strings.Contains(found, "("+id+",") {
				t.Errorf("axe did not report %s; it reported:\n%s", id, found)
			}
		}
	})
}

// Every page of the demo, in every state a visitor can reach, passes axe,
// JavaScript off (after native posts) and on (after enhanced ones).
func TestDemoAccessibility(t *testing.T) {
	bothModes(t, demo(t), func(t *testing.T, b *tab) {
		b.visit("/")
		b.axe("home")
		b.visit("/login")
		b.axe("login")
		logIn(b, "", "whatever")
		b.waitText("#email-error", "The email field is required")
		b.axe("login without an email")
		logIn(b, "alice@example.com", "wrong")
		b.waitText("#password-error", "Invalid credentials!")
		b.axe("login with a wrong password")
		b.fill("#email", "alice@example.com")
		b.fill("#password", "anything")
		b.click("main form button[formaction]")
		b.waitText("#email-error", "A user with this email already exists")
		b.axe("register an existing email")
		b.visit("/account")
		b.waitText("#account", "You are not signed in. Log in")
		b.axe("account, signed out")
		b.visit("/login")
		logIn(b, "alice@example.com", "correct horse")
		b.waitText("#success", "Successfully logged in! Welcome back, Alice")
		b.axe("login succeeded")
		b.visit("/account")
		b.waitText("#account", "You are signed in as Alice (alice@example.com).")
		b.axe("account, signed in")
		b.visit("/search")
		b.axe("search")
		b.fill("#q", "action")
		b.click("form[role=search] button")
		b.waitText("#summary", "3 results for “action”")
		b.axe("search results")
		b.visit("/types")
		b.axe("types")
		b.fill("#text", "to be or not to be")
		b.click("main form button")
		b.waitText("#map", "to=2 be=2 or=1 not=1")
		b.axe("types after the action")
		b.visit("/no-such-page")
		b.waitText("h1", "404")
		b.axe("not found")
	})
}

func (b *tab) scripting(on bool) {
	b.t.Helper()
	if err := (proto.EmulationSetScriptExecutionDisabled{Value: !on}).Call(b.page); err != nil {
		b.t.Fatalf("switch scripting: %v", err)
	}
}
