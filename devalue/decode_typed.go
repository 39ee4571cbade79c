package devalue

import (
	"encoding"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Typed decoding reads slots straight into Go values, without building
// the lossless model. Each Go type gets a decoder, made once and cached,
// that writes through a pointer to the value: field offsets are worked
// out once per type, so that a record costs no reflection per field.
// What the decoders do not read themselves (Unmarshalers, Maps, Sets,
// sparse arrays, BigInts, sentinels, mismatches…) goes through the model
// and assign, which also write the errors.

// decoderFunc decodes slot i, or a sentinel when i is negative, into the
// value of its type at p.
type decoderFunc func(s *decodeState, p unsafe.Pointer, i, depth int) error

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
	fi, loaded := decoders.LoadOrStore(t, decoderFunc(func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		wg.Wait()
		return f(s, p, i, depth)
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
		return modelDecoder(t)
	}
	if t == timeType {
		return timeDecoder(t)
	}
	if knownTypes[t] {
		return modelDecoder(t)
	}
	switch t.Kind() {
	case reflect.Bool:
		return boolDecoder(t)
	case reflect.String:
		return stringDecoder(t)
	case reflect.Int:
		return intDecoder[int](t)
	case reflect.Int8:
		return intDecoder[int8](t)
	case reflect.Int16:
		return intDecoder[int16](t)
	case reflect.Int32:
		return intDecoder[int32](t)
	case reflect.Int64:
		return intDecoder[int64](t)
	case reflect.Uint:
		return intDecoder[uint](t)
	case reflect.Uint8:
		return intDecoder[uint8](t)
	case reflect.Uint16:
		return intDecoder[uint16](t)
	case reflect.Uint32:
		return intDecoder[uint32](t)
	case reflect.Uint64:
		return intDecoder[uint64](t)
	case reflect.Uintptr:
		return intDecoder[uintptr](t)
	case reflect.Float32:
		return floatDecoder[float32](t)
	case reflect.Float64:
		return floatDecoder[float64](t)
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
	return modelDecoder(t)
}

// modelDecoder decodes values of type t through the lossless model.
func modelDecoder(t reflect.Type) decoderFunc {
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		return s.viaModel(t, p, i, depth)
	}
}

func (s *decodeState) viaModel(t reflect.Type, p unsafe.Pointer, i, depth int) error {
	m, err := s.hydrate(i, depth)
	if err != nil {
		return err
	}
	if s.assign.seen == nil {
		s.assign = assigner{seen: map[assignKey]reflect.Value{}, maxDepth: s.maxDepth, maxClaimed: len(s.data)}
	}
	return s.assign.assign(reflect.NewAt(t, p).Elem(), m, depth)
}

func boolDecoder(t reflect.Type) decoderFunc {
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i >= 0 {
			switch _, tok := s.slot(i); tok.kind {
			case jsonTrue:
				*(*bool)(p) = true
				return nil
			case jsonFalse:
				*(*bool)(p) = false
				return nil
			}
		}
		return s.viaModel(t, p, i, depth)
	}
}

func stringDecoder(t reflect.Type) decoderFunc {
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i >= 0 {
			if _, tok := s.slot(i); tok.kind == jsonString {
				*(*string)(p) = s.slotString(i, tok)
				return nil
			}
		}
		return s.viaModel(t, p, i, depth)
	}
}

// slotString decodes a string slot once however often it is referenced:
// devalue writes each distinct string once.
func (s *decodeState) slotString(i int, t token) string {
	if !s.isShared(i) {
		return s.str(t)
	}
	c := &s.strings[i%len(s.strings)]
	if c.slot == i+1 {
		return c.text
	}
	if c.slot != 0 {
		// Taken by another slot. Decoding this one at every reference
		// would cost its length each time: keep it in the hydrated model,
		// where each slot is decoded once.
		v, _ := s.hydrate(i, 0)
		return v.(string)
	}
	c.slot, c.text = i+1, s.str(t)
	return c.text
}

type goInteger interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// intDecoder reads whole numbers that T holds exactly; BigInts, and
// whatever does not fit, go through the model, which explains.
func intDecoder[T goInteger](t reflect.Type) decoderFunc {
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i >= 0 {
			if _, tok := s.slot(i); tok.kind == jsonNumber {
				f := tok.number()
				if n := int64(f); float64(n) == f && math.Abs(f) <= maxSafeInteger && int64(T(n)) == n && (n >= 0 || T(n) < 0) {
					*(*T)(p) = T(n)
					return nil
				}
			}
		}
		return s.viaModel(t, p, i, depth)
	}
}

