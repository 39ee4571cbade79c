package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/formaction/formaction/devalue"
)

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
		{"http://h//evil.example/x?/login", "login", true, "/%2Fevil.example/x"},
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
	} {
		r, err := Decode([]byte(tt.body))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(&tt.want, r); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
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

func TestErrorEnvelopes(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       Result
	}{
		{"kit 2", `{"type":"error","error":{"message":"oops"}}`,
			Result{Type: Error, Error: &ErrorBody{Message: "oops"}}},
		{"kit 3", `{"type":"error","location":"/actions","error":{"status":404,"message":"nope"}}`,
			Result{Type: Error, Status: 404, Location: "/actions", Error: &ErrorBody{Status: 404, Message: "nope"}}},
		{"formaction", `{"type":"error","status":500,"location":"/a","error":{"status":500,"message":"Internal Error"}}`,
			Result{Type: Error, Status: 500, Location: "/a", Error: &ErrorBody{Status: 500, Message: "Internal Error"}}},
		{"custom fields", `{"type":"error","status":418,"error":{"message":"teapot","code":"E_TEA","retry":{"after":3}}}`,
			Result{Type: Error, Status: 418, Error: &ErrorBody{Status: 418, Message: "teapot", Fields: map[string]json.RawMessage{
				"code": json.RawMessage(`"E_TEA"`), "retry": json.RawMessage(`{"after":3}`)}}}},
		{"odd types kept", `{"type":"error","status":400,"error":{"status":"bad","message":7}}`,
			Result{Type: Error, Status: 400, Error: &ErrorBody{Status: 400, Fields: map[string]json.RawMessage{
				"status": json.RawMessage(`"bad"`), "message": json.RawMessage(`7`)}}}},
		{"no error body", `{"type":"error","status":502}`,
			Result{Type: Error, Status: 502, Error: &ErrorBody{Status: 502}}},
	} {
		r, err := Decode([]byte(tt.body))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(&tt.want, r); diff != "" {
			t.Errorf("%s: Decode(%s) mismatch (-want +got):\n%s", tt.name, tt.body, diff)
		}
	}
}

func TestErrorBodyEncodesStatusMessageThenFields(t *testing.T) {
	r := Result{Type: Error, Status: 404, Location: "/x", Error: &ErrorBody{Status: 404, Message: "nope <b>",
		Fields: map[string]json.RawMessage{"z": json.RawMessage(`[1, 2]`), "code": json.RawMessage(`"E"`), "status": json.RawMessage(`1`)}}}
	var buf strings.Builder
	if err := r.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{"type":"error","status":404,"location":"/x","error":{"status":404,"message":"nope <b>","code":"E","z":[1,2]}}` + "\n"
	if buf.String() != want {
		t.Errorf("Encode =\n%s\nwant\n%s", buf.String(), want)
	}
	back, err := Decode([]byte(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if back.Error.Status != 404 || back.Error.Message != "nope <b>" || string(back.Error.Fields["z"]) != "[1,2]" {
		t.Errorf("round trip: %+v", back.Error)
	}
}

func response(status int, contentType, body string) *http.Response {
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header: http.Header{"Content-Type": {contentType}}, Body: io.NopCloser(strings.NewReader(body))}
}

func TestDecodeResponseTakesTheHTTPStatusForKit2Errors(t *testing.T) {
	r, err := DecodeResponse(response(400, "application/json", `{"type":"error","error":{"message":"oops"}}`))
	if err != nil || r.Status != 400 || r.Error.Status != 400 {
		t.Fatalf("DecodeResponse = %+v, %v; want status 400", r, err)
	}
}

// An answer that is not an ActionResult is a *ResponseError carrying the
// HTTP status and the message, whatever its shape.
func TestDecodeResponseExplainsOtherAnswers(t *testing.T) {
	for _, tt := range []struct {
		name        string
		res         *http.Response
		wantMessage string
		wantErr     bool // a JSON body with a reason it is not a result
	}{
		{"SvelteKit's CSRF refusal", response(403, "application/json", `{"message":"Cross-site POST form submissions are forbidden"}`),
			"Cross-site POST form submissions are forbidden", true},
		{"a proxy's HTML page", response(502, "text/html; charset=utf-8", `<html><body><h1>502 Bad Gateway</h1></body></html>`),
			"Bad Gateway", false},
		{"SvelteKit's fatal error", response(500, "application/json; charset=utf-8", `{"message":"Internal Error"}`),
			"Internal Error", true},
		{"text", response(404, "text/plain", "404 page not found"), "Not Found", false},
		{"a 200 that is not a result", response(200, "text/html", `<p>hi</p>`), "OK", false},
		{"broken JSON", response(503, "application/json", `{"type":`), "Service Unavailable", true},
	} {
		r, err := DecodeResponse(tt.res)
		var re *ResponseError
		if !errors.As(err, &re) {
			t.Errorf("%s: DecodeResponse = %+v, %v; want a *ResponseError", tt.name, r, err)
			continue
		}
		if re.StatusCode != tt.res.StatusCode || re.Message != tt.wantMessage || (re.Err != nil) != tt.wantErr {
			t.Errorf("%s: %+v; want status %d, message %q", tt.name, re, tt.res.StatusCode, tt.wantMessage)
		}
		if !strings.Contains(err.Error(), strconv.Itoa(tt.res.StatusCode)) || !strings.Contains(err.Error(), tt.wantMessage) {
			t.Errorf("%s: the message %q should name the status and %q", tt.name, err, tt.wantMessage)
		}
		want := tt.res.StatusCode
		if want < 400 {
			want = 500
		}
		if res := re.Result(); res.Type != Error || res.Status != want || res.Error.Status != want || res.Error.Message != tt.wantMessage {
			t.Errorf("%s: Result() = %+v", tt.name, res)
		}
	}
}

// NewRequest builds what a Go client sends, and a server sees it as an
// enhanced submission of the named action.
func TestNewRequest(t *testing.T) {
	form := url.Values{"email": {"a@b.c"}, "note": {"x&y=z"}}
	r, err := NewRequest(context.Background(), "http://127.0.0.1:1/login?/register", form, "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" || r.Header.Get("Accept") != "application/json" || r.Header.Get(HeaderAction) != "true" || !IsEnhanced(r) ||
		r.Header.Get("Origin") != "http://127.0.0.1:1" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("request: %s %s %v", r.Method, r.URL, r.Header)
	}
	if name, _ := ActionName(r.URL); name != "register" {
		t.Errorf("action %q", name)
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("note") != "x&y=z" || r.PostForm.Get("email") != "a@b.c" {
		t.Errorf("body: %v %v", r.PostForm, err)
	}
	r, _ = NewRequest(context.Background(), "http://127.0.0.1:1/", nil, "")
	if _, ok := r.Header["Origin"]; ok {
		t.Error("an empty origin should send no Origin header")
	}
	if _, err := NewRequest(context.Background(), "http://[::1", nil, ""); err == nil {
		t.Error("a malformed URL should be an error")
	}
}

func TestWriteSaysWhatItIs(t *testing.T) {
	rec := httptest.NewRecorder()
	r := Result{Type: Failure, Status: 400, Location: "/", Data: "[1]"}
	if err := r.Write(rec, r.HTTPStatus()); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 400 || rec.Header().Get("Content-Type") != "application/json" ||
		rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Write: %d %v", rec.Code, rec.Header())
	}
}

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
