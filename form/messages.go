package form

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Failure is one field's broken rule: a value that did not parse, a
// validate tag that did not hold. A Messages function turns it into the
// sentence the user reads.
type Failure struct {
	// Field is the field's form name, such as "email" or "items.0.name".
	Field string
	// Label names the field in a sentence: its label tag, or else its form
	// name with a capital ("first_name" reads "First name").
	Label string
	// Rule is the validate tag's rule ("required", "email", "min", …), or,
	// for a value that did not parse, what it should have been: "int",
	// "uint", "float", "date", "datetime-local", "time", "month", or "text"
	// for an encoding.TextUnmarshaler that refused it.
	Rule string
	// Param is the rule's parameter: "8" for min=8. An "int" or "uint"
	// failure has "min,max" when the number is beyond what the Go type
	// holds, and no parameter when it is not a whole number at all.
	Param string
	// Type is the field's Go type without its pointer: string, int, bool,
	// time.Time, a slice for repeated names, *multipart.FileHeader.
	Type reflect.Type
}

// failure describes rule broken by the value of field f named full.
func failure(f *field, full, rule, param string) Failure {
	t := f.typ
	if f.slice {
		t = reflect.SliceOf(t)
	}
	switch f.kind {
	case kFile:
		t = fileType
	case kFiles:
		t = filesType
	}
	return Failure{Field: full, Label: f.label, Rule: rule, Param: param, Type: t}
}

// English returns the message for a failure in English: a sentence that
// says what to do, naming the field by its label.
func English(f Failure) string {
	l, p := f.Label, f.Param
	kind := reflect.Invalid
	if f.Type != nil {
		kind = f.Type.Kind()
	}
	isTime := f.Type == timeType
	isFile := f.Type == fileType || f.Type == filesType
	isNumber := kind >= reflect.Int && kind <= reflect.Float64
	isList := kind == reflect.Slice && !isFile
	isText := kind == reflect.String
	units := func(n, one, many string) string {
		if n == "1" {
			return n + " " + one
		}
		return n + " " + many
	}
	switch f.Rule {
	// Values that did not parse.
	case "int":
		if lo, hi, ok := strings.Cut(p, ","); ok {
			return l + " must be a whole number from " + lo + " to " + hi
		}
		return l + " must be a whole number"
	case "uint":
		if lo, hi, ok := strings.Cut(p, ","); ok {
			return l + " must be a whole number from " + lo + " to " + hi
		}
		return l + " must be a whole number, 0 or more"
	case "float":
		return l + " must be a number"
	case "date":
		return l + " must be a real date"
	case "datetime-local":
		return l + " must be a real date and time"
	case "time":
		return l + " must be a real time"
	case "month":
		return l + " must be a real month"
	case "text":
		return l + " is not valid"

	// Validate tags.
	case "required":
		switch {
		case kind == reflect.Bool:
			return "Tick the box to confirm " + lowerFirst(l)
		case isFile:
			return "Choose a file for " + lowerFirst(l)
		case isList:
			return "Select at least one option for " + lowerFirst(l)
		}
		return l + " is required"
	case "email":
		return "Enter an email address like name@example.com"
	case "url", "http_url", "https_url", "uri":
		return "Enter a web address like https://example.com"
	case "min", "gte":
		switch {
		case isTime && p == "":
			return l + " must not be in the past"
		case isText:
			return l + " must be at least " + units(p, "character", "characters")
		case isList:
			return "Select at least " + units(p, "option", "options") + " for " + lowerFirst(l)
		}
		return l + " must be " + p + " or more"
	case "max", "lte":
		switch {
		case isTime && p == "":
			return l + " must not be in the future"
		case isText:
			return l + " must be at most " + units(p, "character", "characters")
		case isList:
			return "Select at most " + units(p, "option", "options") + " for " + lowerFirst(l)
		}
		return l + " must be " + p + " or less"
	case "gt":
		switch {
		case isTime && p == "":
			return l + " must be in the future"
		case isText:
			return l + " must be more than " + units(p, "character", "characters")
		case isList:
			return "Select more than " + units(p, "option", "options") + " for " + lowerFirst(l)
		}
		return l + " must be more than " + p
	case "lt":
		switch {
		case isTime && p == "":
			return l + " must be in the past"
		case isText:
			return l + " must be fewer than " + units(p, "character", "characters")
		case isList:
			return "Select fewer than " + units(p, "option", "options") + " for " + lowerFirst(l)
		}
		return l + " must be less than " + p
	case "len":
		switch {
		case isText:
			return l + " must be " + units(p, "character", "characters") + " long"
		case isList:
			return "Select " + units(p, "option", "options") + " for " + lowerFirst(l)
		}
		return l + " must be " + p
	case "eq":
		return l + " must be " + p
	case "ne":
		return l + " must not be " + p
	case "oneof":
		return "Choose " + lowerFirst(l) + " from the list"
	case "eqfield":
		return l + " must match " + lowerFirst(p)
	case "nefield":
		return l + " must be different from " + lowerFirst(p)
	case "alpha":
		return l + " must contain only letters"
	case "alphanum":
		return l + " must contain only letters and numbers"
	case "numeric", "number":
		return l + " must contain only numbers"
	case "uuid", "uuid4":
		return l + " must be a UUID"
	}
	if isNumber {
		return l + " is not an allowed number"
	}
	return l + " is not valid"
}

// lowerFirst puts a label in the middle of a sentence, leaving acronyms
// ("URL") and names as they are.
func lowerFirst(s string) string {
	first, size := utf8.DecodeRuneInString(s)
	second, _ := utf8.DecodeRuneInString(s[size:])
	if size == len(s) || !unicode.IsUpper(first) || unicode.IsUpper(second) {
		return s
	}
	return string(unicode.ToLower(first)) + s[size:]
}