func floatDecoder[T float32 | float64](t reflect.Type) decoderFunc {
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i >= 0 {
			if _, tok := s.slot(i); tok.kind == jsonNumber {
				*(*T)(p) = T(tok.number())
				return nil
			}
		}
		return s.viaModel(t, p, i, depth)
	}
}

func decodeAny(s *decodeState, p unsafe.Pointer, i, depth int) error {
	m, err := s.hydrate(i, depth)
	if err == nil {
		*(*any)(p) = m
	}
	return err
}

// timeDecoder reads a Date in toISOString's form; anything else, an
// invalid Date included, goes through the model, which explains.
func timeDecoder(t reflect.Type) decoderFunc {
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i >= 0 && !s.datesRevived {
			if at, _ := s.slot(i); s.isTag(at, "Date", 2) {
				if text := s.tape[at+2]; text.kind == jsonString {
					if d, ok := s.date(text); ok {
						*(*time.Time)(p) = d
						return nil
					}
				}
			}
		}
		return s.viaModel(t, p, i, depth)
	}
}

func (s *decodeState) tooDeep() error {
	return limited("values nest more than " + strconv.Itoa(s.maxDepth) + " deep")
}

// made is a pointer, map or slice made for a shared slot: repeats get the
// same one, and cycles end.
type made struct {
	p     unsafe.Pointer // what a pointer points at, or a map
	slice reflect.Value
	value reflect.Value // a struct's value (see valueOnce)
}

func (s *decodeState) remember(i int, t reflect.Type, m made) {
	if s.made == nil {
		s.made = map[madeKey]made{}
	}
	s.made[madeKey{i, t}] = m
}

func pointerDecoder(t reflect.Type) decoderFunc {
	elemType := t.Elem()
	elem := decoderFor(elemType)
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i < 0 {
			return s.viaModel(t, p, i, depth)
		}
		if _, tok := s.slot(i); tok.kind == jsonNull {
			*(*unsafe.Pointer)(p) = nil
			return nil
		}
		if depth > s.maxDepth {
			return s.tooDeep()
		}
		if s.isShared(i) {
			if m, ok := s.made[madeKey{i, t}]; ok {
				*(*unsafe.Pointer)(p) = m.p
				return nil
			}
		}
		q := reflect.New(elemType).UnsafePointer()
		if s.isShared(i) {
			s.remember(i, t, made{p: q})
		}
		*(*unsafe.Pointer)(p) = q
		// The pointee is the same devalue value, no level deeper, unless it
		// is a pointer again: counting those ends a recursive pointer type
		// (type P *P), which would otherwise never reach a slot.
		if elemType.Kind() == reflect.Pointer {
			depth++
		}
		return elem(s, q, i, depth)
	}
}

type fieldDecoder struct {
	name   string
	index  []int
	typ    reflect.Type
	offset uintptr // from the struct's start, when no embedded pointer is on the way
	direct bool
	dec    decoderFunc
}

func structDecoder(t reflect.Type) decoderFunc {
	info := cachedFields(t)
	fields := make([]fieldDecoder, len(info.list))
	byName := make(map[string]int, len(fields))
	for n, f := range info.list {
		fd := fieldDecoder{name: f.name, index: f.index, direct: true}
		for st, k := t, 0; k < len(f.index); k++ {
			if st.Kind() == reflect.Pointer {
				st, fd.direct = st.Elem(), false
			}
			sf := st.Field(f.index[k])
			fd.offset += sf.Offset
			st = sf.Type
			fd.typ = sf.Type
		}
		fd.dec = decoderFor(fd.typ)
		fields[n] = fd
		byName[f.name] = n
	}
	decode := structFields(t, fields, byName)
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i < 0 {
			return s.viaModel(t, p, i, depth)
		}
		at, tok := s.slot(i)
		if tok.kind != jsonObject {
			return s.viaModel(t, p, i, depth)
		}
		if depth > s.maxDepth {
			return s.tooDeep()
		}
		if !s.isShared(i) {
			return decode(s, p, i, at, depth)
		}
		if s.refs[i] > 1 {
			s.inValue++
			defer func() { s.inValue-- }()
		}
		return s.valueOnce(t, p, i, at, depth, decode)
	}
}

// valueOnce decodes a shared slot into the struct of type t at p, with
// decode, or copies the value decoded from it before: see assignValue.
// Most shared structs are reached through a pointer, which is made once:
// a copy is kept only when the slot is decoded into a struct again.
func (s *decodeState) valueOnce(t reflect.Type, p unsafe.Pointer, i, at, depth int, decode fieldsFunc) error {
	v := reflect.NewAt(t, p).Elem()
	zero := v.IsZero()
	m, again := s.made[madeKey{i, t}]
	if again && m.value.IsValid() && zero {
		v.Set(m.value)
		return nil
	}
	if err := decode(s, p, i, at, depth); err != nil || !zero {
		return err
	}
	if !again {
		s.remember(i, t, made{}) // decoded once
		return nil
	}
	c := reflect.New(t).Elem()
	c.Set(v)
	s.remember(i, t, made{value: c})
	return nil
}

