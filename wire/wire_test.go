package wire

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/formaction/formaction/devalue"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		accept string
		want   string
	}{
		{"*/*", "application/json"}, // a tie goes to the first offer
		{"application/json", "application/json"},
		{"text/html", "text/html"},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "text/html"},
		{"application/json;q=0.9, text/html", "text/html"},
		{"text/*, application/json", "application/json"}, // specific before wildcard at equal q
		{"text/*;q=0.5, */*;q=0.1", "text/html"},
		{"application/json;q=0, text/html", "text/html"},
		{"image/png", ""},
		{"", ""},
		{"garbage", ""},
		{"APPLICATION/JSON", "application/json"},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.accept, "application/json", "text/html"); got != tt.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tt.accept, got, tt.want)
		}
	}
}

func TestIsEnhanced(t *testing.T) {
	for _, tt := range []struct {
		method, accept string
		want           bool
	}{
		{"POST", "", true}, // no Accept counts as */*: curl, server-side fetch
		{"POST", "*/*", true},
		{"POST", "application/json", true},
		{"POST", "text/html,application/xhtml+xml,*/*;q=0.8", false},
		{"GET", "application/json", false},
	} {
		r, _ := http.NewRequest(tt.method, "/", nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		if got := IsEnhanced(r); got != tt.want {
			t.Errorf("IsEnhanced(%s, Accept %q) = %v, want %v", tt.method, tt.accept, got, tt.want)
		}
	}
}

func TestActionNameAndLocation(t *testing.T) {
	tests := []struct {
		rawURL   string
		name     string
		ok       bool
		location string
	}{
		{"/login", "default", true, "/login"},
		{"/login?/register", "register", true, "/login"},
		{"/login?/login=x", "login", true, "/login"},
		{"/login?redirectTo=%2Fdashboard&/login", "login", true, "/login?redirectTo=%2Fdashboard"},
		{"/login?/a&/b", "a", true, "/login?/b"},
		{"/login?/a/b", "a/b", true, "/login"},
		{"/login?/", "", true, "/login"},
		{"/login?/default", "default", false, "/login"},
		{"/login?%2Fencoded", "encoded", true, "/login"},
		{"/login?q=1", "default", true, "/login?q=1"},
		{"/a%20b?/x&y=%2F", "x", true, "/a%20b?y=%2F"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.rawURL)
		if err != nil {
			t.Fatal(err)
		}
		name, ok := ActionName(u)
		if name != tt.name || ok != tt.ok {
			t.Errorf("ActionName(%s) = %q, %v; want %q, %v", tt.rawURL, name, ok, tt.name, tt.ok)
		}
		if got := Location(u); got != tt.location {
			t.Errorf("Location(%s) = %q, want %q", tt.rawURL, got, tt.location)
		}
	}
}

func TestIsFormContentType(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/x-www-form-urlencoded":                true,
		"application/x-www-form-urlencoded; charset=UTF-8": true,
		"multipart/form-data; boundary=abc":                true,
		"Multipart/Form-Data; boundary=abc":                true,
		"text/plain":                                       false,
		"application/json":                                 false,
		"":                                                 false,
	} {
		if got := IsFormContentType(ct); got != want {
			t.Errorf("IsFormContentType(%q) = %v, want %v", ct, got, want)
		}
	}
}

// Decode accepts the envelopes of SvelteKit 2 and 3 and refuses anything
// that is not an ActionResult.
func TestDecodeShapes(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       Result
	}{
		{"kit 2 success", `{"type":"success","status":200,"data":"[{\"result\":1},\"foo\"]"}`,
			Result{Type: Success, Status: 200, Data: `[{"result":1},"foo"]`}},
		{"kit 2 undefined", `{"type":"success","status":204,"data":"-1"}`, Result{Type: Success, Status: 204}},
		{"kit 3 nothing", `{"type":"success","status":204,"location":"/p"}`, Result{Type: Success, Status: 204, Location: "/p"}},
		{"kit 3 failure", `{"type":"failure","status":400,"location":"/d?redirectTo=%2Fx","data":"[{}]"}`,
			Result{Type: Failure, Status: 400, Location: "/d?redirectTo=%2Fx", Data: "[{}]"}},
		{"redirect", `{"type":"redirect","status":303,"location":"/x"}`, Result{Type: Redirect, Status: 303, Location: "/x"}},
		{"kit 2 error", `{"type":"error","error":{"message":"oops"}}`, Result{Type: Error, Error: &ErrorBody{Message: "oops"}}},
	} {
		r, err := Decode([]byte(tt.body))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if r.Type != tt.want.Type || r.Status != tt.want.Status || r.Location != tt.want.Location || r.Data != tt.want.Data ||
			(tt.want.Error != nil && (r.Error == nil || r.Error.Message != tt.want.Error.Message)) {
			t.Errorf("%s: %+v, want %+v", tt.name, r, tt.want)
		}
	}
	for _, body := range []string{
		`<html>502</html>`,
		`{"message":"Internal Error"}`,
		`{"type":"bogus"}`,
		`{"type":"redirect","status":303}`,
		``,
	} {
		if r, err := Decode([]byte(body)); err == nil {
			t.Errorf("Decode(%q) = %+v, want an error", body, r)
		}
	}
}

func TestDecodeResponseTakesTheHTTPStatusForKit2Errors(t *testing.T) {
	res := &http.Response{StatusCode: 400, Status: "400 Bad Request", Header: http.Header{"Content-Type": {"application/json"}},
		Body: http.NoBody}
	res.Body = nopCloser{strings.NewReader(`{"type":"error","error":{"message":"oops"}}`)}
	r, err := DecodeResponse(res)
	if err != nil || r.Status != 400 {
		t.Fatalf("DecodeResponse = %+v, %v; want status 400", r, err)
	}
	res.Header.Set("Content-Type", "text/html")
	res.Body = nopCloser{strings.NewReader(`<html>`)}
	if _, err := DecodeResponse(res); err == nil || !strings.Contains(err.Error(), "text/html") {
		t.Fatalf("an HTML response: err = %v", err)
	}
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// Data from the network that claims more than it holds is refused, and
// the refusal is a devalue error a caller can inspect.
func TestDecodeDataRefusesClaimedLengths(t *testing.T) {
	r := &Result{Type: "success", Data: `[[-7,4294967295]]`}
	var v []int
	err := r.DecodeData(&v)
	if !errors.Is(err, devalue.ErrLimit) {
		t.Errorf("DecodeData: %v; want devalue.ErrLimit", err)
	}
	r.Data = `[[-7,4294967295`
	var se *devalue.SyntaxError
	if err := r.DecodeData(&v); !errors.As(err, &se) || se.Offset != int64(len(r.Data)) {
		t.Errorf("DecodeData of malformed text: %v", err)
	}
}
