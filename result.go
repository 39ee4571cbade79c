package formaction

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/formaction/formaction/wire"
)

// Failure is an action's answer to invalid input: the page re-renders with
// Data as its form result and Status as the HTTP status, and the enhanced
// client keeps what the user typed. Return it as an action's value (not as
// its error), built with Fail.
type Failure struct {
	Status int
	Data   any
}

// Fail returns a failure with a status from 400 to 599 (typically 400 or
// 422) and data for the page, such as the submitted values (never a
// password) and which fields are wrong:
//
//	return formaction.Fail(400, map[string]any{"email": email, "missing": true}), nil
//
// A status outside 400–599 is a programming error and panics.
func Fail(status int, data any) *Failure {
	if !errorStatus(status) {
		panic(fmt.Sprintf("formaction: Fail(%d): a failure's status must be from 400 to 599", status))
	}
	return &Failure{Status: status, Data: data}
}

// RedirectError is the error an action or load returns to redirect.
type RedirectError struct {
	Status   int
	Location string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("redirect %d to %s", e.Status, e.Location)
}

// Redirect returns an error that makes the response a redirect: a bare 3xx
// with Location after a native post, a redirect result that the client
// follows after an enhanced one. 303 is the usual answer to a POST.
//
//	return nil, formaction.Redirect(303, "/dashboard")
//
// A status outside 300–308 is a programming error and panics. A location
// that cannot be sent (empty, or holding control characters or whitespace,
// as a header-splitting "/\r\nSet-Cookie: …" would) gives an unexpected
// error instead, a 500 with the reason in the log, since locations often
// come from user input; so does a javascript:, data: or vbscript: URL. For a "return to" target taken from a request, see
// SafeRedirectTarget.
func Redirect(status int, location string) error {
	if !redirectStatus(status) {
		panic(fmt.Sprintf("formaction: Redirect(%d, %q): a redirect's status must be from 300 to 308", status, location))
	}
	if err := checkLocation(location); err != nil {
		return fmt.Errorf("formaction: Redirect(%d, %q): %w", status, location, err)
	}
	return &RedirectError{Status: status, Location: location}
}

// checkLocation reports why a redirect's location cannot be sent, if it
// cannot.
func checkLocation(location string) error {
	if location == "" || strings.ContainsFunc(location, badInLocation) {
		return errors.New("the location must be a non-empty URL without control characters or whitespace")
	}
	if scheme := urlScheme(location); scriptSchemes[scheme] {
		return fmt.Errorf("a %s: URL is not a page to redirect to", scheme)
	}
	return nil
}

// urlScheme returns a URL's scheme, lower-cased, as a browser reads it:
// the letters, digits, "+", "-" and "." before the first ":", starting
// with a letter. It does not need the rest of the URL to parse, as
// "javascript:alert(1)//#%" does not.
func urlScheme(location string) string {
	for i := 0; i < len(location); i++ {
		switch c := location[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return ""
			}
		case c == ':' && i > 0:
			return strings.ToLower(location[:i])
		default:
			return ""
		}
	}
	return ""
}

// errorStatus and redirectStatus are the statuses Fail and Error, and
// Redirect, accept; a result built without them is checked against them
// too (see page.failure and page.errorResult).
func errorStatus(status int) bool    { return status >= 400 && status <= 599 }
func redirectStatus(status int) bool { return status >= 300 && status <= 308 }

// scriptSchemes are the URL schemes that run or carry a document of the
// attacker's making; browsers refuse them in a Location header.
var scriptSchemes = map[string]bool{"javascript": true, "data": true, "vbscript": true}

// badInLocation reports the runes a Location header must not hold.
func badInLocation(r rune) bool {
	return unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError
}

// SafeRedirectTarget returns target when it is a path on this site, such
// as "/account?tab=2", and fallback otherwise. Use it for "return to"
// targets that come from a request (?redirectTo=…), so that a crafted link
// cannot send a user to another site after logging in: absolute and
// scheme-relative URLs ("https://evil.example", "//evil.example"),
// backslashes, which browsers read as slashes ("/\evil.example"), and
// control characters or whitespace, which browsers strip ("/\t/evil.example"
// lands on evil.example), all give the fallback.
func SafeRedirectTarget(target, fallback string) string {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") ||
		strings.ContainsRune(target, '\\') || strings.ContainsFunc(target, badInLocation) {
		return fallback
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return fallback
	}
	return target
}

// HTTPError is an expected error: its status and message are shown to the
// user on the error page, as they are.
type HTTPError struct {
	Status  int
	Message string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("%d %s", e.Status, e.Message)
}

// Error returns an expected error with a status from 400 to 599 and a
// message for the user, for instance Error(404, "No such post"). Any other
// error an action or load returns is unexpected: the user sees a 500 and
// "Internal Error" (or what App.HandleError says), and the details go to
// the log. A status outside 400–599 is a programming error and panics.
func Error(status int, message string) error {
	if !errorStatus(status) {
		panic(fmt.Sprintf("formaction: Error(%d, %q): an error's status must be from 400 to 599", status, message))
	}
	return &HTTPError{Status: status, Message: message}
}

// ErrorInfo is what an error page shows: the status and the message meant
// for the user.
type ErrorInfo struct {
	Status  int
	Message string
}

// asRedirect and asHTTPError unwrap the two kinds of error with meaning.
func asRedirect(err error) (*RedirectError, bool) {
	var r *RedirectError
	ok := errors.As(err, &r)
	return r, ok
}

func asHTTPError(err error) (*HTTPError, bool) {
	var e *HTTPError
	ok := errors.As(err, &e)
	return e, ok
}

// statusMessage is the default text of an unexpected error's status.
func statusMessage(status int) string {
	if status == http.StatusInternalServerError {
		return "Internal Error"
	}
	return http.StatusText(status)
}

// SendRedirect answers r with a redirect from outside a page, as a
// handle-style middleware does (say, to a login page): a redirect result
// for an enhanced submission, which the client follows, and a bare 3xx with
// Location otherwise. The status must be from 300 to 308; a location that
// Redirect refuses gets a 500.
func SendRedirect(w http.ResponseWriter, r *http.Request, status int, location string) {
	re, ok := asRedirect(Redirect(status, location))
	if !ok {
		http.Error(w, statusMessage(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	if wire.IsEnhanced(r) {
		res := wire.Result{Type: wire.Redirect, Status: re.Status, Location: re.Location}
		res.Write(w, res.HTTPStatus())
		return
	}
	w.Header().Set("Location", re.Location)
	w.WriteHeader(re.Status)
}
