package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Every response of the demo, pages, errors, redirects, the client script
// and the stylesheet, carries the security headers.
func TestSecurityHeaders(t *testing.T) {
	h := newTestApp(t, Options{BcryptCost: bcrypt.MinCost})
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/", ""},
		{"GET", "/login", ""},
		{"GET", "/no-such-page", ""},
		{"GET", "/static/style.css", ""},
		{"POST", "/login?/login", "email=&password=x"},
		{"POST", "/account?/logout", ""},
	} {
		r := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
		if tt.method == "POST" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "same-origin",
		} {
			if got := w.Header().Get(name); got != want {
				t.Errorf("%s %s: %s = %q, want %q", tt.method, tt.path, name, got, want)
			}
		}
		csp := w.Header().Get("Content-Security-Policy")
		for _, directive := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
			if !strings.Contains(csp, directive) {
				t.Errorf("%s %s: Content-Security-Policy %q lacks %s", tt.method, tt.path, csp, directive)
			}
		}
	}
	res := httptest.NewRecorder()
	h.ServeHTTP(res, httptest.NewRequest("GET", "/static/style.css", nil))
	if res.Code != http.StatusOK {
		t.Errorf("the stylesheet: %d", res.Code)
	}
}
