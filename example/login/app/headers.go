package app

import "net/http"

// contentSecurityPolicy allows the demo's own scripts, styles and images
// and nothing else: no inline script or style (enhance.js and the
// stylesheet are files), no framing (clickjacking), forms that post only
// to this site, and no <base> or plugins.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets, on every response, the headers a page served to
// browsers should have.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
