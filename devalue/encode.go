package devalue

import (
	"encoding"
	"encoding/base64"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Reducer turns values of a custom type into something devalue can write:
// Reduce reports whether it takes v and, if so, the value to write in its
// place, which appears as ["Name", value]. The parser's reviver of the same
// name turns it back. Reducers see every value before the built-in types do,
// in order; the first that takes a value wins.
type Reducer struct {
	Name   string
	Reduce func(v any) (any, bool)
}

// Encoder holds options for writing devalue.
type Encoder struct {
	// Reducers handle custom types, as devalue.stringify's reducers do.
	Reducers []Reducer
	// BigInts writes integers beyond ±(2^53−1), which a JavaScript number
	// cannot hold exactly, as BigInts. Without it they are an error.
	BigInts bool
	// MaxDepth limits nesting, DefaultMaxDepth when zero: a value inside
	// more than MaxDepth containers (objects, arrays, Maps, Sets, tagged
	// and reduced values) and MarshalDevalue results is an error. It stops
	// values that never end, such as a MarshalDevalue that returns a new
	// value holding another of its type, before they exhaust the stack.
	MaxDepth int
}

// Marshal returns the devalue text of v, as npm devalue's stringify writes
// it. See the package documentation for how Go values map to JavaScript.
func Marshal(v any) ([]byte, error) {
	var e Encoder
	return e.Marshal(v)
}

// Marshal returns the devalue text of v with e's options.
func (e *Encoder) Marshal(v any) ([]byte, error) {
	s := encoderPool.Get().(*encodeState)
	defer s.release()
	s.enc = e
	s.maxDepth = DefaultMaxDepth
	if e.MaxDepth > 0 {
		s.maxDepth = e.MaxDepth
	}
	root, err := s.flatten(v)
	if err != nil {
		return nil, err
	}
	if root < 0 {
		return appendIndex(nil, root), nil
	}
	n := 2 + len(s.spans)
	for _, sp := range s.spans {
		n += sp.end - sp.start
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for i, sp := range s.spans {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, s.arena[sp.start:sp.end]...)
	}
	return append(out, ']'), nil
}

// encodeState is one Marshal call: slots are numbered in the order values
// are first met, a container before its children, and each slot's text
// lives in the arena.
type encodeState struct {
	enc      *Encoder
	arena    []byte
	spans    []span
	scratch  [][]byte                   // one buffer per nesting level, for containers being built
	entries  []objectEntry              // entries of large map[string]any being sorted and written
	shapes   [shapeKeys + 1][2][]string // the sorted keys of the last maps of n keys
	depth    int                        // containers being written, one inside the other
	hops     int                        // MarshalDevalue results being written
	maxDepth int
	pointers int // how many pointers to plain values are being followed

	strings table[string]
	numbers table[float64]
	// Faster ways to the same slots for the commonest cases: strings by
	// address, and small whole numbers (each slot plus one; 0 is none).
	recent [256]struct {
		data *byte
		len  int
		slot int
	}
	smallInts []int32
	bigints   map[string]int
	consts    [3]int // slots of null, false, true, plus one (0: none yet)
	ids       table[identity]
}

type span struct{ start, end int }

var encoderPool = sync.Pool{New: func() any {
	return &encodeState{
		bigints: map[string]int{},
	}
}}

func (s *encodeState) release() {
	if cap(s.arena) > 4<<20 {
		return // let a huge state go rather than pin its memory
	}
	s.arena, s.spans, s.enc, s.depth, s.hops, s.pointers = s.arena[:0], s.spans[:0], nil, 0, 0, 0
	s.consts = [3]int{}
	s.recent = [256]struct {
		data *byte
		len  int
		slot int
	}{}
	clear(s.smallInts)
	s.smallInts = s.smallInts[:0]
	s.strings.reset()
	s.numbers.reset()
	clear(s.bigints)
	s.ids.reset()
	clear(s.entries[:cap(s.entries)])
	s.entries = s.entries[:0]
	for n := range s.shapes {
		for w := range s.shapes[n] {
			clear(s.shapes[n][w]) // keep no caller's strings
			s.shapes[n][w] = s.shapes[n][w][:0]
		}
	}
	encoderPool.Put(s)
}

// reserve allocates the next slot.
func (s *encodeState) reserve() int {
	s.spans = append(s.spans, span{})
	return len(s.spans) - 1
}

// primitive stores a complete slot text.
func (s *encodeState) store(idx int, text func([]byte) []byte) {
	start := len(s.arena)
	s.arena = text(s.arena)
	s.spans[idx] = span{start, len(s.arena)}
}

// open and close build a container's slot in the scratch buffer of the
// current depth, since its children write their own slots meanwhile. open
// fails beyond the maximum depth: every way down to another level of a
// value passes through open or a MarshalDevalue, so nothing nests
// without bound.
func (s *encodeState) open() ([]byte, error) {
	if s.depth+s.hops >= s.maxDepth {
		return nil, s.tooDeep()
	}
	if s.depth == len(s.scratch) {
		s.scratch = append(s.scratch, make([]byte, 0, 64))
	}
	b := s.scratch[s.depth][:0]
	s.depth++
	return b, nil
}

func (s *encodeState) tooDeep() error {
	return failf("value nested deeper than %d levels", s.maxDepth)
}

func (s *encodeState) close(idx int, b []byte) {
	s.depth--
	s.scratch[s.depth] = b
	start := len(s.arena)
	s.arena = append(s.arena, b...)
	s.spans[idx] = span{start, len(s.arena)}
}

// failf makes an error at the current value; callers above add the path.
func failf(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// within prefixes an error's path with a segment. A path is kept to its
// first maxErrorPath bytes and "…": the path to a value ten thousand levels
// down would cost quadratic time to build, for a message nobody reads.
func within(err error, segment string) error {
	if e, ok := err.(*Error); ok {
		p := segment + e.Path
		if len(p) > maxErrorPath {
			cut := maxErrorPath
			for cut > 0 && !utf8.RuneStart(p[cut]) {
				cut--
			}
			p = p[:cut] + "…"
		}
		e.Path = p
	}
	return err
}

const maxErrorPath = 1000

func (s *encodeState) str(v string) int {
	// The same string value met again (a shared field, a constant) is
	// found by its address, without hashing its text.
	recent := &s.recent[(uintptr(unsafe.Pointer(unsafe.StringData(v)))>>3^uintptr(len(v)))%uintptr(len(s.recent))]
	if recent.data == unsafe.StringData(v) && recent.len == len(v) && recent.slot > 0 {
		return recent.slot - 1
	}
	i, ok := s.strings.claim(v, stringHash(v), len(s.spans))
	if !ok {
		s.reserve()
		s.store(i, func(b []byte) []byte { return appendString(b, v) })
	}
	recent.data, recent.len, recent.slot = unsafe.StringData(v), len(v), i+1
	return i
}

func (s *encodeState) num(f float64) int {
	switch {
	case math.IsNaN(f):
		return idxNaN
	case math.IsInf(f, 1):
		return idxPosInf
	case math.IsInf(f, -1):
		return idxNegInf
	case f == 0 && math.Signbit(f):
		return idxNegZero
	}
	// Small whole numbers, the commonest, are found in a table.
	small := f >= 0 && f < maxSmallInt && f == math.Trunc(f)
	if small && int(f) < len(s.smallInts) && s.smallInts[int(f)] > 0 {
		return int(s.smallInts[int(f)] - 1)
	}
	i, ok := s.numbers.claim(f, numberHash(f), len(s.spans))
	if !ok {
		s.reserve()
		s.store(i, func(b []byte) []byte { return appendNumber(b, f) })
	}
	if small {
		if n := int(f); n >= len(s.smallInts) {
			s.smallInts = slices.Grow(s.smallInts, n+1-len(s.smallInts))[:n+1]
		}
		s.smallInts[int(f)] = int32(i + 1)
	}
	return i
}

const maxSmallInt = 1 << 16

func (s *encodeState) constant(k int, text string) int {
	if s.consts[k] > 0 {
		return s.consts[k] - 1
	}
	i := s.reserve()
	s.consts[k] = i + 1
	s.store(i, func(b []byte) []byte { return append(b, text...) })
	return i
}

func (s *encodeState) null() int { return s.constant(0, "null") }

func (s *encodeState) boolean(v bool) int {
	if v {
		return s.constant(2, "true")
	}
	return s.constant(1, "false")
}

func (s *encodeState) bigint(n *big.Int) int {
	key := n.String()
	if i, ok := s.bigints[key]; ok {
		return i
	}
	i := s.reserve()
	s.bigints[key] = i
	s.store(i, func(b []byte) []byte {
		b = append(b, `["BigInt","`...)
		b = append(b, key...)
		return append(b, `"]`...)
	})
	return i
}

const maxSafeInteger = 1<<53 - 1

// maxPointerChain bounds pointers to pointers, which may loop.
const maxPointerChain = 1000

func (s *encodeState) integer(n int64) (int, error) {
	if n > maxSafeInteger || n < -maxSafeInteger {
		if !s.enc.BigInts {
			return 0, failf("the integer %d is beyond ±(2^53−1), where a JavaScript number loses precision; use a *big.Int or Encoder.BigInts", n)
		}
		return s.bigint(big.NewInt(n)), nil
	}
	return s.num(float64(n)), nil
}

func (s *encodeState) unsigned(n uint64) (int, error) {
	if n > maxSafeInteger {
		if !s.enc.BigInts {
			return 0, failf("the integer %d is beyond 2^53−1, where a JavaScript number loses precision; use a *big.Int or Encoder.BigInts", n)
		}
		return s.bigint(new(big.Int).SetUint64(n)), nil
	}
	return s.num(float64(n)), nil
}

// seen looks an identity up; when new, it reserves the slot for it.
func (s *encodeState) seen(id identity) (int, bool) {
	i, ok := s.ids.claim(id, id.hash(), len(s.spans))
	if !ok {
		s.reserve()
	}
	return i, ok
}

func ptrID(p any) identity {
	v := reflect.ValueOf(p)
	return identity{ptr: v.UnsafePointer(), typ: v.Type()}
}

// flatten writes v and returns its slot or sentinel.
func (s *encodeState) flatten(v any) (int, error) {
	if len(s.enc.Reducers) > 0 {
		if i, ok, err := s.reduce(v); ok || err != nil {
			return i, err
		}
	}
	switch x := v.(type) {
	case nil:
		return s.null(), nil
	case string:
		return s.str(x), nil
	case float64:
		return s.num(x), nil
	case int:
		return s.integer(int64(x))
	case int64:
		return s.integer(x)
	case bool:
		return s.boolean(x), nil
	case undefined:
		return idxUndefined, nil
	case hole:
		return 0, failf("Hole is only an element of an *Array")
	case map[string]any:
		return s.stringMap(x)
	case []any:
		return s.slice(x)
	case *Object:
		return s.object(x)
	case *Array:
		return s.array(x)
	case time.Time:
		return s.date(s.reserve(), x, false), nil
	case *time.Time:
		if x == nil {
			return s.null(), nil
		}
		if i, ok := s.seen(ptrID(x)); ok {
			return i, nil
		} else {
			return s.date(i, *x, false), nil
		}
	case Date:
		return s.date(s.reserve(), x.Time, x.Invalid), nil
	case *Date:
		if x == nil {
			return s.null(), nil
		}
		if i, ok := s.seen(ptrID(x)); ok {
			return i, nil
		} else {
			return s.date(i, x.Time, x.Invalid), nil
		}
	case *big.Int:
		if x == nil {
			return s.null(), nil
		}
		return s.bigint(x), nil
	case big.Int:
		return s.bigint(&x), nil
	case []byte:
		if x == nil {
			return s.null(), nil
		}
		return s.bytes(x)
	case *url.URL:
		if x == nil {
			return s.null(), nil
		}
		return s.tagString(ptrID(x), "URL", x.String())
	case *URL:
		return s.tagString(ptrID(x), "URL", x.Href)
	case url.Values:
		if x == nil {
			return s.null(), nil
		}
		return s.tagString(identity{ptr: reflect.ValueOf(x).UnsafePointer(), typ: reflect.TypeOf(x)}, "URLSearchParams", encodeSearchParams(x))
	case *URLSearchParams:
		return s.tagString(ptrID(x), "URLSearchParams", x.Query)
	case *RegExp:
		return s.regexp(x)
	case *Map:
		return s.jsMap(x)
	case *Set:
		return s.set(x)
	case *ArrayBuffer:
		return s.arrayBuffer(x)
	case *TypedArray:
		return s.typedArray(x)
	case *Boxed:
		return s.boxed(x)
	case *Temporal:
		return s.tagString(ptrID(x), x.Type, x.Text)
	case *Tagged:
		return s.tagged(x)
	case Marshaler:
		// A nil pointer is null, as in reflectValue and encoding/json:
		// its method may not be callable (a value receiver panics).
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return s.null(), nil
		}
		// What MarshalDevalue returns may be another Marshaler, or hold a
		// new one, endlessly: each result counts as a level.
		if s.depth+s.hops >= s.maxDepth {
			return 0, s.tooDeep()
		}
		r, err := x.MarshalDevalue()
		if err != nil {
			return 0, &Error{Msg: "MarshalDevalue: " + err.Error(), Err: err}
		}
		s.hops++
		i, err := s.flatten(r)
		s.hops--
		return i, err
	}
	return s.reflectValue(reflect.ValueOf(v))
}

// reduce offers v to the reducers, after the sentinel and repeat checks that
// devalue runs first.
func (s *encodeState) reduce(v any) (int, bool, error) {
	switch x := v.(type) {
	case undefined, hole, nil:
		return 0, false, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 && math.Signbit(x) {
			return 0, false, nil
		}
		if i, ok := s.numbers.get(x, numberHash(x)); ok {
			return i, true, nil
		}
	case string:
		if i, ok := s.strings.get(x, stringHash(x)); ok {
			return i, true, nil
		}
	}
	rv := reflect.ValueOf(v)
	var id identity
	hasID := false
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map:
		if !rv.IsNil() {
			id, hasID = identity{ptr: rv.UnsafePointer(), typ: rv.Type()}, true
		}
	case reflect.Slice:
		if rv.Len() > 0 {
			id, hasID = identity{ptr: rv.UnsafePointer(), typ: rv.Type(), n: rv.Len()}, true
		}
	}
	if hasID {
		if i, ok := s.ids.get(id, id.hash()); ok {
			return i, true, nil
		}
	}
	for _, r := range s.enc.Reducers {
		out, ok := r.Reduce(v)
		if !ok {
			continue
		}
		i := s.reserve()
		if hasID {
			s.ids.claim(id, id.hash(), i)
		}
		b, err := s.open()
		if err != nil {
			return 0, true, err
		}
		child, err := s.flatten(out)
		if err != nil {
			return 0, true, err
		}
		b = appendString(append(b, '['), r.Name)
		b = appendIndex(append(b, ','), child)
		s.close(i, append(b, ']'))
		return i, true, nil
	}
	return 0, false, nil
}

