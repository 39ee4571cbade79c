package devalue

import (
	"encoding"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Typed decoding reads slots straight into Go values, without building
// the lossless model. Each Go type gets a decoder, made once and cached.
// What the decoders do not read themselves (Unmarshalers, Maps, Sets,
// sparse arrays, BigInts, sentinels, mismatches…) goes through the model
// and assign, which also write the errors.

// decoderFunc decodes slot i, or a sentinel when i is negative, into v.
type decoderFunc func(s *decodeState, v reflect.Value, i, depth int) error

var decoders sync.Map // reflect.Type → decoderFunc

func decoderFor(t reflect.Type) decoderFunc {
	if f, ok := decoders.Load(t); ok {
		return f.(decoderFunc)
	}
	// A recursive type needs its decoder while the decoder is being made:
	// hand out one that waits for it.
	var (
		wg sync.WaitGroup
		f  decoderFunc
	)
	wg.Add(1)
	fi, loaded := decoders.LoadOrStore(t, decoderFunc(func(s *decodeState, v reflect.Value, i, depth int) error {
		wg.Wait()
		return f(s, v, i, depth)
	}))
	if loaded {
		return fi.(decoderFunc)
	}
	f = newDecoder(t)
	wg.Done()
	decoders.Store(t, f)
	return f
}

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

func newDecoder(t reflect.Type) decoderFunc {
	if isUnmarshaler(t) {
		return viaModel
	}
	if t == timeType {
		return decodeTime
	}
	if knownTypes[t] {
		return viaModel
	}
	switch t.Kind() {
	case reflect.Bool:
		return decodeBool
	case reflect.String:
		return decodeString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decodeInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return decodeUint
	case reflect.Float32, reflect.Float64:
		return decodeFloat
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return decodeAny
		}
	case reflect.Pointer:
		return pointerDecoder(t)
	case reflect.Struct:
		return structDecoder(t)
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 { // bytes come from typed arrays
			return sliceDecoder(t)
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String && !reflect.PointerTo(t.Key()).Implements(textUnmarshalerType) {
			return mapDecoder(t)
		}
	}
	return viaModel
}

// viaModel decodes through the lossless model.
func viaModel(s *decodeState, v reflect.Value, i, depth int) error {
	m, err := s.hydrate(i, depth)
	if err != nil {
		return err
	}
	if s.assign.seen == nil {
		s.assign = assigner{seen: map[assignKey]reflect.Value{}, maxDepth: s.maxDepth}
	}
	return s.assign.assign(v, m, depth)
}

func decodeBool(s *decodeState, v reflect.Value, i, depth int) error {
	if i >= 0 {
		switch _, t := s.slot(i); t.kind {
		case jsonTrue:
			v.SetBool(true)
			return nil
		case jsonFalse:
			v.SetBool(false)
			return nil
		}
	}
	return viaModel(s, v, i, depth)
}

func decodeString(s *decodeState, v reflect.Value, i, depth int) error {
	if i >= 0 {
		if _, t := s.slot(i); t.kind == jsonString {
			v.SetString(s.slotString(i, t))
			return nil
		}
	}
	return viaModel(s, v, i, depth)
}

// slotString decodes a string slot once however often it is referenced:
// devalue writes each distinct string once.
func (s *decodeState) slotString(i int, t token) string {
	if !s.shared[i] {
		return s.str(t)
	}
	if str, ok := s.strings[i]; ok {
		return str
	}
	if s.strings == nil {
		s.strings = map[int]string{}
	}
	str := s.str(t)
	s.strings[i] = str
	return str
}

func decodeInt(s *decodeState, v reflect.Value, i, depth int) error {
	if i >= 0 {
		if _, t := s.slot(i); t.kind == jsonNumber {
			f := t.number()
			if n := int64(f); float64(n) == f && math.Abs(f) <= maxSafeInteger && !v.OverflowInt(n) {
				v.SetInt(n)
				return nil
			}
		}
	}
	return viaModel(s, v, i, depth)
}

func decodeUint(s *decodeState, v reflect.Value, i, depth int) error {
	if i >= 0 {
		if _, t := s.slot(i); t.kind == jsonNumber {
			f := t.number()
			if n := uint64(f); f >= 0 && float64(n) == f && f <= maxSafeInteger && !v.OverflowUint(n) {
				v.SetUint(n)
				return nil
			}
		}
	}
	return viaModel(s, v, i, depth)
}

func decodeFloat(s *decodeState, v reflect.Value, i, depth int) error {
	if i >= 0 {
		if _, t := s.slot(i); t.kind == jsonNumber {
			v.SetFloat(t.number())
			return nil
		}
	}
	return viaModel(s, v, i, depth)
}

func decodeAny(s *decodeState, v reflect.Value, i, depth int) error {
	m, err := s.hydrate(i, depth)
	if err != nil {
		return err
	}
	if m == nil {
		v.SetZero()
	} else {
		v.Set(reflect.ValueOf(m))
	}
	return nil
}

// decodeTime reads a Date in toISOString's form; anything else, an
// invalid Date included, goes through the model, which explains.
func decodeTime(s *decodeState, v reflect.Value, i, depth int) error {
	if _, revived := s.dec.Revivers["Date"]; i >= 0 && !revived {
		if at, _ := s.slot(i); s.isTag(at, "Date", 2) {
			if text := s.tape[at+2]; text.kind == jsonString && !text.raw {
				if t, ok := parseISODate(string(s.data[text.v : text.v+uint64(text.n)])); ok {
					if v.CanAddr() && v.CanInterface() {
						*v.Addr().Interface().(*time.Time) = t // no boxing
					} else {
						v.Set(reflect.ValueOf(t))
					}
					return nil
				}
			}
		}
	}
	return viaModel(s, v, i, depth)
}

func (s *decodeState) tooDeep() error {
	return &Error{Msg: "values nest more than " + strconv.Itoa(s.maxDepth) + " deep"}
}

// remember records the pointer, slice or map made for a shared slot.
func (s *decodeState) remember(i int, t reflect.Type, v reflect.Value) {
	if s.made == nil {
		s.made = map[madeKey]reflect.Value{}
	}
	s.made[madeKey{i, t}] = v
}

func pointerDecoder(t reflect.Type) decoderFunc {
	elem := decoderFor(t.Elem())
	return func(s *decodeState, v reflect.Value, i, depth int) error {
		if i < 0 {
			return viaModel(s, v, i, depth)
		}
		if _, tok := s.slot(i); tok.kind == jsonNull {
			v.SetZero()
			return nil
		}
		if depth > s.maxDepth {
			return s.tooDeep()
		}
		if s.shared[i] {
			if p, ok := s.made[madeKey{i, t}]; ok {
				v.Set(p)
				return nil
			}
		}
		p := reflect.New(t.Elem())
		if s.shared[i] {
			s.remember(i, t, p)
		}
		v.Set(p)
		return elem(s, p.Elem(), i, depth+1)
	}
}

type fieldDecoder struct {
	name  string
	index []int
	dec   decoderFunc
}

func structDecoder(t reflect.Type) decoderFunc {
	info := cachedFields(t)
	fields := make([]fieldDecoder, len(info.list))
	byName := make(map[string]int, len(fields))
	for n, f := range info.list {
		fields[n] = fieldDecoder{f.name, f.index, decoderFor(t.FieldByIndex(f.index).Type)}
		byName[f.name] = n
	}
	return func(s *decodeState, v reflect.Value, i, depth int) error {
		if i < 0 {
			return viaModel(s, v, i, depth)
		}
		at, tok := s.slot(i)
		if tok.kind != jsonObject {
			return viaModel(s, v, i, depth)
		}
		if depth > s.maxDepth {
			return s.tooDeep()
		}
		kids := s.kids(at)
		unmatched := false
		for n := 0; n < len(kids); n += 2 {
			key := kids[n]
			if s.keyIs(key, "__proto__") {
				return &Error{Msg: "Cannot parse an object with a `__proto__` property"}
			}
			f, ok := n/2, false
			// Keys usually come in the fields' order: try that field first.
			if f < len(fields) && s.keyIs(key, fields[f].name) {
				ok = true
			} else if key.raw {
				f, ok = byName[s.str(key)]
			} else {
				f, ok = byName[string(s.data[key.v:key.v+uint64(key.n)])]
			}
			if !ok {
				unmatched = true
				continue
			}
			if err := s.field(v, &fields[f], kids[n+1], depth); err != nil {
				return err
			}
		}
		if !unmatched {
			return nil
		}
		// As encoding/json does, a key may name a field up to case.
		for n := 0; n < len(kids); n += 2 {
			k := s.str(kids[n])
			if _, ok := byName[k]; ok {
				continue
			}
			for _, f := range fields {
				if strings.EqualFold(f.name, k) {
					if err := s.field(v, &f, kids[n+1], depth); err != nil {
						return err
					}
					break
				}
			}
		}
		return nil
	}
}

// field decodes the value an object's key refers to into a struct field.
func (s *decodeState) field(v reflect.Value, f *fieldDecoder, ref token, depth int) error {
	j, err := s.index(ref)
	if err != nil {
		return within(err, keySegment(f.name))
	}
	var fv reflect.Value
	if len(f.index) == 1 {
		fv = v.Field(f.index[0])
	} else if fv, err = fieldForSet(v, f.index); err != nil {
		return within(err, keySegment(f.name))
	}
	if err := f.dec(s, fv, j, depth+1); err != nil {
		return within(err, keySegment(f.name))
	}
	return nil
}

// keyIs reports whether a string token's value is name, without making a
// string of it when it needs no decoding.
func (s *decodeState) keyIs(t token, name string) bool {
	if t.raw {
		return s.str(t) == name
	}
	return int(t.n) == len(name) && string(s.data[t.v:t.v+uint64(t.n)]) == name
}

func sliceDecoder(t reflect.Type) decoderFunc {
	elem := decoderFor(t.Elem())
	return func(s *decodeState, v reflect.Value, i, depth int) error {
		if i < 0 {
			return viaModel(s, v, i, depth)
		}
		at, tok := s.slot(i)
		if tok.kind == jsonNull {
			v.SetZero()
			return nil
		}
		if tok.kind != jsonArray {
			return viaModel(s, v, i, depth)
		}
		kids := s.kids(at)
		if len(kids) > 0 && (kids[0].kind == jsonString || kids[0].kind == jsonNumber && kids[0].number() == idxSparse) {
			return viaModel(s, v, i, depth) // a Set, a sparse array, …
		}
		if depth > s.maxDepth {
			return s.tooDeep()
		}
		if s.shared[i] {
			if sl, ok := s.made[madeKey{i, t}]; ok {
				v.Set(sl)
				return nil
			}
		}
		// Grow makes the array in one allocation; MakeSlice would make
		// its header a second.
		v.SetZero()
		v.Grow(len(kids))
		v.SetLen(len(kids))
		sl := v
		if s.shared[i] {
			sl = reflect.ValueOf(v.Interface()) // the slice itself, not the variable holding it
			s.remember(i, t, sl)
		}
		for n, e := range kids {
			if e.kind == jsonNumber && e.number() == idxHole {
				continue
			}
			j, err := s.index(e)
			if err == nil {
				err = elem(s, sl.Index(n), j, depth+1)
			}
			if err != nil {
				return within(err, "["+strconv.Itoa(n)+"]")
			}
		}
		return nil
	}
}

// mapDecoder reads objects into maps with string keys; other maps, and
// Maps into any map, go through the model.
func mapDecoder(t reflect.Type) decoderFunc {
	elem := decoderFor(t.Elem())
	return func(s *decodeState, v reflect.Value, i, depth int) error {
		if i < 0 {
			return viaModel(s, v, i, depth)
		}
		at, tok := s.slot(i)
		if tok.kind == jsonNull {
			v.SetZero()
			return nil
		}
		if tok.kind != jsonObject {
			return viaModel(s, v, i, depth)
		}
		if depth > s.maxDepth {
			return s.tooDeep()
		}
		if s.shared[i] {
			if m, ok := s.made[madeKey{i, t}]; ok {
				v.Set(m)
				return nil
			}
		}
		kids := s.kids(at)
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(t, len(kids)/2))
		}
		m := v
		if s.shared[i] {
			m = reflect.ValueOf(v.Interface()) // the map itself, not the variable holding it
			s.remember(i, t, m)
		}
		key, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		for n := 0; n < len(kids); n += 2 {
			k := s.str(kids[n])
			if k == "__proto__" {
				return &Error{Msg: "Cannot parse an object with a `__proto__` property"}
			}
			j, err := s.index(kids[n+1])
			if err == nil {
				val.SetZero()
				err = elem(s, val, j, depth+1)
			}
			if err != nil {
				return within(err, keySegment(k))
			}
			key.SetString(k)
			m.SetMapIndex(key, val)
		}
		return nil
	}
}
