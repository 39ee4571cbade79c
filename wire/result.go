// Package wire is the ActionResult wire format of form actions, shared by
// SvelteKit and formaction: the JSON envelope a server answers an enhanced
// submission with, its decoding in a Go client, and the classification of
// requests (enhanced or native, which action).
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/formaction/formaction/devalue"
)

// The four kinds of ActionResult.
const (
	Success  = "success"
	Failure  = "failure"
	Redirect = "redirect"
	Error    = "error"
)

// Result is one ActionResult envelope. Field order is the JSON key order.
//
//	{"type":"success","status":200,"location":"/login","data":"[{\"success\":1},true]"}
//	{"type":"success","status":204,"location":"/login"}
//	{"type":"failure","status":400,"location":"/login","data":"…"}
//	{"type":"redirect","status":303,"location":"/x"}
//	{"type":"error","status":404,"error":{"message":"No action with name 'x' found"}}
type Result struct {
	Type   string `json:"type"`
	Status int    `json:"status,omitempty"`
	// Location is, for success and failure, where a native post would have
	// landed (the action URL without its ?/name key); for a redirect, the
	// target.
	Location string `json:"location,omitempty"`
	// Data is devalue text, the action's return value; empty when it
	// returned nothing. SvelteKit 2 sends "-1" (undefined) instead.
	Data  string     `json:"data,omitempty"`
	Error *ErrorBody `json:"error,omitempty"`
	// HTML is the page rendered with this result, sent when the request
	// carried HeaderRender.
	HTML string `json:"html,omitempty"`
}

// ErrorBody is what an error result shows the user.
type ErrorBody struct {
	Message string `json:"message"`
}

// Encode writes r as the body of a JSON response.
func (r *Result) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	// The envelope is never inlined into HTML; escaping <, > and & would
	// only grow the html field.
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Write sends r as an HTTP response with the given status.
func (r *Result) Write(w http.ResponseWriter, status int) error {
	var buf bytes.Buffer
	if err := r.Encode(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// HTTPStatus is the status a server sends with r: a redirect result travels
// in a 200 (a real 3xx would be followed by fetch), a success in a 200 even
// when the envelope says 204, and failures and errors carry their own
// status, as in SvelteKit 3.
func (r *Result) HTTPStatus() int {
	switch r.Type {
	case Failure, Error:
		if r.Status != 0 {
			return r.Status
		}
		return http.StatusInternalServerError
	default:
		return http.StatusOK
	}
}

// Decode parses an envelope. It accepts the shapes of SvelteKit 2 (failures
// in a 200, "data":"-1" for nothing, no location, errors without status)
// and SvelteKit 3. An envelope without a known type is an error.
func Decode(body []byte) (*Result, error) {
	var r Result
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("wire: not an action result: %w", err)
	}
	switch r.Type {
	case Success, Failure:
		if r.Data == "-1" { // SvelteKit 2's undefined
			r.Data = ""
		}
	case Redirect:
		if r.Location == "" {
			return nil, errors.New("wire: redirect result without a location")
		}
	case Error:
		if r.Error == nil {
			r.Error = &ErrorBody{}
		}
	case "":
		return nil, errors.New("wire: not an action result: no type")
	default:
		return nil, fmt.Errorf("wire: unknown action result type %q", r.Type)
	}
	return &r, nil
}

// DecodeResponse reads an action response. An error result without a status
// in its envelope (SvelteKit 2) takes the HTTP status.
func DecodeResponse(res *http.Response) (*Result, error) {
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("wire: read action response: %w", err)
	}
	if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "application/json" {
		return nil, fmt.Errorf("wire: action response has Content-Type %q, want application/json (HTTP %s)",
			res.Header.Get("Content-Type"), res.Status)
	}
	r, err := Decode(body)
	if err != nil {
		return nil, err
	}
	if r.Type == Error && r.Status == 0 {
		r.Status = res.StatusCode
	}
	return r, nil
}

// DecodeData decodes the result's devalue data into v, as devalue.Unmarshal
// does: into a typed Go value, or into *any for the lossless generic model.
// A result without data leaves v as it is.
func (r *Result) DecodeData(v any) error {
	if r.Data == "" {
		return nil
	}
	if err := devalue.Unmarshal([]byte(r.Data), v); err != nil {
		return fmt.Errorf("wire: decode %s data: %w", r.Type, err)
	}
	return nil
}
