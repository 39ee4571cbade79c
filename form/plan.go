package form

import (
	"encoding"
	"fmt"
	"mime/multipart"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// kind is how a form value becomes a Go value.
type kind uint8

const (
	kString kind = iota
	kInt
	kUint
	kFloat
	kBool
	kTime
	kText  // encoding.TextUnmarshaler
	kFile  // *multipart.FileHeader
	kFiles // []*multipart.FileHeader
	kList  // a slice of structs: items.0.name
)

var (
	timeType      = reflect.TypeFor[time.Time]()
	fileType      = reflect.TypeFor[*multipart.FileHeader]()
	filesType     = reflect.TypeFor[[]*multipart.FileHeader]()
	unmarshalType = reflect.TypeFor[encoding.TextUnmarshaler]()
	marshalType   = reflect.TypeFor[encoding.TextMarshaler]()
)

// field is one name a form can send for a struct type, worked out once per
// type so that a request only looks names up in a map.
type field struct {
	name   string // the full form name: "email", "address.city"
	index  []int  // field indices from the plan's struct, through nested structs
	typ    reflect.Type
	kind   kind
	ptr    bool         // the Go field is a pointer to typ (an optional value)
	slice  bool         // the Go field is a slice of typ (repeated names)
	elem   *plan        // kList: the element struct's plan
	elemPt bool         // kList: elements are pointers to structs
	bits   int          // kInt, kUint, kFloat: the size
	input  string       // the HTML input type the value comes from
	secret bool         // never sent back to the page
	label  string       // how messages name the field
	rules  string       // the validate tag
	cons   []constraint // HTML constraint attributes from the validate tag
	maxNow bool         // time: "lte" without a parameter, not in the future
	minNow bool         // time: "gte" without a parameter, not in the past
	choice bool         // a string with oneof: a select or radio group
	order  int          // the position in plan.fields
}

// plan is what the decoder knows of a struct type.
type plan struct {
	typ    reflect.Type
	byName map[string]*field // every name a request can send, except list elements
	fields []*field          // in declaration order, nested structs in place
	lists  []*field          // the kList fields, nested structs' included
}

var plans sync.Map // reflect.Type → *plan

// planFor returns the plan of a struct type, building it on first use. A
// type the decoder cannot fill is a programming error: it panics, so the
// first test that binds the form finds it.
func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p, err := buildPlan(t, nil)
	if err != nil {
		panic("form: " + err.Error())
	}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}

// buildPlan builds the plan of struct type t. seen holds the struct types
// being built above this one, to refuse recursive types, which no finite
// form describes.
func buildPlan(t reflect.Type, seen []reflect.Type) (*plan, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%v is not a struct", t)
	}
	for _, s := range seen {
		if s == t {
			return nil, fmt.Errorf("%v contains itself", t)
		}
	}
	p := &plan{typ: t, byName: map[string]*field{}}
	if err := p.add(t, "", nil, append(seen, t)); err != nil {
		return nil, err
	}
	return p, nil
}

