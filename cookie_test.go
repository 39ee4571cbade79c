package formaction_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/formaction/formaction"
)

func TestSetCookieDefaults(t *testing.T) {
	for _, tt := range []struct {
		url    string
		tls    bool
		secure bool
	}{
		{"http://localhost:8080/", false, false},
		{"http://127.0.0.1:8080/", false, false},
		{"http://[::1]:8080/", false, false},
		{"http://example.com/", false, true},
		{"https://localhost/", true, true},
		{"https://example.com/", true, true},
		// A proxy that forwards HTTPS to this machine, naming it in Host.
		{"http://127.0.0.1:8080/ Origin: https://app.example.com", false, true},
		{"http://localhost:8080/ Referer: https://app.example.com/login", false, true},
		{"http://127.0.0.1:8080/ X-Forwarded-Proto: https", false, true},
		{"http://127.0.0.1:8080/ Forwarded: for=192.0.2.60;proto=https", false, true},
		{"http://127.0.0.1:8080/ Origin: http://localhost:8080", false, false},
		{"http://127.0.0.1:8080/ Referer: http://localhost:8080/https:", false, false},
	} {
		url, header, _ := strings.Cut(tt.url, " ")
		r := httptest.NewRequest("POST", url, nil)
		if name, value, ok := strings.Cut(header, ": "); ok {
			r.Header.Set(name, value)
		}
		if tt.tls {
			r.TLS = &tls.ConnectionState{}
		}
		w := httptest.NewRecorder()
		formaction.SetCookie(w, r, "sessionid", "abc", formaction.CookieOptions{})
		c := w.Result().Cookies()[0]
		if c.Path != "/" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.secure {
			t.Errorf("%s: %v; want Path=/ HttpOnly SameSite=Lax Secure=%v", tt.url, c, tt.secure)
		}
	}

	r := httptest.NewRequest("POST", "https://example.com/", nil)
	r.TLS = &tls.ConnectionState{}
	w := httptest.NewRecorder()
	formaction.SetCookie(w, r, "theme", "dark", formaction.CookieOptions{
		Path: "/app", Readable: true, Insecure: true, SameSite: http.SameSiteStrictMode, MaxAge: 60,
	})
	c := w.Result().Cookies()[0]
	if c.Path != "/app" || c.HttpOnly || c.Secure || c.SameSite != http.SameSiteStrictMode || c.MaxAge != 60 {
		t.Errorf("options not applied: %v", c)
	}
}

func TestDeleteCookie(t *testing.T) {
	r := httptest.NewRequest("POST", "http://localhost/", nil)
	w := httptest.NewRecorder()
	formaction.DeleteCookie(w, r, "sessionid", formaction.CookieOptions{})
	h := w.Header().Get("Set-Cookie")
	if !strings.Contains(h, "sessionid=;") || !strings.Contains(h, "Max-Age=0") || !strings.Contains(h, "Path=/") {
		t.Errorf("Set-Cookie %q does not delete sessionid at Path=/", h)
	}
	if c := w.Result().Cookies()[0]; c.Expires.After(time.Unix(1, 0)) {
		t.Errorf("expires %v, want the epoch", c.Expires)
	}
}
