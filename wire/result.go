package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"

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
//	{"type":"error","status":404,"location":"/login","error":{"status":404,"message":"No action with name 'x' found"}}
type Result struct {
	Type   string `json:"type"`
	Status int    `json:"status,omitempty"`
	// Location is, for success, failure and error, where a native post
	// would have landed (the action URL without its ?/name key); for a
	// redirect, the target.
	Location string `json:"location,omitempty"`
	// Data is devalue text, the action's return value; empty when it
	// returned nothing. SvelteKit 2 sends "-1" (undefined) instead.
	Data  string     `json:"data,omitempty"`
	Error *ErrorBody `json:"error,omitempty"`
	// HTML is the page rendered with this result, sent when the request
	// carried HeaderRender.
	HTML string `json:"html,omitempty"`
}

// ErrorBody is what an error result shows the user. SvelteKit 3's client
// reads the status from here, SvelteKit 2's from the HTTP status; a server
// sends both. Fields holds any other field an app's error carries (an
// error code, say), as JSON, so that nothing a server sent is lost.
type ErrorBody struct {
	Status  int
	Message string
	Fields  map[string]json.RawMessage
}

// MarshalJSON writes status and message first, then the other fields in
// key order.
func (e ErrorBody) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	if e.Status != 0 {
		fmt.Fprintf(&buf, `"status":%d,`, e.Status)
	}
	buf.WriteString(`"message":`)
	writeString(&buf, e.Message)
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		if k == "status" || k == "message" {
			continue
		}
		buf.WriteByte(',')
		writeString(&buf, k)
		buf.WriteByte(':')
		if err := json.Compact(&buf, e.Fields[k]); err != nil {
			return nil, fmt.Errorf("wire: error field %q: %w", k, err)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// writeString writes s as a JSON string without escaping <, > and &, as
// Encode writes the rest of the envelope.
func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)               // a string always encodes
	buf.Truncate(buf.Len() - 1) // the newline Encode adds
}

// UnmarshalJSON reads any JSON object; a status or message of another
// type than expected stays in Fields.
func (e *ErrorBody) UnmarshalJSON(b []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	*e = ErrorBody{}
	if raw, ok := fields["status"]; ok && json.Unmarshal(raw, &e.Status) == nil {
		delete(fields, "status")
	}
	if raw, ok := fields["message"]; ok && json.Unmarshal(raw, &e.Message) == nil {
		delete(fields, "message")
	}
	if len(fields) > 0 {
		e.Fields = fields
	}
	return nil
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
	w.Header().Set("X-Content-Type-Options", "nosniff")
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
// and SvelteKit 3 (an error's status only inside "error"); an error result
// comes back with its status in both places when either had one. An
// envelope without a known type is an error.
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
		if r.Status == 0 {
			r.Status = r.Error.Status
		}
		if r.Error.Status == 0 {
			r.Error.Status = r.Status
		}
	case "":
		return nil, errors.New("wire: not an action result: no type")
	default:
		return nil, fmt.Errorf("wire: unknown action result type %q", r.Type)
	}
	return &r, nil
}

// NewError returns the error result of a status and message, with the
// status both at the top, where SvelteKit 2's client and formaction's read
// it, and inside "error", where SvelteKit 3's does; location is where the
// post was made, without its action key (see Location), or empty.
func NewError(status int, message, location string) Result {
	return Result{Type: Error, Status: status, Location: location,
		Error: &ErrorBody{Status: status, Message: message}}
}

// ResponseError is DecodeResponse's error for an answer that is not an
// ActionResult: a proxy's error page, SvelteKit refusing a cross-site post
// ({"message":"Cross-site POST form submissions are forbidden"} with a 403),
// a server without the action. SvelteKit's client shows such answers as an
// error result with their status; Result does the same for a Go client.
type ResponseError struct {
	StatusCode  int    // the HTTP status
	ContentType string // the answer's Content-Type
	// Message is the answer's "message" when it is JSON with one, else the
	// status text ("Bad Gateway").
	Message string
	Err     error // why the body is not an ActionResult, when it is JSON
}

func (e *ResponseError) Error() string {
	msg := fmt.Sprintf("wire: the answer is not an action result: HTTP %d", e.StatusCode)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

func (e *ResponseError) Unwrap() error { return e.Err }

// Result is the error result SvelteKit's client would show for the answer.
// A status below 400 (the answer was not an error, only not an action
// result) becomes a 500.
func (e *ResponseError) Result() *Result {
	status := e.StatusCode
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	r := NewError(status, e.Message, "")
	return &r
}

// DecodeResponse reads an action response. An error result without a
// status (SvelteKit 2) takes the HTTP status. An answer that is not an
// ActionResult gives a *ResponseError with its status and message.
func DecodeResponse(res *http.Response) (*Result, error) {
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("wire: read action response: %w", err)
	}
	rerr := &ResponseError{
		StatusCode:  res.StatusCode,
		ContentType: res.Header.Get("Content-Type"),
		Message:     http.StatusText(res.StatusCode),
	}
	if mt, _, _ := mime.ParseMediaType(rerr.ContentType); mt != "application/json" {
		return nil, rerr
	}
	r, err := Decode(body)
	if err != nil {
		var plain struct {
			Message *string `json:"message"`
		}
		if json.Unmarshal(body, &plain) == nil && plain.Message != nil {
			rerr.Message = *plain.Message
		}
		rerr.Err = err
		return nil, rerr
	}
	if r.Type == Error && r.Status == 0 {
		r.Status = res.StatusCode
		r.Error.Status = res.StatusCode
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
