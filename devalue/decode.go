package devalue

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// DefaultMaxDepth is how deeply values may nest unless a Decoder says
// otherwise: far beyond real data, far below what could exhaust the stack.
const DefaultMaxDepth = 10000

// DefaultMaxBigIntDigits is how many digits a BigInt may have unless a
// Decoder says otherwise. Reading n digits into a big.Int costs more than
// O(n) (a million digits take over a second), so a short text must not be
// able to ask for many; 10,000 digits is over 33,000 bits, beyond any key
// or hash, and reads in well under a millisecond.
const DefaultMaxBigIntDigits = 10000

// Reviver rebuilds a custom type from the value its reducer wrote.
type Reviver func(v any) (any, error)

// Decoder holds options for reading devalue.
type Decoder struct {
	// Revivers rebuild custom types, ["Name", value], by name; they take
	// precedence over the built-in types, as in devalue.parse. A tag with
	// no reviver becomes a *Tagged.
	Revivers map[string]Reviver
	// MaxDepth limits nesting; DefaultMaxDepth when zero.
	MaxDepth int
	// MaxBigIntDigits limits the digits of a BigInt, its sign aside:
	// DefaultMaxBigIntDigits when zero, no limit when negative. A longer
	// BigInt is an error (a BigInt reviver sees every one).
	MaxBigIntDigits int
}

// Unmarshal reads devalue text into v, which must be a non-nil pointer.
//
// Into *any it builds the lossless model: nil, bool, float64 (NaN, ±Inf
// and -0 included), string, Undefined, *big.Int, *Object, *Array, *Map,
// *Set, *Date, *RegExp, *URL, *URLSearchParams, *ArrayBuffer, *TypedArray,
// *Boxed, *Temporal and *Tagged, with shared references and cycles as in
// the text. Into typed values it works as encoding/json does: structs by
// json tags, maps, slices, arrays, pointers, interfaces, plus time.Time
// from a Date, *big.Int from a BigInt, []byte from a Uint8Array or
// ArrayBuffer, *url.URL and url.Values.
//
// An error is an *Error with the path to the value. Its cause, found with
// errors.As or errors.Is, tells malformed text (*SyntaxError) from a value
// the Go type cannot hold (*UnmarshalTypeError) and from valid text beyond
// a limit (ErrLimit), or is the error an Unmarshaler or reviver returned.
//
// Unmarshal's memory is proportional to the text's length, whatever the
// text claims. A sparse array ([-7, length, …]) claims a length it need
// not hold: into a Go slice it decodes to that length, holes zero, while
// the sparse arrays of one text claim no more than 16 bytes of elements
// in all per byte of text (or 32 KB); a longer one is an error, and
// decodes into *Array or any. A []byte decoded from a typed array or an ArrayBuffer
// shares the buffer's memory with the other views of that buffer, as in
// JavaScript. A struct or array decoded from a slot the text refers to
// many times is decoded once and copied.
//
// The model's small values (objects, arrays, their entries, boxed numbers
// and strings, dates, strings' bytes) are allocated many at a time, in
// chunks of at most 32 KB (a larger array has its elements to itself): a
// value kept after the rest of the model is dropped keeps the chunks it
// is in alive, and the objects that have the same keys share one copy of
// them.
func Unmarshal(data []byte, v any) error {
	var d Decoder
	return d.Unmarshal(data, v)
}

// Unmarshal reads devalue text into v with d's options.
func (d *Decoder) Unmarshal(data []byte, v any) error {
	return finish(d.unmarshal(data, v))
}

func (d *Decoder) unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{Msg: "Unmarshal needs a non-nil pointer, not " + reflect.TypeOf(v).String()}
	}
	s, root, err := d.scan(data)
	if err != nil {
		return err
	}
	if s == nil { // a bare sentinel
		a := assigner{seen: map[assignKey]reflect.Value{}, maxDepth: d.maxDepth()}
		return a.assign(rv.Elem(), root, 0)
	}
	defer s.release()
	if p, ok := v.(*any); ok {
		s.plan()
		root, err := s.hydrate(0, 0)
		if err == nil {
			*p = root
		}
		return err
	}
	return decoderFor(rv.Elem().Type())(s, rv.UnsafePointer(), 0, 0)
}

func (d *Decoder) maxDepth() int {
	if d.MaxDepth > 0 {
		return d.MaxDepth
	}
	return DefaultMaxDepth
}

// scan parses the text and prepares to decode its slots; a text that is
// a bare sentinel is returned as its value, with no state.
func (d *Decoder) scan(data []byte) (*decodeState, any, error) {
	s := decodeStates.Get().(*decodeState)
	s.dec, s.data, s.maxDepth = d, data, d.maxDepth()
	_, s.datesRevived = d.Revivers["Date"]
	p := tapeParser{data: data, tape: s.tape[:0], slots: s.slots[:0], refs: s.refs[:0]}
	err := p.parse()
	s.tape, s.slots, s.refs = p.tape, p.slots, p.refs
	if err != nil {
		s.release()
		return nil, nil, err
	}
	root := s.tape[0]
	if root.kind == jsonNumber {
		s.release()
		switch root.number() {
		case idxUndefined:
			return nil, Undefined, nil
		case idxNaN:
			return nil, math.NaN(), nil
		case idxPosInf:
			return nil, math.Inf(1), nil
		case idxNegInf:
			return nil, math.Inf(-1), nil
		case idxNegZero:
			return nil, math.Copysign(0, -1), nil
		}
	}
	if root.kind != jsonArray || len(s.slots) == 0 {
		s.release()
		return nil, nil, invalid("the input is not a devalue array")
	}
	if n := len(s.slots); len(s.refs) < n {
		s.refs = append(s.refs, make([]uint8, n-len(s.refs))...)
	}
	s.refs[0]++ // the root is reached once by Unmarshal itself
	return s, nil, nil
}

