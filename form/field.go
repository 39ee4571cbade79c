package form

import (
	"cmp"
	"html"
	"html/template"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// constraint is an HTML attribute that lets the browser check a value
// before it is sent; value "" is a boolean attribute.
type constraint struct{ name, value string }

// constraints derives the field's HTML constraints and input type from its
// validate tag, so the browser checks what the server will. Rules that HTML
// cannot say are left to the server.
func (f *field) constraints() {
	text := f.kind == kString
	number := f.kind == kInt || f.kind == kUint || f.kind == kFloat
	for rule := range strings.SplitSeq(f.rules, ",") {
		name, param, _ := strings.Cut(rule, "=")
		if name == "dive" || name == "keys" {
			break // the rules after it are about a slice's elements
		}
		if f.slice && name != "required" {
			continue // min, max and len of a slice count the values, which HTML cannot
		}
		switch name {
		case "required":
			// required on each checkbox of a group would require them all.
			if !f.slice && f.kind != kList {
				f.cons = append(f.cons, constraint{"required", ""})
			}
		case "email":
			f.input = "email"
		case "url", "http_url", "https_url":
			f.input = "url"
		case "min", "gte":
			switch {
			case text && param != "":
				f.cons = append(f.cons, constraint{"minlength", param})
			case number && param != "":
				f.cons = append(f.cons, constraint{"min", param})
			case f.kind == kTime && name == "gte" && param == "":
				f.minNow = true
			}
		case "max", "lte":
			switch {
			case text && param != "":
				f.cons = append(f.cons, constraint{"maxlength", param})
			case number && param != "":
				f.cons = append(f.cons, constraint{"max", param})
			case f.kind == kTime && name == "lte" && param == "":
				f.maxNow = true
			}
		case "len":
			switch {
			case text:
				f.cons = append(f.cons, constraint{"minlength", param}, constraint{"maxlength", param})
			case number:
				f.cons = append(f.cons, constraint{"min", param}, constraint{"max", param})
			}
		case "oneof":
			f.choice = text
		case "alpha":
			f.cons = append(f.cons, constraint{"pattern", "[a-zA-Z]+"})
		case "alphanum":
			f.cons = append(f.cons, constraint{"pattern", "[a-zA-Z0-9]+"})
		case "numeric":
			f.cons = append(f.cons, constraint{"pattern", `[\-+]?[0-9]+(\.[0-9]+)?`})
		case "number":
			f.cons = append(f.cons, constraint{"pattern", "[0-9]+"})
		}
	}
	switch {
	case f.secret:
		f.input = "password"
	case f.kind == kInt || f.kind == kUint:
		f.input = "number"
	case f.kind == kFloat:
		f.input = "number"
		f.cons = append(f.cons, constraint{"step", "any"})
	case f.kind == kBool:
		f.input = "checkbox"
	case f.kind == kFile || f.kind == kFiles:
		f.input = "file"
		if f.kind == kFiles {
			f.cons = append(f.cons, constraint{"multiple", ""})
		}
	case f.slice || f.choice || f.kind == kText:
		f.input = "" // a select, a group of checkboxes or radios: the template says
	}
}

// Field is one field of a form as a template shows it.
type Field struct {
	// Name is the form name; ID is the id of its input, Prefix and Name;
	// ErrorID the id of the element that shows its error, ID + "-error".
	Name, ID, ErrorID string
	// Value is the value to fill in, the first of Values.
	Value  string
	Values []string
	// Error is the field's message, "" when it is valid.
	Error string
	// Label is how messages name the field.
	Label string

	f *field
}

// Field returns the field named name (a form name, "address.city").
func (s *State) Field(name string) Field {
	fd := Field{Name: name, ID: name, ErrorID: name + "-error"}
	if s == nil {
		return fd
	}
	fd.ID = s.Prefix + name
	fd.ErrorID = fd.ID + "-error"
	fd.Error = s.Errors[name]
	switch v := s.Values[name].(type) {
	case string:
		fd.Value, fd.Values = v, []string{v}
	case []string:
		fd.Values = v
		if len(v) > 0 {
			fd.Value = v[0]
		}
	}
	if s.plan != nil {
		fd.f = s.plan.lookup(name)
	}
	if fd.f != nil {
		fd.Label = fd.f.label
	}
	return fd
}

// Invalid reports whether the field has an error.
func (fd Field) Invalid() bool { return fd.Error != "" }

// Has reports whether v is one of the field's values: for the checked
// boxes of a group and the selected options of a select.
func (fd Field) Has(v string) bool { return slices.Contains(fd.Values, v) }

// Checked reports whether a single checkbox was ticked.
func (fd Field) Checked() bool {
	if fd.Value == "" {
		return false
	}
	b, err := strconv.ParseBool(fd.Value)
	return err != nil || b
}

// attrs lists the field's attributes in the order Attrs writes them;
// value "" is a boolean attribute, and skipped ones have no name.
func (fd Field) attrs(aria bool) []constraint {
	var out []constraint
	f := fd.f
	if !aria {
		if f != nil && f.input != "" {
			out = append(out, constraint{"type", f.input})
		}
		out = append(out, constraint{"name", fd.Name}, constraint{"id", fd.ID})
		switch {
		case f == nil || (f.input != "password" && f.input != "file" && f.input != "checkbox" && !f.slice && !f.choice):
			if fd.Value != "" {
				out = append(out, constraint{"value", fd.Value})
			}
		case f.input == "checkbox" && fd.Checked():
			out = append(out, constraint{"checked", ""})
		}
		if f != nil {
			out = append(out, f.cons...)
			if f.kind == kTime && (f.maxNow || f.minNow) && f.input != "time" {
				now := timeFormat(f.input, time.Now().UTC().Truncate(time.Minute))
				if f.maxNow {
					out = append(out, constraint{"max", now})
				}
				if f.minNow {
					out = append(out, constraint{"min", now})
				}
			}
		}
	}
	if fd.Error != "" {
		out = append(out, constraint{"aria-invalid", "true"}, constraint{"aria-describedby", fd.ErrorID})
	}
	return out
}

func writeAttrs(as []constraint) template.HTMLAttr {
	var b strings.Builder
	for i, a := range as {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.name)
		if a.value != "" || a.name == "value" {
			b.WriteString(`="`)
			b.WriteString(html.EscapeString(a.value))
			b.WriteByte('"')
		}
	}
	return template.HTMLAttr(b.String())
}

