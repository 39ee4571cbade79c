package formaction_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/formaction/formaction"
)

// FuzzSafeRedirectTarget: whatever the target, the answer is the fallback
// or a path that stays on the site, with nothing a browser would strip or
// read as a slash, and Redirect accepts it.
func FuzzSafeRedirectTarget(f *testing.F) {
	for _, seed := range []string{"/", "/account?tab=2#x", "//evil.example", "/\\evil.example", "/\t/evil.example",
		"https://evil.example", "/%2F%2Fevil", "javascript:alert(1)", "/a b", "/\u2028", "\\\\evil", "/@evil.example", "/.//evil"} {
		f.Add(seed)
	}
	base, _ := url.Parse("https://site.example/dir/page?q=1")
	f.Fuzz(func(t *testing.T, target string) {
		got := formaction.SafeRedirectTarget(target, "/fallback")
		if got == "/fallback" {
			return
		}
		if got != target {
			t.Fatalf("SafeRedirectTarget(%q) = %q, neither the target nor the fallback", target, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\") ||
			strings.ContainsFunc(got, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
			t.Fatalf("SafeRedirectTarget(%q) let through %q", target, got)
		}
		u, err := base.Parse(got)
		if err != nil || u.Host != "site.example" || u.Scheme != "https" || u.User != nil {
			t.Fatalf("%q resolves to %v (%v), off the site", got, u, err)
		}
		if err := formaction.Redirect(303, got); err != nil {
			if _, ok := err.(*formaction.RedirectError); !ok {
				t.Fatalf("Redirect refuses the safe target %q: %v", got, err)
			}
		}
	})
}

// FuzzRedirectRefusesScripts: whatever the location, Redirect never
// accepts one that a browser would run as a javascript:, data: or
// vbscript: URL, whether or not url.Parse accepts it.
func FuzzRedirectRefusesScripts(f *testing.F) {
	for _, seed := range []string{"javascript:alert(1)", "JaVaScRiPt:x//#%", "data:text/html,x#%zz", "vbscript:x",
		"/javascript:x", "https://example.com/", "mailto:a@b.c", "javascript%3Ax", "java\tscript:x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, location string) {
		err := formaction.Redirect(303, location)
		if _, ok := err.(*formaction.RedirectError); !ok {
			return
		}
		lower := strings.ToLower(location)
		for _, scheme := range []string{"javascript:", "data:", "vbscript:"} {
			if strings.HasPrefix(lower, scheme) {
				t.Fatalf("Redirect(303, %q) accepted a %s URL", location, scheme)
			}
		}
	})
}