func (s *encodeState) date(i int, t time.Time, invalid bool) int {
	if _, ok := dateMillis(t); !ok {
		invalid = true
	}
	s.store(i, func(b []byte) []byte {
		b = append(b, `["Date","`...)
		if !invalid {
			b = appendISODate(b, t)
		}
		return append(b, `"]`...)
	})
	return i
}

func (s *encodeState) tagString(id identity, tag, text string) (int, error) {
	i, ok := s.seen(id)
	if ok {
		return i, nil
	}
	s.store(i, func(b []byte) []byte {
		b = appendString(append(b, '['), tag)
		return append(appendString(append(b, ','), text), ']')
	})
	return i, nil
}

func (s *encodeState) regexp(r *RegExp) (int, error) {
	i, ok := s.seen(ptrID(r))
	if ok {
		return i, nil
	}
	s.store(i, func(b []byte) []byte {
		b = appendString(append(b, `["RegExp",`...), r.Source)
		if r.Flags != "" {
			b = appendString(append(b, ','), r.Flags)
		}
		return append(b, ']')
	})
	return i, nil
}

// stringMap writes a map[string]any, the commonest object, without
// reflection.
func (s *encodeState) stringMap(m map[string]any) (int, error) {
	if m == nil {
		return s.null(), nil
	}
	// A map value is a pointer to the map, as reflect's UnsafePointer has it.
	i, ok := s.seen(identity{ptr: *(*unsafe.Pointer)(unsafe.Pointer(&m)), typ: stringMapType})
	if ok {
		return i, nil
	}
	b, err := s.open()
	if err != nil {
		return 0, err
	}
	b = append(b, '{')
	n := len(m)
	if n > shapeKeys {
		return i, s.largeStringMap(i, b, m)
	}
	// The keys and values in order, on the stack: the arrays need no
	// write barriers as they are filled and sorted, and the children, met
	// meanwhile, cannot disturb them.
	var keys [shapeKeys]string
	var vals [shapeKeys]any
	// Maps of one shape (records, rows) have the same keys: in the order
	// of the last such map, each found by a lookup, they need neither
	// iterating nor sorting.
	shape := &s.shapes[n]
	found := false
	for w := range shape {
		if len(shape[w]) != n {
			continue
		}
		found = true
		for j, k := range shape[w] {
			v, ok := m[k]
			if !ok {
				found = false
				break
			}
			keys[j], vals[j] = k, v
		}
		if found {
			shape[0], shape[w] = shape[w], shape[0]
			break
		}
	}
	if !found {
		j := 0
		for k, v := range m {
			keys[j], vals[j] = k, v
			j++
		}
		for j := 1; j < n; j++ { // insertion sort: few keys
			for k := j; k > 0 && keyBefore(keys[k], keys[k-1]); k-- {
				keys[k], keys[k-1] = keys[k-1], keys[k]
				vals[k], vals[k-1] = vals[k-1], vals[k]
			}
		}
		last := shape[len(shape)-1]
		copy(shape[1:], shape[:len(shape)-1])
		shape[0] = append(last[:0], keys[:n]...)
	}
	for j := range n {
		k := keys[j]
		if k == "__proto__" {
			return 0, failf("Cannot stringify objects with __proto__ keys")
		}
		c, err := s.flatten(vals[j])
		if err != nil {
			return 0, within(err, keySegment(k))
		}
		if j > 0 {
			b = append(b, ',')
		}
		b = appendIndex(append(appendString(b, k), ':'), c)
	}
	s.close(i, append(b, '}'))
	return i, nil
}