// decodeState is one Unmarshal's parsed text and what has been made from
// its slots. Its buffers are reused by later calls.
type decodeState struct {
	dec      *Decoder
	data     []byte
	chunk    []byte // see str
	chunkLen int
	tape     []token
	slots    []int32 // where each slot's token is on the tape
	refs     []uint8 // see isShared
	inValue  int     // see isShared
	maxDepth int
	// datesRevived is whether a reviver replaces the built-in Date.
	datesRevived bool

	// The lossless model of the slots hydrated so far that may be reached
	// again (see done): slot i's value is values[valueAt[i]] once state[i]
	// is done. Only the few such values are in a slice of pointers, which
	// the collector scans whenever it runs, while the pool keeps it; the
	// per-slot state is pointer-free.
	values  []any
	valueAt []int32 // read only where state is done: never cleared
	state   []uint8 // 0 new, 1 being revived, 2 done

	// Typed values made for shared slots: repeats get the same pointer,
	// slice or map, and cycles end.
	made    map[madeKey]made
	strings [256]struct { // shared string slots, decoded, by index
		slot int // plus one: zero is empty
		text string
	}
	assign assigner

	// The model's many small values come from a few larger allocations,
	// and its objects share their keys' strings.
	objects   slab[Object]
	arrays    slab[Array]
	items     slab[any]
	dates     slab[Date]
	floats    slab[float64] // see box.go
	strs      slab[string]
	shapeKeys slab[string] // see object
	keys      [256]string  // recent keys, by a hash of their text (keyHash)
	// Recent objects' shapes, by their number of keys and first key:
	// objects with the same keys share one (see object).
	shapes [256]*shape
	// runShapes holds the shape of the last object the scanner marked
	// with a version of each of its runs of keys (a token's v: see
	// container), and that mark.
	runShapes [8]struct {
		mark  uint64
		shape *shape
	}
	// shapeWords[h] is where the words of shapes[h]'s keys begin in words:
	// each key's first eight bytes (keyWord), which keysAre compares in
	// one load rather than calling to compare strings.
	shapeWords [256]int32
	words      []uint64
	keyScratch []string
}

// slab hands out values from chunks. When the text says how many values
// it needs (see plan), the chunks are cut to that count; otherwise they
// grow as they are used up. Either way a chunk holds at most 32 KB
// (slabChunkBytes), unless one value needs more (an array's elements): a
// value kept after the rest of the model is dropped keeps its chunk.
type slab[T any] struct {
	// chunk is the chunk being handed out, from used on. take moves an
	// index rather than reslicing chunk: a pointer written to the heap
	// costs a write barrier while the collector marks, an int does not.
	chunk []T
	used  int
	next  int // the size of the next chunk, when nothing is planned
	want  int // how many values the text is expected to need still
}

// slabChunkBytes keeps chunks within the runtime's small size classes
// (32 KB, less the header of a chunk of pointers), which it reuses
// without returning them to the operating system between texts.
const slabChunkBytes = 32<<10 - 16

func (b *slab[T]) take(n int) []T {
	if n > len(b.chunk)-b.used {
		b.refill(n)
	}
	taken := b.chunk[b.used : b.used+n : b.used+n]
	b.used += n
	return taken
}

func (b *slab[T]) refill(n int) {
	size := b.want
	if size <= 0 {
		b.next = min(max(2*b.next, 16), 1024)
		size = b.next
	}
	var v T
	size = max(n, min(size, slabChunkBytes/max(int(unsafe.Sizeof(v)), 1)))
	b.chunk, b.used = make([]T, size), 0
	b.want -= size
}

// plan counts the model's values of each kind, so that the slabs hand
// them out from chunks of the right size. Every slot is counted once: a
// slot reached again is not built again, so the count is exact when
// every slot is reached, as in any text that devalue writes.
func (s *decodeState) plan() {
	var objects, arrays, items, dates, floats, strs int
	for _, at := range s.slots {
		t := s.tape[at]
		switch t.kind {
		case jsonNumber:
			if !t.raw || t.v >= uint64(len(smallNumbers)) {
				floats++
			}
		case jsonString:
			strs++
		case jsonObject:
			objects++
			if t.raw {
				items += int(t.n)
			} else {
				items += int(t.n) / 2
			}
		case jsonArray:
			kids := s.kids(int(at))
			switch {
			case len(kids) > 0 && kids[0].kind == jsonString:
				if s.keyIs(kids[0], "Date") {
					dates++
				}
			case len(kids) > 0 && kids[0].kind == jsonNumber && kids[0].number() == idxSparse:
			default:
				arrays++
				items += len(kids)
			}
		}
	}
	s.objects.want, s.arrays.want, s.items.want = objects, arrays, items
	s.dates.want, s.floats.want, s.strs.want = dates, floats, strs
}