// add adds the fields of struct type t, named under prefix and reached
// through index.
func (p *plan) add(t reflect.Type, prefix string, index []int, seen []reflect.Type) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("form")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := &field{
			name:   prefix + name,
			index:  append(index[:len(index):len(index)], i),
			typ:    sf.Type,
			input:  opts,
			secret: sf.Tag.Get("secret") == "true",
			label:  sf.Tag.Get("label"),
			rules:  sf.Tag.Get("validate"),
		}
		if f.label == "" {
			f.label = defaultLabel(name)
		}
		t := sf.Type
		switch {
		case t == fileType:
			f.kind = kFile
		case t == filesType:
			f.kind = kFiles
		default:
			if t.Kind() == reflect.Pointer && !isStructGroup(t.Elem()) {
				f.ptr, t = true, t.Elem()
			} else if t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 && !isScalar(t) {
				f.slice, t = true, t.Elem()
			}
			f.typ = t
			if k, bits, ok := scalarKind(t); ok {
				f.kind, f.bits = k, bits
				break
			}
			// A struct, a pointer to one, or a slice of either.
			elem := t
			if elem.Kind() == reflect.Pointer {
				elem = elem.Elem()
			}
			if elem.Kind() != reflect.Struct {
				return fmt.Errorf("field %s.%s: a form cannot fill a %v (tag it form:\"-\")", p.typ, sf.Name, sf.Type)
			}
			if f.slice {
				ep, err := buildPlan(elem, seen)
				if err != nil {
					return err
				}
				f.kind, f.elem, f.elemPt = kList, ep, t.Kind() == reflect.Pointer
				p.lists = append(p.lists, f)
				break
			}
			for _, s := range seen {
				if s == elem {
					return fmt.Errorf("%v contains itself", elem)
				}
			}
			if err := p.add(elem, f.name+".", f.index, append(seen, elem)); err != nil {
				return err
			}
			continue
		}
		if f.kind == kTime {
			if f.input == "" {
				f.input = "date"
			}
			if timeLayouts[f.input] == nil {
				return fmt.Errorf("field %s.%s: form option %q: a time comes from a date, datetime-local, time or month input", p.typ, sf.Name, f.input)
			}
		}
		f.constraints()
		f.order = len(p.fields)
		p.byName[f.name] = f
		p.fields = append(p.fields, f)
	}
	return nil
}

// isStructGroup reports whether t is a struct whose fields are form
// fields of their own, rather than one value such as a time.Time.
func isStructGroup(t reflect.Type) bool {
	_, _, scalar := scalarKind(t)
	return t.Kind() == reflect.Struct && !scalar
}

// isScalar reports whether a slice type is itself one value, such as a
// TextUnmarshaler implemented on a slice type (net.IP).
func isScalar(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(unmarshalType)
}

// scalarKind says how one form value becomes a t.
func scalarKind(t reflect.Type) (kind, int, bool) {
	switch {
	case t == timeType:
		return kTime, 0, true
	case reflect.PointerTo(t).Implements(unmarshalType):
		return kText, 0, true
	}
	switch t.Kind() {
	case reflect.String:
		return kString, 0, true
	case reflect.Bool:
		return kBool, 0, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kInt, t.Bits(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return kUint, t.Bits(), true
	case reflect.Float32, reflect.Float64:
		return kFloat, t.Bits(), true
	}
	return 0, 0, false
}

// defaultLabel names a field in messages when it has no label tag: its form
// name with a capital, "first_name" as "First name", "émail" as "Émail".
func defaultLabel(name string) string {
	name = strings.NewReplacer("_", " ", "-", " ").Replace(name)
	r, size := utf8.DecodeRuneInString(name)
	if size == 0 || r == utf8.RuneError {
		return name
	}
	return string(unicode.ToUpper(r)) + name[size:]
}

// lookup finds the field of a full form name, list elements included
// ("items.3.name").
func (p *plan) lookup(name string) *field {
	if f, ok := p.byName[name]; ok {
		return f
	}
	if l, _, rest, ok := p.listElement(name); ok {
		return l.elem.lookup(rest)
	}
	return nil
}

// listElement splits the name of a list element, "items.3.name", into the
// list's field ("items", which may itself sit in a nested struct), the
// element's index as written ("3") and the name within the element
// ("name"; empty when there is none). It reports false when no prefix of
// the name is a list of the plan. It compares the name with the plan's
// few lists rather than looking up each of its prefixes, which would cost
// the square of its length: a request may send a name of megabytes.
func (p *plan) listElement(name string) (l *field, num, rest string, ok bool) {
	for _, l := range p.lists {
		if len(name) > len(l.name) && name[len(l.name)] == '.' && name[:len(l.name)] == l.name {
			num, rest, _ = strings.Cut(name[len(l.name)+1:], ".")
			return l, num, rest, true
		}
	}
	return nil, "", "", false
}