// shapeKeys is the most keys a map[string]any may have to be sorted on the
// stack, and have its key order remembered.
const shapeKeys = 16

// keyBefore orders a Go map's keys as npm devalue meets the keys of the
// object it stands for: in order (a Go map has none, so sorted), integer-
// like keys first, as JavaScript enumerates them.
func keyBefore(a, b string) bool {
	if a != "" && a[0] <= '9' || b != "" && b[0] <= '9' {
		if c := indexKeysFirst(a, b); c != 0 {
			return c < 0
		}
	}
	return a < b
}

// largeStringMap writes the entries of a map[string]any of many keys into
// slot i, after b: they are gathered at the end of a buffer that all
// levels share, sorted there and written.
func (s *encodeState) largeStringMap(i int, b []byte, m map[string]any) error {
	base := len(s.entries)
	numeric := false
	for k, v := range m {
		s.entries = append(s.entries, objectEntry{k, v})
		numeric = numeric || k != "" && k[0] >= '0' && k[0] <= '9'
	}
	sortKeys(s.entries[base:], numeric)
	for n := base; n < len(s.entries); n++ {
		// By index: the children's entries go after these, and may move
		// the buffer.
		e := s.entries[n]
		if e.key == "__proto__" {
			return failf("Cannot stringify objects with __proto__ keys")
		}
		c, err := s.flatten(e.value)
		if err != nil {
			return within(err, keySegment(e.key))
		}
		if n > base {
			b = append(b, ',')
		}
		b = appendIndex(append(appendString(b, e.key), ':'), c)
	}
	clear(s.entries[base:]) // let the values go
	s.entries = s.entries[:base]
	s.close(i, append(b, '}'))
	return nil
}

