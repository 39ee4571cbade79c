package devalue

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"sync/atomic"
	"time"
)

// Sentinel indices: values that have no slot of their own.
const (
	idxUndefined   = -1
	idxHole        = -2
	idxNaN         = -3
	idxPosInf      = -4
	idxNegInf      = -5
	idxNegZero     = -6
	idxSparse      = -7
	maxArrayLength = 1<<32 - 1
)

// Undefined is JavaScript's undefined.
var Undefined = undefined{}

type undefined struct{}

// Hole is the value of a missing element of an *Array.
var Hole = hole{}

type hole struct{}

// Marshaler is implemented by types that choose their own representation:
// MarshalDevalue returns the value to serialize in their place, for instance
// a *Tagged for a custom type, or a *Map.
type Marshaler interface {
	MarshalDevalue() (any, error)
}

// Unmarshaler is implemented by types that decode themselves from the
// lossless model of their value (see Unmarshal).
type Unmarshaler interface {
	UnmarshalDevalue(v any) error
}

// Object is a JavaScript object: string keys in insertion order. Marshal
// writes them in JavaScript's order, integer-like keys first, ascending.
type Object struct {
	shape     *shape // the keys; nil when there are none
	values    []any  // values[i] is the value of key shape.keys[i]
	NullProto bool   // Object.create(null): written as ["null", …]
}

// shape is the keys of objects. Unmarshal gives the objects of a text
// that have the same keys in the same order (the records of a list) one
// shape, with no owner: its keys are never changed, and an object that
// adds a key gets a shape of its own first (see Set). The keys of an
// object are the first len(values) of its shape's.
type shape struct {
	keys []string
	// index finds the keys of a shape of more than 8 keys. A lookup that
	// needs it builds it, and publishes it whole: Get may run in several
	// goroutines at once, so it never writes a map that another reads.
	index atomic.Pointer[map[string]int]
	owner *Object // the object that may add keys in place, if any
}

// objectEntry is a key and its value, as Marshal sorts a Go map's.
type objectEntry struct {
	key   string
	value any
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{} }

// keys returns the object's keys, in order.
func (o *Object) keys() []string {
	if o.shape == nil {
		return nil
	}
	return o.shape.keys[:len(o.values)]
}

// find returns the position of a key, or -1.
func (o *Object) find(key string) int {
	keys := o.keys()
	if len(keys) <= 8 {
		for i, k := range keys {
			if k == key {
				return i
			}
		}
		return -1
	}
	sh := o.shape
	index := sh.index.Load()
	if index == nil || len(*index) != len(sh.keys) {
		index = sh.buildIndex()
	}
	if i, ok := (*index)[key]; ok && i < len(keys) {
		return i
	}
	return -1
}

func (sh *shape) buildIndex() *map[string]int {
	index := make(map[string]int, len(sh.keys))
	for i, k := range sh.keys {
		index[k] = i
	}
	sh.index.Store(&index)
	return &index
}

// Set sets a key, appending it if new.
func (o *Object) Set(key string, v any) {
	if i := o.find(key); i >= 0 {
		o.values[i] = v
		return
	}
	sh := o.shape
	if sh == nil || sh.owner != o || len(sh.keys) != len(o.values) {
		keys := o.keys()
		sh = &shape{keys: append(make([]string, 0, len(keys)+4), keys...), owner: o}
		o.shape = sh
	}
	sh.keys = append(sh.keys, key)
	o.values = append(o.values, v)
	if index := sh.index.Load(); index != nil {
		(*index)[key] = len(sh.keys) - 1 // a write, as Set is: the shape is o's own
	}
}

// Get returns a key's value.
func (o *Object) Get(key string) (any, bool) {
	if i := o.find(key); i >= 0 {
		return o.values[i], true
	}
	return nil, false
}

// Keys returns the keys in order.
func (o *Object) Keys() []string { return slices.Clone(o.keys()) }

// Len is the number of keys.
func (o *Object) Len() int { return len(o.values) }

// jsOrder returns the positions of an object's keys in JavaScript's key
// order, array indices ascending, then the other keys as they were
// added; or nil when that is the order they are in.
func jsOrder(keys []string) []int {
	numeric := false
	for _, k := range keys {
		if _, ok := arrayIndex(k); ok {
			numeric = true
			break
		}
	}
	if !numeric {
		return nil
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return indexKeysFirst(keys[a], keys[b]) })
	return order
}

// sortJS puts an object's entries in JavaScript's key order.
func (o *Object) sortJS() {
	order := jsOrder(o.keys())
	if order == nil {
		return
	}
	keys, values := make([]string, len(order)), make([]any, len(order))
	for n, i := range order {
		keys[n], values[n] = o.shape.keys[i], o.values[i]
	}
	o.shape, o.values = &shape{keys: keys, owner: o}, values
}