// key decodes an object's key, once for all the objects that have it.
func (s *decodeState) key(t token) string {
	if t.raw {
		return s.str(t)
	}
	text := t.text(s.data)
	slot := &s.keys[keyHash(text)]
	if *slot != string(text) {
		*slot = s.str(t)
	}
	return *slot
}

type madeKey struct {
	slot int
	typ  reflect.Type
}

var decodeStates = sync.Pool{New: func() any { return new(decodeState) }}

// release returns the state's buffers for reuse, dropping every
// reference to decoded values.
func (s *decodeState) release() {
	clear(s.values)
	clear(s.keyScratch)
	*s = decodeState{tape: s.tape[:0], slots: s.slots[:0], refs: s.refs[:0], values: s.values[:0], valueAt: s.valueAt[:0], state: s.state[:0], words: s.words[:0], keyScratch: s.keyScratch[:0]}
	if cap(s.tape) > 1<<20 { // a huge text: let its buffers go
		*s = decodeState{}
	}
	decodeStates.Put(s)
}

// isShared reports whether slot i may be reached more than once: only
// such slots can be repeats or close a cycle, so only their values need
// remembering once made. The count is the parser's, of every small number
// inside a slot: it may count numbers that are not references (a sparse
// array's length), which only costs a little memory.
//
// A value decoded into a Go struct or array has no identity: decoded
// again from another reference, it is decoded afresh, and so are the
// slots it refers to, however often the text refers to them. inValue
// counts such values being decoded from shared slots; inside them every
// slot counts as shared.
func (s *decodeState) isShared(i int) bool { return s.refs[i] > 1 || s.inValue > 0 }

// slot returns slot i's tape index and token.
func (s *decodeState) slot(i int) (int, token) {
	at := int(s.slots[i])
	return at, s.tape[at]
}

// entries returns an object's children and how many tokens each entry
// takes: two, a key and a value, or one when the object is compact (see
// token).
func (s *decodeState) entries(at int) (kids []token, step int) {
	if s.tape[at].raw {
		return s.kids(at), 1
	}
	return s.kids(at), 2
}

// kids returns the children of a container token at tape index at.
func (s *decodeState) kids(at int) []token {
	return s.tape[at+1 : at+1+int(s.tape[at].n)]
}

// str decodes a string token. Short strings that need no unescaping are
// copied into shared chunks of a few kilobytes: one allocation for many,
// while a string kept alive keeps at most its chunk. A chunk's bytes are
// written once, before a string is made of them, and never again, so the
// strings can be made without a copy (as strings.Builder does); the chunk
// is filled by an index, chunkLen, for the reason slab uses one.
func (s *decodeState) str(t token) string {
	if t.raw || t.n > stringChunk/8 || t.n == 0 {
		return unquote(s.data, t)
	}
	if len(s.chunk)-s.chunkLen < int(t.n) {
		s.chunk, s.chunkLen = make([]byte, stringChunk), 0
	}
	start := s.chunkLen
	s.chunkLen += copy(s.chunk[start:], t.text(s.data))
	return unsafe.String(&s.chunk[start], t.n)
}

const stringChunk = 4096

// index reads a reference: a sentinel or an in-range slot index.
func (s *decodeState) index(t token) (int, error) {
	if i, ok := s.plainIndex(t); ok {
		return i, nil
	}
	f := t.number()
	if t.kind != jsonNumber || f != math.Trunc(f) {
		return 0, invalid("an index is not an integer")
	}
	i := int(f)
	if (i < 0 && i < idxNegZero) || i == idxHole || i >= len(s.slots) {
		return 0, invalid("index " + strconv.FormatFloat(f, 'g', -1, 64) + " is out of range")
	}
	return i, nil
}

// plainIndex is the common case of index: a slot's number as written,
// small enough to be inlined where references are followed.
func (s *decodeState) plainIndex(t token) (int, bool) {
	return int(t.v), t.raw && t.kind == jsonNumber && t.v < uint64(len(s.slots))
}

func (s *decodeState) ref(t token, depth int) (any, error) {
	if i, ok := s.plainIndex(t); ok {
		return s.hydrate(i, depth)
	}
	i, err := s.index(t)
	if err != nil {
		return nil, err
	}
	return s.hydrate(i, depth)
}

// sentinel is the value of a sentinel index.
func sentinel(i int) any {
	switch i {
	case idxNaN:
		return math.NaN()
	case idxPosInf:
		return math.Inf(1)
	case idxNegInf:
		return math.Inf(-1)
	case idxNegZero:
		return math.Copysign(0, -1)
	}
	return Undefined
}