// sortKeys sorts a Go map's entries as npm devalue meets the keys of the
// object it stands for: in order (a Go map has none, so sorted), integer-
// like keys first, as JavaScript enumerates them. numeric says whether a
// key may be integer-like.
func sortKeys(entries []objectEntry, numeric bool) {
	if len(entries) <= 12 {
		// Insertion sort: few keys, and no calls through a comparison.
		for i := 1; i < len(entries); i++ {
			for j := i; j > 0 && entries[j].key < entries[j-1].key; j-- {
				entries[j], entries[j-1] = entries[j-1], entries[j]
			}
		}
	} else {
		slices.SortFunc(entries, func(a, b objectEntry) int { return strings.Compare(a.key, b.key) })
	}
	if numeric {
		slices.SortStableFunc(entries, func(a, b objectEntry) int { return indexKeysFirst(a.key, b.key) })
	}
}

// slice writes a []any.
func (s *encodeState) slice(x []any) (int, error) {
	if x == nil {
		return s.null(), nil
	}
	var i int
	if len(x) > 0 {
		var ok bool
		i, ok = s.seen(identity{ptr: unsafe.Pointer(unsafe.SliceData(x)), typ: anySliceType, n: len(x)})
		if ok {
			return i, nil
		}
	} else {
		i = s.reserve()
	}
	b, err := s.open()
	if err != nil {
		return 0, err
	}
	b = append(b, '[')
	for n, v := range x {
		c, err := s.flatten(v)
		if err != nil {
			return 0, within(err, "["+strconv.Itoa(n)+"]")
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = appendIndex(b, c)
	}
	s.close(i, append(b, ']'))
	return i, nil
}

var (
	stringMapType = reflect.TypeFor[map[string]any]()
	anySliceType  = reflect.TypeFor[[]any]()
	bytesType     = reflect.TypeFor[[]byte]()
)

func (s *encodeState) object(o *Object) (int, error) {
	i, ok := s.seen(ptrID(o))
	if ok {
		return i, nil
	}
	b, err := s.open()
	if err != nil {
		return 0, err
	}
	if o.NullProto {
		b = append(b, `["null"`...)
	} else {
		b = append(b, '{')
	}
	keys := o.keys()
	order := jsOrder(keys)
	for n := range keys {
		at := n
		if order != nil {
			at = order[n]
		}
		k, v := keys[at], o.values[at]
		if k == "__proto__" {
			s.depth--
			return 0, failf("Cannot stringify objects with __proto__ keys")
		}
		child, err := s.flatten(v)
		if err != nil {
			s.depth--
			return 0, within(err, keySegment(k))
		}
		if o.NullProto {
			b = append(appendString(append(b, ','), k), ',')
		} else {
			if n > 0 {
				b = append(b, ',')
			}
			b = append(appendString(b, k), ':')
		}
		b = appendIndex(b, child)
	}
	if o.NullProto {
		b = append(b, ']')
	} else {
		b = append(b, '}')
	}
	s.close(i, b)
	return i, nil
}

// array writes an *Array, choosing holes or the sparse form by devalue's
// cost rule: at the first hole, (length − populated) × 3 bytes of -2s
// against 4 + d + populated × (d + 1) for the sparse form, d being the
// number of digits of the length.
func (s *encodeState) array(a *Array) (int, error) {
	i, ok := s.seen(ptrID(a))
	if ok {
		return i, nil
	}
	p := a.populated()
	sparse := false
	length := a.Len()
	if p < length {
		d := len(strconv.Itoa(length))
		sparse = (length-p)*3 > 4+d+p*(d+1)
	}
	b, err := s.open()
	if err != nil {
		return 0, err
	}
	if sparse {
		b = append(b, "[-7,"...)
		b = appendIndex(b, length)
		err = a.each(func(idx int, v any) error {
			child, err := s.flatten(v)
			if err != nil {
				return within(err, "["+strconv.Itoa(idx)+"]")
			}
			b = appendIndex(append(b, ','), idx)
			b = appendIndex(append(b, ','), child)
			return nil
		})
		if err != nil {
			s.depth--
			return 0, err
		}
		s.close(i, append(b, ']'))
		return i, nil
	}
	b = append(b, '[')
	next := 0
	err = a.each(func(idx int, v any) error {
		for ; next < idx; next++ {
			b = append(b, "-2,"...)
		}
		child, err := s.flatten(v)
		if err != nil {
			return within(err, "["+strconv.Itoa(idx)+"]")
		}
		b = append(appendIndex(b, child), ',')
		next = idx + 1
		return nil
	})
	if err != nil {
		s.depth--
		return 0, err
	}
	for ; next < length; next++ {
		b = append(b, "-2,"...)
	}
	if b[len(b)-1] == ',' {
		b = b[:len(b)-1]
	}
	s.close(i, append(b, ']'))
	return i, nil
}

func (s *encodeState) jsMap(m *Map) (int, error) {
	i, ok := s.seen(ptrID(m))
	if ok {
		return i, nil
	}
	b, err := s.open()
	if err != nil {
		return 0, err
	}
	b = append(b, `["Map"`...)
	for _, e := range m.Entries {
		k, err := s.flatten(positiveZero(e.Key))
		if err != nil {
			s.depth--
			return 0, err
		}
		v, err := s.flatten(e.Value)
		if err != nil {
			s.depth--
			return 0, within(err, ".get("+mapKeySegment(e.Key)+")")
		}
		b = appendIndex(append(b, ','), k)
		b = appendIndex(append(b, ','), v)
	}
	s.close(i, append(b, ']'))
	return i, nil
}

// mapKeySegment renders a Map key in an error path: primitives as devalue
// writes them, anything else as "...".
func mapKeySegment(k any) string {
	switch x := k.(type) {
	case string:
		return quote(x)
	case float64:
		return string(appendNumber(nil, x))
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	case *big.Int:
		return `["BigInt","` + x.String() + `"]`
	}
	return "..."
}

func (s *encodeState) set(set *Set) (int, error) {
	i, ok := s.seen(ptrID(set))
	if ok {
		return i, nil
	}
	b, err := s.open()
	if err != nil {
		return 0, err
	}
	b = append(b, `["Set"`...)
	for _, v := range set.Items {
		c, err := s.flatten(positiveZero(v))
		if err != nil {
			s.depth--
			return 0, err
		}
		b = appendIndex(append(b, ','), c)
	}
	s.close(i, append(b, ']'))
	return i, nil
}

func (s *encodeState) arrayBuffer(ab *ArrayBuffer) (int, error) {
	i, ok := s.seen(ptrID(ab))
	if ok {
		return i, nil
	}
	s.store(i, func(b []byte) []byte {
		b = append(b, `["ArrayBuffer","`...)
		b = base64.StdEncoding.AppendEncode(b, ab.Data)
		return append(b, `"]`...)
	})
	return i, nil
}

func (s *encodeState) typedArray(t *TypedArray) (int, error) {
	i, ok := s.seen(ptrID(t))
	if ok {
		return i, nil
	}
	size, known := typedArrayElemSize[t.Type]
	if !known || t.Buffer == nil {
		return 0, failf("unknown typed array type %q or no buffer", t.Type)
	}
	if t.Offset < 0 || t.Length < 0 || t.Offset+t.Length*size > len(t.Buffer.Data) {
		return 0, failf("%s view [%d, %d×%d) is outside its %d-byte buffer", t.Type, t.Offset, t.Length, size, len(t.Buffer.Data))
	}
	buf, err := s.arrayBuffer(t.Buffer)
	if err != nil {
		return 0, err
	}
	b, err := s.open()
	if err != nil {
		return 0, err
	}
	b = appendString(append(b, '['), t.Type)
	b = appendIndex(append(b, ','), buf)
	if t.Length*size != len(t.Buffer.Data) {
		b = appendIndex(append(b, ','), t.Offset)
		b = appendIndex(append(b, ','), t.Length)
	}
	s.close(i, append(b, ']'))
	return i, nil
}

func (s *encodeState) bytes(data []byte) (int, error) {
	var i int
	if len(data) > 0 {
		var ok bool
		i, ok = s.seen(identity{ptr: unsafe.Pointer(unsafe.SliceData(data)), typ: bytesType, n: len(data)})
		if ok {
			return i, nil
		}
	} else {
		i = s.reserve()
	}
	buf := s.reserve()
	s.store(buf, func(b []byte) []byte {
		b = append(b, `["ArrayBuffer","`...)
		b = base64.StdEncoding.AppendEncode(b, data)
		return append(b, `"]`...)
	})
	s.store(i, func(b []byte) []byte {
		return append(appendIndex(append(b, `["Uint8Array",`...), buf), ']')
	})
	return i, nil
}

func (s *encodeState) boxed(x *Boxed) (int, error) {
	i, ok := s.seen(ptrID(x))
	if ok {
		return i, nil
	}
	switch x.Value.(type) {
	case string, float64, int, bool, *big.Int:
	default:
		return 0, failf("a Boxed value holds a %T, not a primitive", x.Value)
	}
	c, err := s.flatten(x.Value)
	if err != nil {
		return 0, err
	}
	s.store(i, func(b []byte) []byte {
		return append(appendIndex(append(b, `["Object",`...), c), ']')
	})
	return i, nil
}

func (s *encodeState) tagged(t *Tagged) (int, error) {
	i, ok := s.seen(ptrID(t))
	if ok {
		return i, nil
	}
	b, err := s.open()
	if err != nil {
		return 0, err
	}
	c, err := s.flatten(t.Value)
	if err != nil {
		return 0, err
	}
	b = appendString(append(b, '['), t.Tag)
	b = appendIndex(append(b, ','), c)
	s.close(i, append(b, ']'))
	return i, nil
}

// encodeSearchParams writes url.Values as URLSearchParams#toString does:
// keys sorted (a Go map has no order), the form-urlencoded byte set.
func encodeSearchParams(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b []byte
	for _, k := range keys {
		for _, val := range v[k] {
			if len(b) > 0 {
				b = append(b, '&')
			}
			b = appendFormComponent(b, k)
			b = append(b, '=')
			b = appendFormComponent(b, val)
		}
	}
	return string(b)
}

// appendFormComponent percent-encodes as the URL standard's
// application/x-www-form-urlencoded serializer: alphanumerics and *-._ as
// they are, space as +, everything else as %XX of its UTF-8 bytes.
func appendFormComponent(b []byte, s string) []byte {
	const upper = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '*' || c == '-' || c == '.' || c == '_':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', upper[c>>4], upper[c&0xf])
		}
	}
	return b
}

var (
	marshalerType     = reflect.TypeFor[Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// positiveZero turns -0 into 0: a JavaScript Map key or Set item is never
// -0, which Map#set and Set#add normalize.
func positiveZero(v any) any {
	if f, ok := v.(float64); ok && f == 0 {
		return 0.0
	}
	return v
}
