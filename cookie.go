package formaction

import (
	"net"
	"net/http"
	"strings"
	"time"
)

// CookieOptions are the attributes of a cookie set with SetCookie. The zero
// value gives SvelteKit's defaults: Path=/, HttpOnly, Secure (except over
// plain HTTP to localhost), SameSite=Lax.
type CookieOptions struct {
	// Path defaults to "/"; a cookie always carries an explicit Path, so it
	// does not silently depend on the URL that set it.
	Path    string
	Domain  string
	MaxAge  int // seconds; 0 leaves it a session cookie
	Expires time.Time
	// SameSite defaults to Lax.
	SameSite http.SameSite
	// Readable lets scripts read the cookie (no HttpOnly).
	Readable bool
	// Insecure lets the cookie travel over plain HTTP (no Secure). It is
	// implied for http://localhost and 127.0.0.1, where browsers would
	// otherwise drop a Secure cookie during development, unless the
	// request shows that the browser used HTTPS (an https Origin or
	// Referer, X-Forwarded-Proto or Forwarded). Behind a proxy that
	// forwards to localhost, have it send X-Forwarded-Proto, so that a GET
	// with neither header sets Secure cookies too.
	Insecure bool
}

// SetCookie sets a cookie on the response with SvelteKit's defaults.
func SetCookie(w http.ResponseWriter, r *http.Request, name, value string, opts CookieOptions) {
	http.SetCookie(w, cookie(r, name, value, opts))
}

// DeleteCookie removes a cookie. Pass the Path and Domain it was set with.
func DeleteCookie(w http.ResponseWriter, r *http.Request, name string, opts CookieOptions) {
	c := cookie(r, name, "", opts)
	c.MaxAge = -1
	c.Expires = time.Unix(0, 0)
	http.SetCookie(w, c)
}

func cookie(r *http.Request, name, value string, opts CookieOptions) *http.Cookie {
	c := &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     opts.Path,
		Domain:   opts.Domain,
		MaxAge:   opts.MaxAge,
		Expires:  opts.Expires,
		SameSite: opts.SameSite,
		HttpOnly: !opts.Readable,
		Secure:   !opts.Insecure && !plainLocalhost(r),
	}
	if c.Path == "" {
		c.Path = "/"
	}
	if c.SameSite == 0 {
		c.SameSite = http.SameSiteLaxMode
	}
	return c
}

// plainLocalhost reports whether r came over plain HTTP to this machine by
// name or loopback address, where a Secure cookie would be dropped. A
// request that a proxy forwarded from HTTPS is not one, even when the
// proxy names this machine in Host, as nginx's proxy_pass
// http://127.0.0.1:8080 does: see sawHTTPS.
func plainLocalhost(r *http.Request) bool {
	if r.TLS != nil || sawHTTPS(r) {
		return false
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sawHTTPS reports whether the browser sent r over HTTPS, by what it or a
// proxy says: an https Origin or Referer, or a proxy's X-Forwarded-Proto
// or Forwarded header naming https.
func sawHTTPS(r *http.Request) bool {
	for _, name := range []string{"Origin", "Referer", "X-Forwarded-Proto"} {
		if v := strings.ToLower(r.Header.Get(name)); v == "https" || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "https,") {
			return true
		}
	}
	return strings.Contains(strings.ToLower(r.Header.Get("Forwarded")), "proto=https")
}
