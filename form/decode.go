package form

import (
	"encoding"
	"errors"
	"maps"
	"math"
	"mime/multipart"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxListLen bounds the lists of structs that one request fills: together,
// nested lists included, they hold at most MaxListLen elements. A form
// name whose index would take them beyond (items.5000.name) is ignored, as
// unknown names are, so a crafted request cannot make the decoder allocate
// more than that, however its lists nest (lines.9.options.999.label).
const MaxListLen = 1000

// decoder fills one struct from a request's form. Values that do not parse
// become failures, keyed by form name; what the user typed is kept in shown
// so the page can fill it in again.
type decoder struct {
	fails map[string]Failure
	shown map[string]any
	elems int // list elements made so far, against MaxListLen
}

// decode fills the struct v (addressable) of plan p from values and files.
// Names the plan does not know are ignored.
// Names are taken in order, so that which list elements MaxListLen leaves
// out does not change from one request to the next.
func (d *decoder) decode(p *plan, v reflect.Value, values map[string][]string, files map[string][]*multipart.FileHeader) {
	for _, name := range slices.Sorted(maps.Keys(values)) {
		vals := values[name]
		if len(vals) == 0 || name == IDField {
			continue
		}
		d.key(p, v, name, name, vals, nil)
	}
	for name, fhs := range files {
		if len(fhs) > 0 {
			d.key(p, v, name, name, nil, fhs)
		}
	}
}

// key routes one form name, relative to plan p, to its field. full is the
// name as the form sent it, for failures and shown values.
func (d *decoder) key(p *plan, v reflect.Value, name, full string, vals []string, fhs []*multipart.FileHeader) {
	if f, ok := p.byName[name]; ok && f.kind != kList {
		if fhs != nil {
			d.files(f, v, fhs)
		} else {
			d.set(f, v, full, vals)
		}
		return
	}
	// A list element: "items.3.name" is field "name" of element 3 of the
	// list "items", which may itself sit in a nested struct.
	if l, num, rest, ok := p.listElement(name); ok {
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || n >= MaxListLen || num != strconv.Itoa(n) {
			return
		}
		if l.elem.lookup(rest) == nil {
			return // nothing to fill: do not grow the list for an unknown name
		}
		list := fieldAlloc(v, l.index)
		if list.Len() <= n {
			if d.elems+n+1-list.Len() > MaxListLen {
				return
			}
			d.elems += n + 1 - list.Len()
			if list.Cap() > n {
				list.SetLen(n + 1)
			} else {
				grown := reflect.MakeSlice(list.Type(), n+1, max(n+1, 2*list.Len()))
				reflect.Copy(grown, list)
				list.Set(grown)
			}
		}
		elem := list.Index(n)
		if l.elemPt {
			if elem.IsNil() {
				elem.Set(reflect.New(elem.Type().Elem()))
			}
			elem = elem.Elem()
		}
		d.key(l.elem, elem, rest, full, vals, fhs)
	}
}

// fieldAlloc returns the field at index in struct v, allocating the nested
// structs that pointers on the way lead to.
func fieldAlloc(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// set fills field f of struct v from the values of one name.
func (d *decoder) set(f *field, v reflect.Value, full string, vals []string) {
	if f.kind == kFile || f.kind == kFiles {
		return // a text value where a file belongs: an empty file input sends ""
	}
	if !f.secret {
		if f.slice {
			d.shown[full] = vals
		} else {
			d.shown[full] = vals[0]
		}
	}
	if f.slice {
		n := 0
		for _, s := range vals {
			if s != "" {
				n++
			}
		}
		if n == 0 {
			return
		}
		dst := fieldAlloc(v, f.index)
		s := reflect.MakeSlice(dst.Type(), n, n)
		i := 0
		for _, val := range vals {
			if val == "" {
				continue
			}
			if rule, param, ok := parse(f, s.Index(i), val); !ok {
				d.fail(f, full, rule, param)
				return
			}
			i++
		}
		dst.Set(s)
		return
	}
	val := vals[0]
	if val == "" {
		return
	}
	dst := fieldAlloc(v, f.index)
	if f.ptr {
		p := reflect.New(f.typ)
		if rule, param, ok := parse(f, p.Elem(), val); !ok {
			d.fail(f, full, rule, param)
			return
		}
		dst.Set(p)
		return
	}
	if rule, param, ok := parse(f, dst, val); !ok {
		dst.SetZero()
		d.fail(f, full, rule, param)
	}
}

// files fills a file field with the uploads of one name.
func (d *decoder) files(f *field, v reflect.Value, fhs []*multipart.FileHeader) {
	switch f.kind {
	case kFile:
		fieldAlloc(v, f.index).Set(reflect.ValueOf(fhs[0]))
	case kFiles:
		fieldAlloc(v, f.index).Set(reflect.ValueOf(fhs))
	}
}

func (d *decoder) fail(f *field, full, rule, param string) {
	if _, ok := d.fails[full]; !ok {
		d.fails[full] = failure(f, full, rule, param)
	}
}

// parse sets dst, of f's scalar type, from one non-empty form value. When
// the value does not parse it reports the rule it broke.
func parse(f *field, dst reflect.Value, s string) (rule, param string, ok bool) {
	switch f.kind {
	case kString:
		dst.SetString(s)
	case kBool:
		// A checkbox sends its value ("on" unless it says otherwise) when
		// ticked and nothing when not: any value but an explicit false is true.
		b, err := strconv.ParseBool(s)
		dst.SetBool(err != nil || b)
	case kInt:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, f.bits)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				lim := int64(1)<<(f.bits-1) - 1
				return "int", strconv.FormatInt(-lim-1, 10) + "," + strconv.FormatInt(lim, 10), false
			}
			return "int", "", false
		}
		dst.SetInt(n)
	case kUint:
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, f.bits)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return "uint", "0," + strconv.FormatUint(math.MaxUint64>>(64-f.bits), 10), false
			}
			return "uint", "", false
		}
		dst.SetUint(n)
	case kFloat:
		x, err := strconv.ParseFloat(strings.TrimSpace(s), f.bits)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return "float", "", false
		}
		dst.SetFloat(x)
	case kTime:
		t, ok := parseTime(f.input, strings.TrimSpace(s))
		if !ok {
			return f.input, "", false
		}
		dst.Set(reflect.ValueOf(t))
	case kText:
		if err := dst.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return "text", "", false
		}
	}
	return "", "", true
}

// timeLayouts are the formats of the values of date and time inputs, as
// browsers send them (seconds only when the input's step asks for them).
// Parsing accepts fractional seconds after any of them.
var timeLayouts = map[string][]string{
	"date":           {"2006-01-02"},
	"datetime-local": {"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"},
	"time":           {"15:04:05", "15:04"},
	"month":          {"2006-01"},
}

// parseTime reads the value of an input of type input. The value has no
// zone: the time is in UTC, as the browser gave no other.
func parseTime(input, s string) (time.Time, bool) {
	for _, layout := range timeLayouts[input] {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// timeFormat is how a time fills an input of type input again.
func timeFormat(input string, t time.Time) string {
	switch input {
	case "datetime-local":
		if t.Second() != 0 || t.Nanosecond() != 0 {
			return t.Format("2006-01-02T15:04:05")
		}
		return t.Format("2006-01-02T15:04")
	case "time":
		if t.Second() != 0 || t.Nanosecond() != 0 {
			return t.Format("15:04:05")
		}
		return t.Format("15:04")
	case "month":
		return t.Format("2006-01")
	}
	return t.Format("2006-01-02")
}
