package devalue

import (
	"math/big"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// reflectValue writes the Go values that flatten's type switch does not
// know by name: named types, structs, typed maps, slices and pointers.
func (s *encodeState) reflectValue(v reflect.Value) (int, error) {
	if !v.IsValid() {
		return s.null(), nil
	}
	if isMarshaler(v.Type()) {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return s.null(), nil
		}
		return s.flatten(v.Interface())
	}
	switch v.Kind() {
	case reflect.Bool:
		return s.boolean(v.Bool()), nil
	case reflect.String:
		return s.str(v.String()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return s.integer(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return s.unsigned(v.Uint())
	case reflect.Float32, reflect.Float64:
		return s.num(v.Float()), nil
	case reflect.Interface:
		if v.IsNil() {
			return s.null(), nil
		}
		return s.flatten(v.Elem().Interface())
	case reflect.Pointer:
		if v.IsNil() {
			return s.null(), nil
		}
		if known(v.Type()) {
			return s.flatten(v.Interface())
		}
		switch v.Elem().Kind() {
		case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
			return s.container(v.Elem(), identity{ptr: v.UnsafePointer(), typ: v.Type()})
		}
		// A pointer to a plain value is that value (NaN and all), with no
		// identity of its own; only a chain of pointers could loop.
		if s.pointers++; s.pointers > maxPointerChain {
			return 0, failf("a chain of more than %d pointers", maxPointerChain)
		}
		i, err := s.reflectValue(v.Elem())
		s.pointers--
		return i, err
	case reflect.Map:
		if v.IsNil() {
			return s.null(), nil
		}
		return s.container(v, mapID(v))
	case reflect.Slice:
		if v.IsNil() {
			return s.null(), nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 && !v.Type().Elem().Implements(marshalerType) {
			return s.bytes(v.Bytes())
		}
		return s.container(v, sliceID(v))
	case reflect.Array:
		return s.container(v, identity{})
	case reflect.Struct:
		if known(v.Type()) {
			return s.flatten(v.Interface())
		}
		return s.container(v, identity{})
	}
	return 0, failf("cannot marshal a Go %s", v.Type())
}

// marshalers caches whether a type implements Marshaler.
var marshalers sync.Map // reflect.Type → bool

func isMarshaler(t reflect.Type) bool {
	if is, ok := marshalers.Load(t); ok {
		return is.(bool)
	}
	is := t.Implements(marshalerType)
	marshalers.Store(t, is)
	return is
}

// known reports whether flatten's type switch handles t by name.
func known(t reflect.Type) bool { return knownTypes[t] }

var knownTypes = map[reflect.Type]bool{
	reflect.TypeFor[*Object](): true, reflect.TypeFor[*Array](): true, reflect.TypeFor[*Map](): true,
	reflect.TypeFor[*Set](): true, reflect.TypeFor[*Date](): true, reflect.TypeFor[Date](): true,
	reflect.TypeFor[*RegExp](): true, reflect.TypeFor[*URL](): true, reflect.TypeFor[*URLSearchParams](): true,
	reflect.TypeFor[*ArrayBuffer](): true, reflect.TypeFor[*TypedArray](): true, reflect.TypeFor[*Boxed](): true,
	reflect.TypeFor[*Temporal](): true, reflect.TypeFor[*Tagged](): true,
	reflect.TypeFor[time.Time](): true, reflect.TypeFor[*time.Time](): true,
	reflect.TypeFor[big.Int](): true, reflect.TypeFor[*big.Int](): true,
	reflect.TypeFor[*url.URL](): true, reflect.TypeFor[url.Values](): true,
}

// container writes a struct, map, slice or array. A value with an
// identity (a pointer, map or non-empty slice) met before is its slot;
// otherwise it takes a new slot, which its identity claims before the
// children are written, so that repeats and cycles point back at it.
func (s *encodeState) container(v reflect.Value, id identity) (int, error) {
	var i int
	if id.typ != nil {
		var ok bool
		if i, ok = s.seen(id); ok {
			return i, nil
		}
	} else {
		i = s.reserve()
	}
	var err error
	switch v.Kind() {
	case reflect.Struct:
		err = s.structFields(i, v)
	case reflect.Map:
		err = s.mapEntries(i, v)
	default: // slices and arrays
		err = s.elements(i, v)
	}
	return i, err
}

// mapID is a map's identity.
func mapID(v reflect.Value) identity {
	return identity{ptr: v.UnsafePointer(), typ: v.Type()}
}

// sliceID is a slice's identity; none when it is empty.
func sliceID(v reflect.Value) identity {
	if v.Len() == 0 {
		return identity{}
	}
	return identity{ptr: v.UnsafePointer(), typ: v.Type(), n: v.Len()}
}

func (s *encodeState) elements(i int, v reflect.Value) error {
	b, err := s.open()
	if err != nil {
		return err
	}
	b = append(b, '[')
	named := namedType(v.Type().Elem())
	for n := 0; n < v.Len(); n++ {
		c, err := s.flattenValue(v.Index(n), named)
		if err != nil {
			s.depth--
			return within(err, "["+strconv.Itoa(n)+"]")
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = appendIndex(b, c)
	}
	s.close(i, append(b, ']'))
	return nil
}

// flattenValue is flatten for a reflect.Value of a type that namedType
// has classified, skipping the interface round trip when it can.
func (s *encodeState) flattenValue(v reflect.Value, named bool) (int, error) {
	if len(s.enc.Reducers) == 0 {
		if v.Type().PkgPath() == "" {
			switch v.Kind() {
			case reflect.String:
				return s.str(v.String()), nil
			case reflect.Float64:
				return s.num(v.Float()), nil
			case reflect.Bool:
				return s.boolean(v.Bool()), nil
			case reflect.Int:
				return s.integer(v.Int())
			}
		}
		// The interface would copy the value to the heap, for flatten to
		// hand it back to reflectValue.
		if !named {
			return s.reflectValue(v)
		}
		if v.Type() == timeType && v.CanAddr() {
			return s.date(s.reserve(), *v.Addr().Interface().(*time.Time), false), nil
		}
	}
	if !v.CanInterface() {
		return s.reflectValue(v)
	}
	return s.flatten(v.Interface())
}

// namedType reports whether flatten's type switch names t, rather than
// handing it to reflectValue.
func namedType(t reflect.Type) bool {
	return knownTypes[t] || namedByFlatten[t] || t.Kind() == reflect.Interface
}

// namedByFlatten lists the types besides knownTypes that flatten's type
// switch names.
var namedByFlatten = map[reflect.Type]bool{
	reflect.TypeFor[[]any](): true, reflect.TypeFor[map[string]any](): true,
	reflect.TypeFor[undefined](): true, reflect.TypeFor[hole](): true,
}

// mapEntries writes a map as an object: keys sorted, then in JavaScript's
// order (integer-like keys first). Keys must be strings, integers or
// encoding.TextMarshalers, as for encoding/json.
func (s *encodeState) mapEntries(i int, v reflect.Value) error {
	type entry struct {
		key string
		val reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	iter := v.MapRange()
	for iter.Next() {
		k, err := mapKey(iter.Key())
		if err != nil {
			return err
		}
		entries = append(entries, entry{k, iter.Value()})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := indexKeysFirst(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	b, err := s.open()
	if err != nil {
		return err
	}
	b = append(b, '{')
	named := namedType(v.Type().Elem())
	for n, e := range entries {
		if e.key == "__proto__" {
			s.depth--
			return failf("Cannot stringify objects with __proto__ keys")
		}
		c, err := s.flattenValue(e.val, named)
		if err != nil {
			s.depth--
			return within(err, keySegment(e.key))
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = appendIndex(append(appendString(b, e.key), ':'), c)
	}
	s.close(i, append(b, '}'))
	return nil
}

func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if k.Type().Implements(textMarshalerType) {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		b, err := k.Interface().(interface{ MarshalText() ([]byte, error) }).MarshalText()
		return string(b), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", failf("cannot use a %s as an object key; use a *Map", k.Type())
}

func (s *encodeState) structFields(i int, v reflect.Value) error {
	fields := cachedFields(v.Type())
	b, err := s.open()
	if err != nil {
		return err
	}
	b = append(b, '{')
	n := 0
	for _, f := range fields.list {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || (f.omitEmpty && isEmpty(fv)) || (f.omitZero && fv.IsZero()) {
			continue
		}
		var c int
		var err error
		switch {
		case f.basic == reflect.Invalid || len(s.enc.Reducers) > 0:
			c, err = s.flattenValue(fv, f.named)
		case f.basic == reflect.String:
			c = s.str(fv.String())
		case f.basic == reflect.Float64:
			c = s.num(fv.Float())
		case f.basic == reflect.Bool:
			c = s.boolean(fv.Bool())
		default:
			c, err = s.integer(fv.Int())
		}
		if err != nil {
			s.depth--
			return within(err, keySegment(f.name))
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendIndex(append(b, f.quoted...), c)
	}
	s.close(i, append(b, '}'))
	return nil
}

// fieldByIndex follows an embedded path; false when it crosses a nil
// embedded pointer.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for n, i := range index {
		if n > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v, true
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// field is one JSON-visible field of a struct.
type field struct {
	named     bool         // see namedType
	basic     reflect.Kind // String, Float64, Bool or Int for a field of that unnamed type; else Invalid
	name      string
	quoted    []byte // "name":
	index     []int
	omitEmpty bool
	omitZero  bool
	tagged    bool
}

type structInfo struct {
	list   []field
	byName map[string]*field
}

var fieldCache sync.Map // reflect.Type → *structInfo

// cachedFields lists a struct's fields as encoding/json sees them: json
// tags (name, omitempty, omitzero, "-"), embedded structs' fields promoted,
// and among fields of the same name the shallowest (or only tagged) one.
// The order is the struct's, embedded fields in place, and then
// JavaScript's key order, integer-like names first.
func cachedFields(t reflect.Type) *structInfo {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structInfo)
	}
	var all []field
	var walk func(t reflect.Type, index []int, depth int, visited map[reflect.Type]bool)
	walk = func(t reflect.Type, index []int, depth int, visited map[reflect.Type]bool) {
		if visited[t] {
			return
		}
		visited[t] = true
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous && name == "" {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, append(slices.Clone(index), i), depth+1, visited)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			f := field{name: name, index: append(slices.Clone(index), i), tagged: name != "", named: namedType(sf.Type)}
			if k := sf.Type.Kind(); sf.Type.PkgPath() == "" && (k == reflect.String || k == reflect.Float64 || k == reflect.Bool || k == reflect.Int) {
				f.basic = k // no methods, so no Marshaler: written straight away
			}
			if !validTagName(name) {
				f.name, f.tagged = sf.Name, false
			}
			for _, o := range strings.Split(opts, ",") {
				f.omitEmpty = f.omitEmpty || o == "omitempty"
				f.omitZero = f.omitZero || o == "omitzero"
			}
			f.quoted = append(appendString(nil, f.name), ':')
			all = append(all, f)
		}
		delete(visited, t)
	}
	walk(t, nil, 0, map[reflect.Type]bool{})

	// Resolve duplicate names: fewest embedding levels wins, then a tagged
	// field; a tie hides them all, as in encoding/json.
	var list []field
	for _, f := range all {
		best, tie := f, false
		for _, g := range all {
			if g.name != f.name || slices.Equal(g.index, f.index) {
				continue
			}
			switch {
			case len(g.index) < len(best.index):
				best, tie = g, false
			case len(g.index) == len(best.index):
				if g.tagged && !best.tagged {
					best, tie = g, false
				} else if g.tagged == best.tagged {
					tie = true
				}
			}
		}
		if !tie && slices.Equal(best.index, f.index) {
			list = append(list, f)
		}
	}
	// JavaScript enumerates integer-like keys first.
	slices.SortStableFunc(list, func(a, b field) int { return indexKeysFirst(a.name, b.name) })
	info := &structInfo{list: list, byName: map[string]*field{}}
	for i := range info.list {
		info.byName[info.list[i].name] = &info.list[i]
	}
	f, _ := fieldCache.LoadOrStore(t, info)
	return f.(*structInfo)
}

func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}