// fieldsFunc decodes the entries of the object at tape index at, slot i,
// into the fields of a struct at p.
type fieldsFunc func(s *decodeState, p unsafe.Pointer, i, at, depth int) error

// structFields returns the fieldsFunc of a struct of type t.
func structFields(t reflect.Type, fields []fieldDecoder, byName map[string]int) fieldsFunc {
	return func(s *decodeState, p unsafe.Pointer, i, at, depth int) error {
		kids, step := s.entries(at)
		unmatched := false
		for n, e := 0, 0; n < len(kids); n, e = n+step, e+1 {
			key, ref := entry(kids, n, step)
			// Keys usually come in the fields' order: try that field first.
			f := e
			if f >= len(fields) || key.raw || string(key.text(s.data)) != fields[f].name || fields[f].name == "__proto__" {
				if s.keyIs(key, "__proto__") {
					return malformed(i, "Cannot parse an object with a `__proto__` property")
				}
				var ok bool
				if key.raw {
					f, ok = byName[s.str(key)]
				} else {
					f, ok = byName[string(key.text(s.data))] // without making a string
				}
				if !ok {
					// Unknown, or known up to case: either way its value
					// must be valid, as npm devalue's parse would find it.
					if err := s.check(ref, depth); err != nil {
						return under(inSlot(err, i), keySegment(s.str(key)))
					}
					unmatched = true
					continue
				}
			}
			fd := &fields[f]
			if j, plain := s.plainIndex(ref); fd.direct && plain {
				// The common case of field, without its checks.
				if err := fd.dec(s, unsafe.Add(p, fd.offset), j, depth+1); err != nil {
					return under(inSlot(err, i), keySegment(fd.name))
				}
			} else if err := s.field(t, p, fd, fd.name, ref, depth); err != nil {
				return inSlot(err, i)
			}
		}
		if !unmatched {
			return nil
		}
		// As encoding/json does, a key may name a field up to case, and the
		// last key that names a field, exactly or not, gives its value: one
		// that an exact key follows is passed over.
		var lastExact map[int]int // a field's last exact key's position
		for n := 0; n < len(kids); n += step {
			key, ref := entry(kids, n, step)
			k := s.str(key)
			if _, ok := byName[k]; ok {
				continue
			}
			for f := range fields {
				if strings.EqualFold(fields[f].name, k) {
					if lastExact == nil {
						lastExact = map[int]int{}
						for m := 0; m < len(kids); m += step {
							if g, ok := byName[s.str(kids[m])]; ok {
								lastExact[g] = m
							}
						}
					}
					if last, ok := lastExact[f]; ok && last > n {
						// The later key gives the value, but this one's
						// must fit the field all the same, as in
						// encoding/json: it is decoded and dropped.
						j, err := s.index(ref)
						if err == nil {
							err = fields[f].dec(s, reflect.New(fields[f].typ).UnsafePointer(), j, depth+1)
						}
						if err != nil {
							return inSlot(under(err, keySegment(k)), i)
						}
						break
					}
					if err := s.field(t, p, &fields[f], k, ref, depth); err != nil {
						return inSlot(err, i)
					}
					break
				}
			}
		}
		return nil
	}
}

// check hydrates a value no Go field takes, for its errors.
func (s *decodeState) check(ref token, depth int) error {
	j, err := s.index(ref)
	if err == nil {
		_, err = s.hydrate(j, depth+1)
	}
	return err
}

// field decodes the value an object's key refers to into a field of the
// struct of type t at p; key is the key as written, for error paths.
func (s *decodeState) field(t reflect.Type, p unsafe.Pointer, f *fieldDecoder, key string, ref token, depth int) error {
	j, err := s.index(ref)
	if err != nil {
		return under(err, keySegment(key))
	}
	fp := unsafe.Add(p, f.offset)
	if !f.direct { // through embedded pointers, which may need making
		fv, err := fieldForSet(reflect.NewAt(t, p).Elem(), f.index)
		if err != nil {
			return under(err, keySegment(key))
		}
		fp = fv.Addr().UnsafePointer()
	}
	if err := f.dec(s, fp, j, depth+1); err != nil {
		return under(err, keySegment(key))
	}
	return nil
}

