package formaction_test

import (
	"strings"
	"testing"

	"github.com/formaction/formaction"
)

// The cross-origin matrix: methods × content types × origins. Protection is
// net/http's CrossOriginProtection: a browser request is refused when
// Sec-Fetch-Site says it is cross-site or, without that header, when Origin
// differs from Host. Unlike SvelteKit it also covers non-form bodies, and it
// lets through requests with neither header, which no browser sends for a
// cross-origin post (curl, server-to-server calls).
func TestCrossOriginMatrix(t *testing.T) {
	f := newFixture(t, func(a *formaction.App) {
		a.TrustedOrigins = []string{"https://trusted.example.com"}
		a.InsecureBypassPatterns = []string{"POST /single"}
	})
	self := f.url // http://127.0.0.1:port
	methods := []string{"POST", "PUT", "PATCH", "DELETE"}
	types := []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "text/plaiN", "application/json"}
	refused := []map[string]string{
		{"Origin": "https://evil.example.com"},
		{"Origin": "https://trusted.example.com.evil.com"},
		{"Origin": "https://evil.trusted.example.com"},
		{"Origin": "http://trusted.example.com"}, // the scheme counts
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site", "Origin": "https://sub.127.0.0.1"},
		{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example.com"},
	}
	allowed := []map[string]string{
		{"Origin": self},
		{"Sec-Fetch-Site": "same-origin", "Origin": self},
		{"Sec-Fetch-Site": "none"},
		{"Origin": "https://trusted.example.com"},
		{"Sec-Fetch-Site": "cross-site", "Origin": "https://trusted.example.com"},
		{}, // no browser headers: not a browser
	}
	for _, m := range methods {
		for _, ct := range types {
			for _, h := range refused {
				for _, enhanced := range []bool{false, true} {
					res := f.do(t, request{method: m, path: "/login?/data", contentType: ct, body: "email=x", header: h, enhanced: enhanced})
					msg := "Cross-site " + m + " form submissions are forbidden"
					if res.status != 403 {
						t.Errorf("%s %s %v enhanced=%v: %d, want 403", m, ct, h, enhanced, res.status)
						continue
					}
					if enhanced {
						want := envelope(t, errResult("/login", 403, msg))
						if res.body != want {
							t.Errorf("%s %s %v: body %s, want %s", m, ct, h, res.body, want)
						}
					} else if res.body != "error page status=403 message="+msg {
						t.Errorf("%s %s %v: body %q, want the error page", m, ct, h, res.body)
					}
				}
			}
			for _, h := range allowed {
				res := f.do(t, request{method: m, path: "/login?/data", contentType: ct, body: "email=x", header: h})
				if res.status == 403 {
					t.Errorf("%s %s %v: refused, want it through", m, ct, h)
				}
			}
		}
	}
	// Safe methods are never refused.
	for _, m := range []string{"GET", "HEAD", "OPTIONS"} {
		res := f.do(t, request{method: m, path: "/login", header: map[string]string{"Origin": "https://evil.example.com", "Sec-Fetch-Site": "cross-site"}})
		if res.status == 403 {
			t.Errorf("%s from another origin was refused", m)
		}
	}
	// A bypass pattern lets a webhook-like route through.
	res := f.do(t, request{path: "/single", body: "email=x", header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example.com"}})
	if res.status != 200 || !strings.HasPrefix(res.body, "page status=200") {
		t.Errorf("bypassed route: %d %q", res.status, res.body)
	}
}

// AllowCrossOrigin turns the check off.
func TestCrossOriginProtectionCanBeTurnedOff(t *testing.T) {
	f := newFixture(t, func(a *formaction.App) { a.AllowCrossOrigin = true })
	res := f.do(t, request{path: "/login?/data", body: "email=x", header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example.com"}})
	if res.status != 200 {
		t.Errorf("status %d, want 200 with protection off", res.status)
	}
}