// hydrate builds the lossless model of slot i, or of a sentinel.
func (s *decodeState) hydrate(i, depth int) (any, error) {
	if i < 0 {
		return sentinel(i), nil
	}
	if len(s.state) < len(s.slots) {
		s.valueAt = slices.Grow(s.valueAt[:0], len(s.slots))[:len(s.slots)]
		s.state = slices.Grow(s.state[:0], len(s.slots))[:len(s.slots)]
		clear(s.state)
	}
	switch s.state[i] {
	case slotDone:
		return s.values[s.valueAt[i]], nil
	case slotReviving:
		return nil, malformed(i, "Invalid circular reference")
	}
	if depth > s.maxDepth {
		return nil, s.tooDeep()
	}
	at, t := s.slot(i)
	switch t.kind {
	case jsonNull:
		return s.done(i, nil), nil
	case jsonTrue:
		return s.done(i, true), nil
	case jsonFalse:
		return s.done(i, false), nil
	case jsonNumber:
		return s.done(i, s.number(t.number())), nil
	case jsonString:
		return s.done(i, s.string(s.str(t))), nil
	case jsonObject:
		return s.object(i, at, depth)
	}
	// An array: tagged, sparse or plain.
	kids := s.kids(at)
	if len(kids) > 0 && kids[0].kind == jsonString {
		v, err := s.tagged(i, kids, depth)
		if err != nil {
			return nil, inSlot(err, i)
		}
		return v, nil
	}
	if len(kids) > 0 && kids[0].kind == jsonNumber && kids[0].number() == idxSparse {
		v, err := s.sparse(i, kids, depth)
		if err != nil {
			return nil, inSlot(err, i)
		}
		return v, nil
	}
	a := &s.arrays.take(1)[0]
	a.dense = s.items.take(len(kids))
	s.done(i, a)
	for n, e := range kids {
		if e.kind == jsonNumber && e.number() == idxHole {
			a.dense[n] = Hole
			continue
		}
		v, err := s.ref(e, depth+1)
		if err != nil {
			return nil, under(inSlot(err, i), "["+strconv.Itoa(n)+"]")
		}
		a.dense[n] = v
	}
	return a, nil
}

// object builds the *Object of slot i, at tape index at. An object with
// the same keys as an earlier one of the text, in the same order, shares
// that one's shape (see Object): the objects are remembered by their
// number of keys and their first key, and an object whose keys' text is
// that of the one remembered needs none of its keys decoded.
func (s *decodeState) object(i, at, depth int) (any, error) {
	kids, step := s.entries(at)
	n := len(kids) / step
	o := &s.objects.take(1)[0]
	o.values = s.items.take(n)
	s.done(i, o)
	proto := -1      // where a __proto__ key is, an error when reached
	numeric := false // whether a key may be an array index
	// The scanner marks an object whose keys, as written, are those of a
	// version of a run of keys (see container): the last object with
	// that mark had the same keys, and its shape serves.
	mark := s.tape[at].v
	run := &s.runShapes[mark&7] // by the run's index: see keyRun
	switch {
	case mark != 0 && run.mark == mark:
		o.shape = run.shape
	case n > 0:
		first, _ := entry(kids, 0, step)
		h := keyHash(first.text(s.data)) ^ uint8(n*61)
		if sh := s.shapes[h]; sh != nil && len(sh.keys) == n && s.keysAre(kids, step, sh.keys, s.words[s.shapeWords[h]:]) {
			if n > 8 && sh.index.Load() == nil {
				sh.buildIndex() // now, as the shape is shared: Get never writes it
			}
			o.shape = sh
		} else {
			keys := s.keyScratch[:0]
			for e := 0; e < len(kids); e += step {
				key, _ := entry(kids, e, step)
				k := s.key(key)
				if k == "__proto__" && proto < 0 {
					proto = len(keys)
				}
				numeric = numeric || k != "" && k[0] >= '0' && k[0] <= '9'
				keys = append(keys, k)
			}
			s.keyScratch = keys
			sh := &shape{keys: s.shapeKeys.take(n)}
			copy(sh.keys, keys)
			o.shape = sh
			if numeric || proto >= 0 {
				sh.owner = o // to be sorted, or never used
			} else {
				s.shapes[h], s.shapeWords[h] = sh, int32(len(s.words))
				for _, k := range keys {
					s.words = append(s.words, keyWord(k))
				}
			}
		}
		if mark != 0 && o.shape.owner == nil {
			if n > 8 && o.shape.index.Load() == nil {
				o.shape.buildIndex() // as above: the shape is now shared
			}
			run.mark, run.shape = mark, o.shape
		}
	}
	for n := range o.values {
		if n == proto {
			return nil, malformed(i, "Cannot parse an object with a `__proto__` property")
		}
		var v any
		var err error
		if j := int(int32(kids[n*step].v >> 32)); step == 1 && j >= 0 && j < len(s.slots) {
			v, err = s.hydrate(j, depth+1) // the common case of ref, for a compact entry
		} else {
			_, ref := entry(kids, n*step, step)
			v, err = s.ref(ref, depth+1)
		}
		if err != nil {
			return nil, under(inSlot(err, i), keySegment(o.shape.keys[n]))
		}
		o.values[n] = v
	}
	if numeric {
		o.sortJS()
	}
	return o, nil
}