// Attrs returns the attributes of the field's input for html/template:
// type (from the Go type and the email and url rules; none for selects,
// groups and text), name, id, value (never for a secret) or checked, the
// constraints its validate tag gives (required, minlength, maxlength,
// min, max, pattern), and, when it has an error, aria-invalid="true" and
// aria-describedby naming the error's element.
//
//	<input {{$f.Field "email" | .Attrs}}>  or  {{with $f.Field "email"}}<input {{.Attrs}}>{{end}}
func (fd Field) Attrs() template.HTMLAttr { return writeAttrs(fd.attrs(false)) }

// ARIA returns only aria-invalid and aria-describedby, when the field has
// an error: for controls a template writes itself, such as the boxes of a
// group.
func (fd Field) ARIA() template.HTMLAttr { return writeAttrs(fd.attrs(true)) }

// AttrMap returns Attrs as a map, for templ's spread attributes:
//
//	<input { templ.Attributes(f.Field("email").AttrMap())... }/>
//
// Boolean attributes are true.
func (fd Field) AttrMap() map[string]any {
	as := fd.attrs(false)
	m := make(map[string]any, len(as))
	for _, a := range as {
		if a.value == "" && a.name != "value" {
			m[a.name] = true
		} else {
			m[a.name] = a.value
		}
	}
	return m
}

// Problem is one entry of an error summary.
type Problem struct {
	// Field is the form name, "" for a problem with the whole form; Href
	// links to its input ("#email"), "" when there is none.
	Field, Href, Message string
}