// keyIs reports whether a string token's value is name, without making a
// string of it when it needs no decoding.
func (s *decodeState) keyIs(t token, name string) bool {
	if t.raw {
		return s.str(t) == name
	}
	return int(t.n) == len(name) && string(t.text(s.data)) == name
}

func sliceDecoder(t reflect.Type) decoderFunc {
	elemType := t.Elem()
	size := elemType.Size()
	elem := decoderFor(elemType)
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i < 0 {
			return s.viaModel(t, p, i, depth)
		}
		at, tok := s.slot(i)
		if tok.kind == jsonNull {
			reflect.NewAt(t, p).Elem().SetZero()
			return nil
		}
		if tok.kind != jsonArray {
			return s.viaModel(t, p, i, depth)
		}
		kids := s.kids(at)
		if len(kids) > 0 && (kids[0].kind == jsonString || kids[0].kind == jsonNumber && kids[0].number() == idxSparse) {
			return s.viaModel(t, p, i, depth) // a Set, a sparse array, …
		}
		if depth > s.maxDepth {
			return s.tooDeep()
		}
		v := reflect.NewAt(t, p).Elem()
		if s.isShared(i) {
			if m, ok := s.made[madeKey{i, t}]; ok {
				v.Set(m.slice)
				return nil
			}
		}
		// Grow makes the array in one allocation; MakeSlice would make
		// its header a second.
		v.SetZero()
		v.Grow(len(kids))
		v.SetLen(len(kids))
		if len(kids) == 0 {
			v.Set(reflect.MakeSlice(t, 0, 0)) // empty, not nil, as encoding/json
		}
		array := v.UnsafePointer()
		if s.isShared(i) {
			s.remember(i, t, made{slice: reflect.ValueOf(v.Interface())}) // the slice, not the variable holding it
		}
		for n, e := range kids {
			if e.kind == jsonNumber && e.number() == idxHole {
				continue
			}
			j, err := s.index(e)
			if err == nil {
				err = elem(s, unsafe.Add(array, uintptr(n)*size), j, depth+1)
			}
			if err != nil {
				return under(inSlot(err, i), "["+strconv.Itoa(n)+"]")
			}
		}
		return nil
	}
}

// mapDecoder reads objects into maps with string keys; other maps, and
// Maps into any map, go through the model.
func mapDecoder(t reflect.Type) decoderFunc {
	elemType := t.Elem()
	elem := decoderFor(elemType)
	// map[string]any, the commonest, is filled without reflection.
	generic := t == reflect.TypeFor[map[string]any]()
	return func(s *decodeState, p unsafe.Pointer, i, depth int) error {
		if i < 0 {
			return s.viaModel(t, p, i, depth)
		}
		at, tok := s.slot(i)
		if tok.kind == jsonNull {
			*(*unsafe.Pointer)(p) = nil // a map is a pointer
			return nil
		}
		if tok.kind != jsonObject {
			return s.viaModel(t, p, i, depth)
		}
		if depth > s.maxDepth {
			return s.tooDeep()
		}
		if s.isShared(i) {
			if m, ok := s.made[madeKey{i, t}]; ok {
				*(*unsafe.Pointer)(p) = m.p
				return nil
			}
		}
		kids, step := s.entries(at)
		var m reflect.Value
		if generic {
			if mp := (*map[string]any)(p); *mp == nil {
				*mp = make(map[string]any, len(kids)/step)
			}
		} else if m = reflect.NewAt(t, p).Elem(); m.IsNil() {
			m.Set(reflect.MakeMapWithSize(t, len(kids)/step))
		}
		if s.isShared(i) {
			s.remember(i, t, made{p: *(*unsafe.Pointer)(p)})
		}
		var kv, val reflect.Value
		if !generic {
			kv, val = reflect.New(t.Key()).Elem(), reflect.New(elemType)
		}
		for n := 0; n < len(kids); n += step {
			key, ref := entry(kids, n, step)
			k := s.key(key) // records' maps share their keys' strings
			if k == "__proto__" {
				return malformed(i, "Cannot parse an object with a `__proto__` property")
			}
			j, err := s.index(ref)
			var v any
			if err == nil && generic {
				v, err = s.hydrate(j, depth+1) // as decodeAny
			} else if err == nil {
				val.Elem().SetZero()
				err = elem(s, val.UnsafePointer(), j, depth+1)
			}
			if err != nil {
				return under(inSlot(err, i), keySegment(k))
			}
			if generic {
				(*(*map[string]any)(p))[k] = v
			} else {
				kv.SetString(k)
				m.SetMapIndex(kv, val.Elem())
			}
		}
		return nil
	}
}