// keysAre reports whether an object's keys, as written, are keys, whose
// keyWords are words. A key of up to eight bytes is compared in one load
// and a mask, as most keys are short.
func (s *decodeState) keysAre(kids []token, step int, keys []string, words []uint64) bool {
	for n, k := range keys {
		t := kids[n*step]
		if t.raw || int(t.n) != len(k) {
			return false
		}
		off := int(uint32(t.v))
		if len(k) <= 8 && off+8 <= len(s.data) {
			if binary.LittleEndian.Uint64(s.data[off:])&(^uint64(0)>>(64-8*len(k))) != words[n] {
				return false
			}
		} else if string(s.data[off:off+len(k)]) != k {
			return false
		}
	}
	return true
}

// keyWord is a key's first eight bytes, or fewer, as a little-endian
// number, for keysAre.
func keyWord(k string) uint64 {
	var w uint64
	for i := min(len(k), 8) - 1; i >= 0; i-- {
		w = w<<8 | uint64(k[i])
	}
	return w
}

// done records slot i's value, for the references after the first: a slot
// reached only once needs no record (see isShared).
func (s *decodeState) done(i int, v any) any {
	if s.isShared(i) {
		s.valueAt[i], s.state[i] = int32(len(s.values)), slotDone
		s.values = append(s.values, v)
	}
	return v
}

const (
	slotNew = iota
	slotReviving
	slotDone
)

// keySet finds the items of a Set, or the keys of a Map, that are equal
// under JavaScript's SameValueZero, as devalue.parse's set.add and map.set
// do, in time linear in their number: Set.Add and Map.Set compare one by
// one. It is made on the first add of a collection of more than one.
type keySet map[any]int

// add records key at position at, or reports the position of an equal
// key added before.
func (ks *keySet) add(key any, at, size int) (int, bool) {
	if size < 2 {
		return at, false
	}
	k, ok := sameValueKey(key)
	if !ok {
		return at, false // a revived value Go cannot compare: equal to nothing else
	}
	if *ks == nil {
		*ks = make(keySet, size)
	}
	if first, ok := (*ks)[k]; ok {
		return first, true
	}
	(*ks)[k] = at
	return at, false
}

// bigIntKey is a BigInt's value as a map key, apart from strings.
type bigIntKey string

// nanKey is NaN as a map key: NaN is not equal to itself, but SameValueZero
// holds it equal.
type nanKey struct{}

// sameValueKey returns a Go map key for v that is equal for values that
// SameValueZero holds equal: numbers by value (NaN to NaN, −0 to +0),
// BigInts by value, the other primitives as they are, objects by pointer.
// A value a reviver made that is not a pointer has no identity to go by
// (each revival is a new object in JavaScript): it is equal to nothing.
func sameValueKey(v any) (any, bool) {
	switch x := v.(type) {
	case float64:
		if x != x {
			return nanKey{}, true
		}
		if x == 0 {
			return 0.0, true // −0 too
		}
		return x, true
	case *big.Int:
		return bigIntKey(x.String()), true
	case string, bool, nil, undefined:
		return v, true
	}
	return v, reflect.ValueOf(v).Kind() == reflect.Pointer
}

// sparse reads [-7, length, index, value, …] without allocating for the
// length it claims.
func (s *decodeState) sparse(i int, kids []token, depth int) (any, error) {
	if len(kids) < 2 || len(kids)%2 != 0 {
		return nil, invalid("a sparse array slot has a missing item")
	}
	length := kids[1].number()
	if kids[1].kind != jsonNumber || length != math.Trunc(length) || length < 0 || length > maxArrayLength {
		return nil, invalid("a sparse array has an invalid length")
	}
	sp := &sparseItems{length: int(length), items: make([]arrayItem, 0, (len(kids)-2)/2)}
	a := &Array{sparse: sp}
	s.done(i, a)
	// The items are kept as they come, then sorted once if they came out
	// of order: inserting each in its place would cost O(n²).
	ordered := true
	for n := 2; n < len(kids); n += 2 {
		at := kids[n].number()
		if kids[n].kind != jsonNumber || at != math.Trunc(at) || at < 0 || at >= length {
			return nil, invalid("a sparse array has an invalid index")
		}
		idx := int(at)
		v, err := s.ref(kids[n+1], depth+1)
		if err != nil {
			return nil, under(err, "["+strconv.Itoa(idx)+"]")
		}
		if k := len(sp.items); k > 0 && sp.items[k-1].index >= idx {
			ordered = false
		}
		sp.items = append(sp.items, arrayItem{idx, v})
	}
	if !ordered {
		sp.items = lastWins(sp.items)
	}
	return a, nil
}

