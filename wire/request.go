package wire

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/formaction/formaction/internal/accept"
)

// Request headers of the enhanced client.
const (
	// HeaderAction marks an enhanced submission. When a page also serves a
	// JSON endpoint on its path, it picks the page's action over the endpoint.
	HeaderAction = "X-Sveltekit-Action"
	// HeaderRender asks for the re-rendered page in the result's html field,
	// so an enhanced submission needs one round trip.
	HeaderRender = "X-Formaction-Render"
)

// DefaultAction is the name of a page's unnamed action. It is reserved:
// "?/default" in a URL is an error.
const DefaultAction = "default"

// NewRequest builds the request an enhanced client sends to submit form to
// the action at actionURL ("https://example.com/login?/register"): a POST
// with the form URL-encoded, Accept: application/json and
// X-Sveltekit-Action: true. A server answers it with an ActionResult for
// DecodeResponse. When origin is not empty it is sent as the Origin header,
// which a SvelteKit server's cross-site check requires of form posts.
func NewRequest(ctx context.Context, actionURL string, form url.Values, origin string) (*http.Request, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, actionURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "application/json")
	r.Header.Set(HeaderAction, "true")
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	return r, nil
}

// IsEnhanced reports whether r is a POST that wants an ActionResult as JSON
// rather than an HTML page: its Accept header negotiates application/json
// over text/html. A missing Accept counts as */*, which gives JSON, as in
// SvelteKit; a browser's native form post asks for HTML.
func IsEnhanced(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	return accept.Request(r, "application/json", "text/html") == "application/json"
}

// ActionName returns the action a URL names: the first query key that starts
// with "/", without the slash ("?/login" names "login"), or DefaultAction
// when there is none. Its value and the other keys are ignored. The second
// result is false when the URL names the reserved "default" explicitly.
func ActionName(u *url.URL) (name string, ok bool) {
	for _, part := range strings.Split(u.RawQuery, "&") {
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if strings.HasPrefix(key, "/") {
			name = key[1:]
			return name, name != DefaultAction
		}
	}
	return DefaultAction, true
}

// Location is the URL a browser lands on after posting to u natively, minus
// the action key: the path and query of u with the first key that starts
// with "/" removed, other keys kept byte for byte.
func Location(u *url.URL) string {
	parts := strings.Split(u.RawQuery, "&")
	for i, part := range parts {
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if strings.HasPrefix(key, "/") {
			parts = append(parts[:i:i], parts[i+1:]...)
			break
		}
	}
	loc := u.EscapedPath()
	if loc == "" {
		loc = "/"
	}
	if strings.HasPrefix(loc, "//") {
		// "//evil.example/x" is a path on this server but, as a location,
		// another host: escape the second slash so it stays a path.
		loc = "/%2F" + loc[2:]
	}
	if q := strings.Join(parts, "&"); q != "" {
		loc += "?" + q
	}
	return loc
}