// Problems lists the form's errors in the order of the struct's fields
// (those set by name alone, after), for an error summary.
func (s *State) Problems() []Problem {
	if s == nil || len(s.Errors) == 0 {
		return nil
	}
	names := make([]string, 0, len(s.Errors))
	for name := range s.Errors {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := slices.Compare(s.plan.rank(a), s.plan.rank(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	out := make([]Problem, len(names))
	for i, name := range names {
		out[i] = Problem{Field: name, Message: s.Errors[name]}
		if name != "" {
			out[i].Href = "#" + s.Prefix + name
		}
	}
	return out
}

// Summary returns the error summary of the GOV.UK design system, or nothing
// when the form is valid: under the heading "There is a problem", a link
// to each field with an error. It has data-error-summary, where the
// enhanced client moves focus after a failure, tabindex="-1" so it can
// take focus, autofocus so that without JavaScript the browser focuses it
// on the page's load as the client does, and role="alert" on its content.
// Put it at the top of the form, and prefix the page's title with
// TitlePrefix.
func (s *State) Summary() template.HTML { return s.SummaryTitled("There is a problem") }

// SummaryTitled is Summary with another heading, for other languages.
func (s *State) SummaryTitled(title string) template.HTML {
	ps := s.Problems()
	if len(ps) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<div class="error-summary" data-error-summary tabindex="-1" autofocus><div role="alert"><h2 class="error-summary-title">`)
	b.WriteString(html.EscapeString(title))
	b.WriteString(`</h2><ul class="error-summary-list">`)
	for _, p := range ps {
		b.WriteString("<li>")
		if p.Href != "" {
			b.WriteString(`<a href="`)
			b.WriteString(html.EscapeString(p.Href))
			b.WriteString(`">`)
			b.WriteString(html.EscapeString(p.Message))
			b.WriteString("</a>")
		} else {
			b.WriteString(html.EscapeString(p.Message))
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul></div></div>")
	return template.HTML(b.String())
}

// TitlePrefix returns "Error: " while the form shows errors, for the start
// of the page's title, so that screen reader users hear at once that the
// submission failed.
func (s *State) TitlePrefix() string {
	if s.Valid() {
		return ""
	}
	return "Error: "
}

// Hidden returns the hidden input that carries the form's ID, for forms
// that post to the same action as another form on the page.
func (s *State) Hidden() template.HTML {
	return template.HTML(`<input type="hidden" name="` + IDField + `" value="` + html.EscapeString(s.ID) + `">`)
}

// rank orders form names as the struct declares their fields; list
// elements by index. Names the plan does not know come last.
func (p *plan) rank(name string) []int {
	if p == nil {
		return []int{1 << 30}
	}
	if name == "" {
		return []int{-1} // the whole form's problem comes first
	}
	if f, ok := p.byName[name]; ok {
		return []int{f.order}
	}
	if l, num, rest, ok := p.listElement(name); ok {
		if n, err := strconv.Atoi(num); err == nil {
			return append([]int{l.order, n}, l.elem.rank(rest)...)
		}
	}
	return []int{1 << 30}
}

// encode writes the values of struct v as a form would send them, under
// prefix, into out: the values New fills a form with. Secrets and files
// are left out.
func (p *plan) encode(v reflect.Value, prefix string, out map[string]any) {
	for _, f := range p.fields {
		if f.secret || f.kind == kFile || f.kind == kFiles {
			continue
		}
		fv, ok := fieldGet(v, f.index)
		if !ok {
			continue
		}
		name := prefix + f.name
		switch {
		case f.kind == kList:
			for i := range fv.Len() {
				e := fv.Index(i)
				if f.elemPt {
					if e.IsNil() {
						continue
					}
					e = e.Elem()
				}
				f.elem.encode(e, name+"."+strconv.Itoa(i)+".", out)
			}
		case f.slice:
			var ss []string
			for i := range fv.Len() {
				if s, ok := format(f, fv.Index(i), true); ok {
					ss = append(ss, s)
				}
			}
			if len(ss) > 0 {
				out[name] = ss
			}
		case f.ptr:
			if !fv.IsNil() {
				if s, ok := format(f, fv.Elem(), true); ok {
					out[name] = s
				}
			}
		default:
			if s, ok := format(f, fv, false); ok {
				out[name] = s
			}
		}
	}
}

// fieldGet returns the field at index in struct v, or false when a nil
// pointer on the way leaves it out.
func fieldGet(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// format writes one scalar as the form value that would decode to it.
// Zero values are no value, so that a blank form's number inputs are
// empty rather than 0, unless keepZero (pointers, slices' elements): a
// field whose zero means something is a pointer.
func format(f *field, v reflect.Value, keepZero bool) (string, bool) {
	switch f.kind {
	case kString:
		return v.String(), v.Len() > 0
	case kBool:
		return "on", v.Bool()
	case kInt:
		return strconv.FormatInt(v.Int(), 10), v.Int() != 0 || keepZero
	case kUint:
		return strconv.FormatUint(v.Uint(), 10), v.Uint() != 0 || keepZero
	case kFloat:
		return strconv.FormatFloat(v.Float(), 'f', -1, f.bits), v.Float() != 0 || keepZero
	case kTime:
		t := v.Interface().(time.Time)
		return timeFormat(f.input, t), !t.IsZero()
	case kText:
		var m any
		if v.CanAddr() && v.Addr().Type().Implements(marshalType) {
			m = v.Addr().Interface()
		} else if v.Type().Implements(marshalType) {
			m = v.Interface()
		}
		if m, ok := m.(interface{ MarshalText() ([]byte, error) }); ok {
			b, err := m.MarshalText()
			return string(b), err == nil && len(b) > 0
		}
	}
	return "", false
}