// indexKeysFirst orders keys as JavaScript enumerates an object's: array
// indices first, ascending; it calls any two other keys equal, so that a
// stable sort keeps their order.
func indexKeysFirst(a, b string) int {
	ai, aok := arrayIndex(a)
	bi, bok := arrayIndex(b)
	switch {
	case aok && bok:
		return cmp.Compare(ai, bi)
	case aok:
		return -1
	case bok:
		return 1
	}
	return 0
}

// Array is a JavaScript array that may have holes or be sparse, with a
// length beyond its elements. Elements are stored densely when that is
// cheap, or as index/value pairs for a sparse array such as one whose only
// element is at index 4294967294.
type Array struct {
	dense  []any        // dense[i] is element i; Hole where missing
	sparse *sparseItems // when the array is sparse
}

// sparseItems is a sparse array's length and elements, apart from the
// Array: most arrays are dense, and an Array is 32 bytes rather than 56.
type sparseItems struct {
	length int
	items  []arrayItem // ascending indices
}

type arrayItem struct {
	index int
	value any
}

// NewArray returns an array of the given elements, which may include Hole.
func NewArray(elems ...any) *Array { return &Array{dense: elems} }

// NewSparseArray returns an empty array of the given length (at most
// 2^32−1); Set fills it without allocating for the holes.
func NewSparseArray(length int) (*Array, error) {
	if length < 0 || length > maxArrayLength {
		return nil, fmt.Errorf("devalue: invalid array length %d", length)
	}
	return &Array{sparse: &sparseItems{length: length}}, nil
}

// Len is the array's JavaScript length.
func (a *Array) Len() int {
	if a.sparse != nil {
		return a.sparse.length
	}
	return len(a.dense)
}

// At returns element i, or false for a hole.
func (a *Array) At(i int) (any, bool) {
	if a.sparse != nil {
		if k, found := a.find(i); found {
			return a.sparse.items[k].value, true
		}
		return nil, false
	}
	if i < 0 || i >= len(a.dense) || a.dense[i] == Hole {
		return nil, false
	}
	return a.dense[i], true
}

// Set sets element i, extending the length if needed.
func (a *Array) Set(i int, v any) {
	if sp := a.sparse; sp != nil {
		sp.length = max(sp.length, i+1)
		if n := len(sp.items); n == 0 || sp.items[n-1].index < i {
			sp.items = append(sp.items, arrayItem{i, v}) // the common case: in order
			return
		}
		k, found := a.find(i)
		if found {
			sp.items[k].value = v
		} else {
			sp.items = slices.Insert(sp.items, k, arrayItem{i, v})
		}
		return
	}
	for len(a.dense) <= i {
		a.dense = append(a.dense, Hole)
	}
	a.dense[i] = v
}

// find returns where index i is, or would be, among a sparse array's
// items.
func (a *Array) find(i int) (int, bool) {
	return slices.BinarySearchFunc(a.sparse.items, i, func(it arrayItem, i int) int { return cmp.Compare(it.index, i) })
}

// lastWins sorts a sparse array's items by index, keeping the last item
// given for an index, as assigning them in order to a JavaScript array
// would: O(n log n) however the indices come.
func lastWins(items []arrayItem) []arrayItem {
	slices.SortStableFunc(items, func(a, b arrayItem) int { return cmp.Compare(a.index, b.index) })
	out := items[:0]
	for k, it := range items {
		if k+1 < len(items) && items[k+1].index == it.index {
			continue // a later item replaces it
		}
		out = append(out, it)
	}
	clear(items[len(out):]) // no references kept beyond the length
	return out
}

// each calls f for the populated elements in ascending order.
func (a *Array) each(f func(i int, v any) error) error {
	if a.sparse != nil {
		for _, it := range a.sparse.items {
			if err := f(it.index, it.value); err != nil {
				return err
			}
		}
		return nil
	}
	for i, v := range a.dense {
		if v == Hole {
			continue
		}
		if err := f(i, v); err != nil {
			return err
		}
	}
	return nil
}

// eachBelow is each for the elements below index n.
func (a *Array) eachBelow(n int, f func(i int, v any) error) error {
	if a.sparse != nil {
		for _, it := range a.sparse.items {
			if it.index >= n {
				break
			}
			if err := f(it.index, it.value); err != nil {
				return err
			}
		}
		return nil
	}
	for i, v := range a.dense[:min(n, len(a.dense))] {
		if v == Hole {
			continue
		}
		if err := f(i, v); err != nil {
			return err
		}
	}
	return nil
}

// populated counts the elements that are not holes.
func (a *Array) populated() int {
	if a.sparse != nil {
		return len(a.sparse.items)
	}
	n := 0
	for _, v := range a.dense {
		if v != Hole {
			n++
		}
	}
	return n
}

// Map is a JavaScript Map: entries in insertion order, keys of any type.
type Map struct {
	Entries []MapEntry
}

// MapEntry is one key and value of a Map.
type MapEntry struct {
	Key, Value any
}

// Set adds an entry, or replaces the value of an equal key (same
// primitive value, or same pointer).
func (m *Map) Set(key, value any) {
	for i := range m.Entries {
		if sameValueZero(m.Entries[i].Key, key) {
			m.Entries[i].Value = value
			return
		}
	}
	m.Entries = append(m.Entries, MapEntry{key, value})
}

