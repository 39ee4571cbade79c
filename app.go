package formaction

import (
	"errors"
	"fmt"
	"github.com/formaction/formaction/devalue"
	"log/slog"
	"net/http"
	"sort"
	"strings"
)

// Default limits of a request body.
const (
	DefaultMaxBodyBytes = 10 << 20 // 10 MiB
	DefaultMaxMemory    = 1 << 20  // multipart bytes kept in memory; the rest goes to temporary files
)

// App is what the pages of an application share: the error page, the
// layout load, error reporting, limits and cross-origin protection. The zero
// App is ready to use.
type App struct {
	// ErrorPage renders errors for pages that have no ErrorPage of their
	// own. By default a plain page shows the status and the message.
	ErrorPage Renderer

	// Layout loads data for what every page shows, such as the signed-in
	// user; pages see it as View.Layout. Like a page's Load, it runs after
	// the action.
	Layout func(r *http.Request) (any, error)

	// HandleError turns an unexpected error (anything but Error, Redirect
	// and Fail, panics included) into the message the user sees with its
	// 500. It runs after the error is logged; by default the user sees
	// "Internal Error" and nothing of the error's details.
	HandleError func(r *http.Request, err error) string

	// Logger receives unexpected errors; slog.Default() when nil.
	Logger *slog.Logger

	// MaxBodyBytes limits a request body: a larger one is answered with 413.
	// Zero means DefaultMaxBodyBytes; negative means no limit. A multipart
	// form beyond net/http's own bounds (1,000 parts; text fields over
	// MaxMemory plus 10 MB) is a 413 too.
	MaxBodyBytes int64

	// MaxMemory is how much of a multipart body is kept in memory; files
	// beyond it are spooled to disk. Zero means DefaultMaxMemory.
	MaxMemory int64

	// TrustedOrigins may post forms from other origins, for instance
	// "https://admin.example.com". Cross-origin posts from anywhere else are
	// refused with 403 by net/http's CrossOriginProtection.
	TrustedOrigins []string

	// InsecureBypassPatterns are ServeMux patterns, such as
	// "POST /webhooks/", that skip the cross-origin check.
	InsecureBypassPatterns []string

	// AllowCrossOrigin turns cross-origin protection off: for an app behind
	// a proxy that already enforces it.
	AllowCrossOrigin bool

	// Devalue encodes action data for enhanced requests; set it for
	// reducers of custom types (SvelteKit's transport hook) or BigInts. The
	// client revives custom types with formaction.revivers.
	Devalue *devalue.Encoder
}

// Page is one page: its data, its actions and how it renders.
type Page struct {
	// Load returns the page's data; it runs on every GET, and after an
	// action, so the page shows what the action changed. It may return
	// Redirect or Error.
	Load func(r *http.Request) (any, error)

	// Actions are the page's form actions: one named "default", or any
	// number of named ones, never both.
	Actions Actions

	// Render writes the page.
	Render Renderer

	// ErrorPage renders this page's errors; the App's when nil.
	ErrorPage Renderer

	// Endpoint, when set, answers the requests a page does not: PUT, PATCH
	// and DELETE, and POSTs that negotiate away from HTML without carrying
	// X-Sveltekit-Action: true (a JSON API on the same path, as a
	// +server.js beside a +page in SvelteKit).
	Endpoint http.Handler
}

// Action handles a form post. It reads the form from r (already parsed), may
// set headers and cookies on w, but does not write the body. It returns:
//
//   - data for the page, or nil: success;
//   - Fail(status, data): failure, the form is re-rendered;
//   - an error from Redirect or Error, or any other error, which is
//     unexpected and answered with a 500.
type Action func(w http.ResponseWriter, r *http.Request) (any, error)

// Actions maps names to actions. A page with a single action names it
// "default"; forms post to it with action="/path". Named actions are
// invoked with action="?/name".
type Actions map[string]Action

// Page checks p and returns its handler. A page with both a default and
// named actions is refused, as are a missing renderer and a bad trusted
// origin.
func (a *App) Page(p Page) (http.Handler, error) {
	if p.Render == nil {
		return nil, errors.New("formaction: the page has no Render")
	}
	if _, ok := p.Actions["default"]; ok && len(p.Actions) > 1 {
		names := make([]string, 0, len(p.Actions))
		for name := range p.Actions {
			names = append(names, name)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("formaction: a page has a default action or named actions, not both (it has %s): "+
			"after a post to ?/name the URL keeps ?/name, so the next default post would run the named action",
			strings.Join(names, ", "))
	}
	for name, action := range p.Actions {
		if action == nil {
			return nil, fmt.Errorf("formaction: action %q is nil", name)
		}
		if strings.HasPrefix(name, "/") {
			return nil, fmt.Errorf("formaction: action %q: names have no leading slash; forms post to ?/name", name)
		}
	}
	h := &page{app: a, Page: p}
	if p.ErrorPage == nil {
		h.ErrorPage = a.ErrorPage
	}
	if h.ErrorPage == nil {
		h.ErrorPage = defaultErrorPage
	}
	h.allow = "GET, HEAD, OPTIONS"
	if len(p.Actions) > 0 {
		h.allow += ", POST"
	}
	h.handler = http.HandlerFunc(h.serve)
	if !a.AllowCrossOrigin {
		cop := http.NewCrossOriginProtection()
		for _, origin := range a.TrustedOrigins {
			if err := cop.AddTrustedOrigin(origin); err != nil {
				return nil, fmt.Errorf("formaction: trusted origin: %w", err)
			}
		}
		for _, pattern := range a.InsecureBypassPatterns {
			if err := addBypassPattern(cop, pattern); err != nil {
				return nil, err
			}
		}
		cop.SetDenyHandler(http.HandlerFunc(h.denyCrossOrigin))
		h.handler = cop.Handler(h.handler)
	}
	return h, nil
}

// addBypassPattern adds a pattern to cop, returning the error that
// AddInsecureBypassPattern panics with for a malformed or conflicting one:
// Page reports bad configuration as an error.
func addBypassPattern(cop *http.CrossOriginProtection, pattern string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("formaction: insecure bypass pattern %q: %v", pattern, p)
		}
	}()
	cop.AddInsecureBypassPattern(pattern)
	return nil
}

// MustPage is Page for package initialisation: it panics on a bad page.
func (a *App) MustPage(p Page) http.Handler {
	h, err := a.Page(p)
	if err != nil {
		panic(err)
	}
	return h
}

func (a *App) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

func (a *App) maxBodyBytes() int64 {
	if a.MaxBodyBytes == 0 {
		return DefaultMaxBodyBytes
	}
	return a.MaxBodyBytes
}

func (a *App) maxMemory() int64 {
	if a.MaxMemory <= 0 {
		return DefaultMaxMemory
	}
	return a.MaxMemory
}