// hasScheme reports whether a URL starts with a scheme and a colon, as an
// absolute URL does: a letter, then letters, digits, "+", "-" or ".".
func hasScheme(text string) bool {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// temporalTypes are the Temporal types devalue writes and reads as text.
var temporalTypes = map[string]bool{
	"Temporal.Duration": true, "Temporal.Instant": true, "Temporal.PlainDate": true, "Temporal.PlainTime": true,
	"Temporal.PlainDateTime": true, "Temporal.PlainMonthDay": true, "Temporal.PlainYearMonth": true, "Temporal.ZonedDateTime": true,
}

func (s *decodeState) tagged(i int, kids []token, depth int) (any, error) {
	tag := "Date" // the commonest, read without a lookup
	if kids[0].raw || string(kids[0].text(s.data)) != tag {
		tag = s.key(kids[0])
	}
	args := kids[1:]
	if reviver, ok := s.dec.Revivers[tag]; ok {
		var payload any
		var err error
		s.state[i] = slotReviving
		if len(args) > 0 && args[0].kind == jsonNumber {
			payload, err = s.ref(args[0], depth+1)
		} else if len(args) > 0 {
			payload, err = s.inline(args[0])
		} else {
			payload = Undefined
		}
		if err != nil {
			return nil, err
		}
		v, err := reviver(payload)
		if err != nil {
			return nil, &Error{Msg: "reviver " + tag + ": " + err.Error(), Err: err}
		}
		return s.done(i, v), nil
	}
	str := func(n int) (string, bool) {
		if n < len(args) && args[n].kind == jsonString {
			return s.str(args[n]), true
		}
		return "", false
	}
	switch tag {
	case "Date":
		if len(args) == 0 || args[0].kind != jsonString {
			return nil, invalid("a Date without its text")
		}
		t, valid := s.date(args[0])
		d := &s.dates.take(1)[0]
		d.Time, d.Invalid = t, !valid
		return s.done(i, d), nil
	case "RegExp":
		src, ok := str(0)
		if !ok {
			return nil, invalid("a RegExp without its source")
		}
		flags, _ := str(1)
		for n, c := range flags {
			if !strings.ContainsRune("dgimsuvy", c) || strings.ContainsRune(flags[:n], c) ||
				c == 'v' && strings.ContainsRune(flags, 'u') { // u and v exclude each other
				return nil, malformed(i, "Invalid flags supplied to RegExp constructor '"+flags+"'")
			}
		}
		return s.done(i, &RegExp{Source: src, Flags: flags}), nil
	case "BigInt":
		text, ok := str(0)
		if limit := s.dec.MaxBigIntDigits; limit >= 0 {
			if limit == 0 {
				limit = DefaultMaxBigIntDigits
			}
			if digits := len(strings.TrimPrefix(text, "-")); digits > limit {
				return nil, limited("a BigInt of " + strconv.Itoa(digits) + " digits is longer than the limit of " + strconv.Itoa(limit))
			}
		}
		n, valid := new(big.Int).SetString(text, 10)
		if !ok || !valid || strings.HasPrefix(text, "+") {
			return nil, invalid("a BigInt with invalid digits")
		}
		return s.done(i, n), nil
	case "URL":
		text, ok := str(0)
		if !ok {
			return nil, invalid("a URL without its text")
		}
		// new URL(text) throws for a URL without a scheme. (Go's parser is
		// not the WHATWG one: it refuses what browsers keep, a bare % say,
		// so it is not asked.)
		if !hasScheme(text) {
			return nil, malformed(i, "Invalid URL")
		}
		return s.done(i, &URL{Href: text}), nil
	case "URLSearchParams":
		text, ok := str(0)
		if !ok {
			return nil, invalid("a URLSearchParams without its text")
		}
		return s.done(i, &URLSearchParams{Query: text}), nil
	case "ArrayBuffer":
		text, ok := str(0)
		if !ok {
			return nil, malformed(i, "Invalid ArrayBuffer encoding")
		}
		data, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			if data, err = base64.RawStdEncoding.DecodeString(text); err != nil {
				return nil, malformed(i, "Invalid ArrayBuffer encoding")
			}
		}
		return s.done(i, &ArrayBuffer{Data: data}), nil
	case "Set":
		set := &Set{Items: make([]any, 0, len(args))}
		s.done(i, set)
		var seen keySet
		for _, a := range args {
			v, err := s.ref(a, depth+1)
			if err != nil {
				return nil, err
			}
			if _, again := seen.add(v, len(set.Items), len(args)); !again {
				set.Items = append(set.Items, v) // set.add keeps the first of equal items
			}
		}
		return set, nil
	case "Map":
		if len(args)%2 != 0 {
			return nil, invalid("a Map slot has a key without a value")
		}
		m := &Map{Entries: make([]MapEntry, 0, len(args)/2)}
		s.done(i, m)
		var seen keySet
		for n := 0; n < len(args); n += 2 {
			k, err := s.ref(args[n], depth+1)
			if err != nil {
				return nil, err
			}
			v, err := s.ref(args[n+1], depth+1)
			if err != nil {
				return nil, under(err, ".get("+mapKeySegment(k)+")")
			}
			// map.set keeps an equal key's place and takes the last value.
			if at, again := seen.add(k, len(m.Entries), len(args)/2); again {
				m.Entries[at].Value = v
			} else {
				m.Entries = append(m.Entries, MapEntry{k, v})
			}
		}
		return m, nil
	case "null":
		if len(args)%2 != 0 {
			return nil, invalid("a null-prototype object slot has a key without a value")
		}
		o := &Object{NullProto: true, values: make([]any, 0, len(args)/2)}
		s.done(i, o)
		for n := 0; n < len(args); n += 2 {
			if args[n].kind != jsonString {
				return nil, malformed(i, "Cannot parse an object with a non-string key")
			}
			k := s.str(args[n])
			if k == "__proto__" {
				return nil, malformed(i, "Cannot parse an object with a `__proto__` property")
			}
			v, err := s.ref(args[n+1], depth+1)
			if err != nil {
				return nil, under(err, keySegment(k))
			}
			o.Set(k, v)
		}
		o.sortJS()
		return o, nil
	case "Object":
		if len(args) != 1 {
			return nil, invalid("a boxed value without its primitive")
		}
		j, err := s.index(args[0])
		if err != nil {
			return nil, err
		}
		if j >= 0 {
			at, t := s.slot(j)
			if t.kind == jsonArray && !s.isTag(at, "BigInt", 2) || t.kind == jsonObject || t.kind == jsonNull {
				return nil, invalid("a boxed value that is not a primitive")
			}
		} else if j == idxUndefined {
			return nil, invalid("a boxed undefined")
		}
		v, err := s.hydrate(j, depth+1)
		if err != nil {
			return nil, err
		}
		return s.done(i, &Boxed{Value: v}), nil
	}
	if temporalTypes[tag] {
		text, ok := str(0)
		if !ok {
			return nil, invalid("a " + tag + " without its text")
		}
		return s.done(i, &Temporal{Type: tag, Text: text}), nil
	}
	if size, ok := typedArrayElemSize[tag]; ok {
		return s.typedArray(i, tag, size, args, depth)
	}
	if len(args) == 1 && args[0].kind == jsonNumber {
		// A custom type with no reviver: kept as it is.
		t := &Tagged{Tag: tag}
		s.state[i] = slotReviving
		v, err := s.ref(args[0], depth+1)
		if err != nil {
			return nil, err
		}
		t.Value = v
		return s.done(i, t), nil
	}
	return nil, malformed(i, "Unknown type "+tag)
}