// Get returns the value of a key.
func (m *Map) Get(key any) (any, bool) {
	for _, e := range m.Entries {
		if sameValueZero(e.Key, key) {
			return e.Value, true
		}
	}
	return nil, false
}

// Set is a JavaScript Set: items in insertion order.
type Set struct {
	Items []any
}

// Add adds an item unless an equal one (same primitive value, or same
// pointer) is there.
func (s *Set) Add(v any) {
	for _, it := range s.Items {
		if sameValueZero(it, v) {
			return
		}
	}
	s.Items = append(s.Items, v)
}

// Date is a JavaScript Date, which may be invalid (new Date(NaN)). Marshal
// writes a time.Time as a Date too; *Date keeps a Date's identity.
type Date struct {
	Time    time.Time
	Invalid bool
}

// RegExp is a JavaScript regular expression.
type RegExp struct {
	Source, Flags string
}

// URL is a JavaScript URL, kept as the exact text of its href.
type URL struct {
	Href string
}

// URLSearchParams is a JavaScript URLSearchParams, kept as its exact
// application/x-www-form-urlencoded text.
type URLSearchParams struct {
	Query string
}

// ArrayBuffer is a JavaScript ArrayBuffer.
type ArrayBuffer struct {
	Data []byte
}

// TypedArray is a typed array or DataView over a buffer: Type is its
// constructor's name ("Uint8Array", "Float64Array", "DataView", …), Offset
// its byte offset and Length its length in elements (bytes for DataView).
// A view that spans its whole buffer is written without offset and length,
// as devalue does.
type TypedArray struct {
	Type   string
	Buffer *ArrayBuffer
	Offset int
	Length int
}

// Boxed is a boxed primitive, such as new Number(1) or Object(1n).
type Boxed struct {
	Value any
}

// Temporal is a Temporal value (Temporal.Instant, …), kept as its type
// name and text.
type Temporal struct {
	Type, Text string
}

// Tagged is a value of a custom type: written as ["Tag", value], the form a
// reducer produces. Unmarshal returns one for a tag that has no reviver.
type Tagged struct {
	Tag   string
	Value any
}

// typedArrayElemSize gives the element size of each typed array type.
var typedArrayElemSize = map[string]int{
	"Int8Array": 1, "Uint8Array": 1, "Uint8ClampedArray": 1,
	"Int16Array": 2, "Uint16Array": 2, "Float16Array": 2,
	"Int32Array": 4, "Uint32Array": 4, "Float32Array": 4,
	"Float64Array": 8, "BigInt64Array": 8, "BigUint64Array": 8,
	"DataView": 1,
}

// sameValueZero compares Map keys as JavaScript does: primitives by value
// (NaN equals NaN, 0 equals -0), everything else by identity.
func sameValueZero(a, b any) bool {
	fa, aok := toFloat(a)
	fb, bok := toFloat(b)
	if aok && bok {
		return fa == fb || (math.IsNaN(fa) && math.IsNaN(fb))
	}
	if x, ok := a.(*big.Int); ok {
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	}
	// Maps and slices are objects: equal when they are the same one.
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	if ra.IsValid() && rb.IsValid() && ra.Type() == rb.Type() {
		switch ra.Kind() {
		case reflect.Map:
			return ra.UnsafePointer() == rb.UnsafePointer()
		case reflect.Slice:
			return ra.Len() > 0 && ra.UnsafePointer() == rb.UnsafePointer() && ra.Len() == rb.Len()
		case reflect.Func:
			return false
		}
	}
	defer func() { recover() }() // other uncomparable values are never equal
	return a == b
}

// toFloat reads any Go number as the JavaScript number it becomes.
func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}

// Error is a failure to marshal or unmarshal a value, with the
// JavaScript-style path to it: .user.tags[3], .m.get("k"). Its cause, if
// it has one, says what kind of failure it is (see ErrLimit).
type Error struct {
	Path string
	Msg  string
	// Err is the cause: a *SyntaxError, an *UnmarshalTypeError, ErrLimit,
	// or an error returned by a Marshaler, Unmarshaler or reviver. It may
	// be nil.
	Err error
	rev []string // see under
}

func (e *Error) Error() string {
	path := e.path()
	if path == "" {
		return "devalue: " + e.Msg
	}
	return "devalue: " + e.Msg + " (at " + path + ")"
}

// keySegment renders an object key as a path segment.
func keySegment(key string) string {
	if isIdentifier(key) {
		return "." + key
	}
	return "[" + quote(key) + "]"
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}

func quote(s string) string {
	var b []byte
	return string(appendString(b, s))
}

// arrayIndex reports whether a key is a canonical array index (what
// JavaScript orders first among an object's keys).
func arrayIndex(key string) (uint32, bool) {
	if key == "" || len(key) > 10 || key[0] < '0' || key[0] > '9' || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n >= maxArrayLength {
		return 0, false
	}
	return uint32(n), true
}
