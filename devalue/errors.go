package devalue

import (
	"errors"
	"reflect"
	"slices"
	"strings"
)

// Unmarshal and Marshal return every error as an *Error, whose message
// and Path say what and where. What kind of error it is, a caller finds
// with errors.As and errors.Is on the *Error's cause:
//
//	*SyntaxError         the text is not devalue: malformed JSON, or JSON
//	                     that npm devalue's parse rejects
//	*UnmarshalTypeError  a valid value that the Go type cannot hold
//	ErrLimit             the text is valid but exceeds a limit (nesting,
//	                     BigInt digits, a sparse array's claimed length)
//	any other error      returned by a Marshaler, an Unmarshaler, a
//	                     reviver or an encoding.TextUnmarshaler
//
// An error with none of these causes is a misuse of the API, such as
// Unmarshal into a non-pointer, or a Go value Marshal cannot write.

// ErrLimit is the cause of the errors for valid input that exceeds one
// of Unmarshal's limits (see Decoder).
var ErrLimit = errors.New("devalue: a limit was exceeded")

// SyntaxError is text that is not devalue: not JSON, or not what npm
// devalue's parse accepts.
type SyntaxError struct {
	Msg string // as the *Error's message
	// Offset is the byte of the text where the JSON is malformed, or -1
	// when the JSON is valid and the devalue is not.
	Offset int64
	// Slot is the index of the slot (the top-level array's element) that
	// is malformed, or -1 when the JSON is.
	Slot int
}

func (e *SyntaxError) Error() string { return "devalue: " + e.Msg }

// UnmarshalTypeError is a value that a Go type cannot hold: a string for
// an int, a number beyond an int8, an invalid Date for a time.Time.
type UnmarshalTypeError struct {
	Value string       // the JavaScript value's type, as "a string", "a Map"
	Type  reflect.Type // the Go type it could not become
	Path  string       // where it is, as the *Error's Path
}

func (e *UnmarshalTypeError) Error() string {
	msg := "devalue: cannot unmarshal " + e.Value + " into a Go " + e.Type.String()
	if e.Path != "" {
		msg += " (at " + e.Path + ")"
	}
	return msg
}

// malformed is a SyntaxError found in the devalue, in slot i (-1 when
// the slot is not known yet: see inSlot).
func malformed(i int, msg string) error {
	return &Error{Msg: msg, Err: &SyntaxError{Msg: msg, Offset: -1, Slot: i}}
}

// invalid is the error npm devalue's parse throws as "Invalid input".
func invalid(msg string) error { return malformed(-1, "Invalid input: "+msg) }

func limited(msg string) error { return &Error{Msg: msg, Err: ErrLimit} }

func typeError(msg string, src any, t reflect.Type) error {
	return &Error{Msg: msg, Err: &UnmarshalTypeError{Value: jsType(src), Type: t}}
}

// inSlot records that a SyntaxError found without knowing its slot is in
// slot i: a reference that is not one, met while reading slot i.
func inSlot(err error, i int) error {
	var se *SyntaxError
	if errors.As(err, &se) && se.Slot < 0 && se.Offset < 0 {
		se.Slot = i
	}
	return err
}

// under adds a segment to the front of an error's path. The decoder's
// errors gather their segments innermost first and join them once, in
// finish: prefixing the path at each of n levels would copy it n times.
func under(err error, segment string) error {
	if e, ok := err.(*Error); ok {
		e.rev = append(e.rev, segment)
	}
	return err
}

// finish completes an error Unmarshal returns: its path, and its cause's.
func finish(err error) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	e.Path = e.path()
	e.rev = nil
	if te, ok := e.Err.(*UnmarshalTypeError); ok {
		te.Path = e.Path
	}
	return err
}

// path is the error's path, with segments under has gathered.
func (e *Error) path() string {
	if len(e.rev) == 0 {
		return e.Path
	}
	var b strings.Builder
	for _, seg := range slices.Backward(e.rev) {
		b.WriteString(seg)
	}
	b.WriteString(e.Path)
	return b.String()
}

// Unwrap returns the error's cause, if it has one.
func (e *Error) Unwrap() error { return e.Err }