// date reads a Date's text.
func (s *decodeState) date(text token) (time.Time, bool) {
	if text.raw {
		return parseDate(s.str(text))
	}
	if t, ok := parseISODate(text.text(s.data)); ok {
		return t, true
	}
	return parseShortDate(string(text.text(s.data)))
}

// parseDate reads a Date's text as new Date(text) does when it is in
// ECMAScript's Date Time String Format: toISOString's form (see
// parseISODate), or a shorter one, such as 2020-01-01, 2020-01-01T10:00Z
// or 2020-01-01T10:00:00.5+02:00. Date-only forms are UTC, date-time forms
// without an offset the machine's local time, and a day past the month's
// end runs into the next (2020-02-30 is March 1st), as in V8. The other
// forms V8 reads (its legacy ones) give an invalid Date.
func parseDate(text string) (time.Time, bool) {
	if t, ok := parseISODate(text); ok {
		return t, true
	}
	return parseShortDate(text)
}

// parseShortDate is parseDate for a text not in toISOString's form.
func parseShortDate(text string) (time.Time, bool) {
	p := dateParser{text: text}
	year := p.year()
	month, day := p.field('-', 2, true, 1, 12), 1
	if month == 0 {
		month = 1 // a year alone, perhaps with a time
	} else if p.peek('-') {
		day = p.field('-', 2, false, 1, 31)
	}
	hasTime := p.peek('T')
	loc, hour, min, sec, nsec := time.UTC, 0, 0, 0, 0
	if hasTime {
		hour, min = p.field('T', 2, false, 0, 24), p.field(':', 2, false, 0, 59)
		if p.peek(':') {
			sec = p.field(':', 2, false, 0, 59)
			if p.peek('.') {
				nsec = p.fraction()
			}
		}
		loc = time.Local
		if hour == 24 && (min != 0 || sec != 0 || nsec != 0) {
			p.fail = true
		}
	}
	switch {
	case p.peek('Z'): // V8 takes a Z after a date alone too, not an offset
		p.text, loc = p.text[1:], time.UTC
	case hasTime && (p.peek('+') || p.peek('-')):
		sign := 1 - 2*boolInt(p.text[0] == '-')
		h := p.field(p.text[0], 2, false, 0, 23)
		m := p.field(':', 2, false, 0, 59)
		loc = time.FixedZone("", sign*(h*3600+m*60))
	}
	if p.fail || p.text != "" {
		return time.Time{}, false
	}
	t := localDate(year, month, day, hour, min, sec, nsec, loc).Truncate(time.Millisecond).UTC()
	if _, ok := dateMillis(t); !ok {
		return time.Time{}, false
	}
	return t, true
}

// localDate is time.Date, except for a wall time that a transition skips
// or repeats in loc: ECMAScript takes the offset from before the
// transition for both, where time.Date does not promise which it takes.
func localDate(year, month, day, hour, min, sec, nsec int, loc *time.Location) time.Time {
	naive := time.Date(year, time.Month(month), day, hour, min, sec, nsec, time.UTC)
	if loc == time.UTC {
		return naive
	}
	// The offsets a day and more either side: a transition that moves this
	// wall time lies between them.
	_, before := naive.Add(-26 * time.Hour).In(loc).Zone()
	_, after := naive.Add(26 * time.Hour).In(loc).Zone()
	at := func(offset int) (time.Time, bool) {
		t := naive.Add(-time.Duration(offset) * time.Second)
		_, o := t.In(loc).Zone()
		return t, o == offset
	}
	tBefore, okBefore := at(before)
	if tAfter, okAfter := at(after); okAfter && !okBefore {
		return tAfter
	}
	return tBefore // in effect, repeated (the earlier reading), or skipped
}

// dateParser reads the fields of a date's text from the front.
type dateParser struct {
	text string
	fail bool
}

func (p *dateParser) peek(c byte) bool { return !p.fail && len(p.text) > 0 && p.text[0] == c }

// year reads four digits, or a sign and six.
func (p *dateParser) year() int {
	sign, width := 1, 4
	if p.peek('+') || p.peek('-') {
		sign, width = 1-2*boolInt(p.text[0] == '-'), 6
		p.text = p.text[1:]
	}
	n := p.digits(width)
	if sign < 0 && n == 0 {
		p.fail = true // -000000 is not a year
	}
	return sign * n
}

// field reads sep and then width digits from lo to hi. A missing field
// fails, unless optional: then it reads as 0 (the caller knows what that
// means).
func (p *dateParser) field(sep byte, width int, optional bool, lo, hi int) int {
	if !p.peek(sep) {
		p.fail = p.fail || !optional
		return 0
	}
	p.text = p.text[1:]
	n := p.digits(width)
	if n < lo || n > hi {
		p.fail = true
	}
	return n
}

func (p *dateParser) digits(width int) int {
	if p.fail || len(p.text) < width {
		p.fail = true
		return 0
	}
	n := 0
	for _, c := range []byte(p.text[:width]) {
		if c < '0' || c > '9' {
			p.fail = true
			return 0
		}
		n = n*10 + int(c-'0')
	}
	p.text = p.text[width:]
	return n
}

// fraction reads a point and one or more digits, as nanoseconds.
func (p *dateParser) fraction() int {
	p.text = p.text[1:]
	n, scale, k := 0, int(time.Second), 0
	for ; k < len(p.text) && p.text[k] >= '0' && p.text[k] <= '9'; k++ {
		if scale /= 10; scale > 0 {
			n += int(p.text[k]-'0') * scale
		}
	}
	if k == 0 {
		p.fail = true
	}
	p.text = p.text[k:]
	return n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isTag reports whether the container at tape index at is the tagged
// array [tag, …] with n items.
func (s *decodeState) isTag(at int, tag string, n int) bool {
	t := s.tape[at]
	if t.kind != jsonArray || int(t.n) != n {
		return false
	}
	return s.tape[at+1].kind == jsonString && s.keyIs(s.tape[at+1], tag)
}

func (s *decodeState) typedArray(i int, tag string, size int, args []token, depth int) (any, error) {
	if len(args) != 1 && len(args) != 3 {
		return nil, invalid("a " + tag + " slot has the wrong number of items")
	}
	j, err := s.index(args[0])
	if err != nil || j < 0 {
		return nil, invalid("a " + tag + " does not point at an ArrayBuffer")
	}
	if at, _ := s.slot(j); !s.isTag(at, "ArrayBuffer", 2) || s.tape[at+2].kind != jsonString {
		return nil, invalid("a " + tag + " does not point at an ArrayBuffer")
	}
	s.state[i] = slotReviving
	v, err := s.hydrate(j, depth+1)
	if err != nil {
		return nil, err
	}
	buf, ok := v.(*ArrayBuffer)
	if !ok { // a reviver made something else of it
		return nil, invalid("a " + tag + " does not point at an ArrayBuffer")
	}
	t := &TypedArray{Type: tag, Buffer: buf, Length: len(buf.Data) / size}
	if len(args) == 3 {
		for n, dst := range []*int{&t.Offset, &t.Length} {
			a := args[n+1]
			f := a.number()
			if a.kind != jsonNumber || f != math.Trunc(f) || f < 0 || f > float64(len(buf.Data)) {
				return nil, invalid("a " + tag + " has an invalid offset or length")
			}
			*dst = int(f)
		}
	} else if len(buf.Data)%size != 0 {
		return nil, invalid("a " + tag + "'s buffer is not a whole number of elements")
	}
	if t.Offset%size != 0 || t.Offset+t.Length*size > len(buf.Data) {
		return nil, invalid("a " + tag + " reaches outside its buffer")
	}
	return s.done(i, t), nil
}

// inline is the value of a built-in payload written in place (a Date's
// text), handed to a reviver that overrides the built-in type.
func (s *decodeState) inline(t token) (any, error) {
	switch t.kind {
	case jsonString:
		return s.str(t), nil
	case jsonNull:
		return nil, nil
	case jsonTrue:
		return true, nil
	case jsonFalse:
		return false, nil
	}
	return nil, invalid("an unexpected inline payload")
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	bigIntType = reflect.TypeFor[big.Int]()
)
