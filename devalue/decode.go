package devalue

import (
	"encoding/base64"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxDepth is how deeply values may nest unless a Decoder says
// otherwise: far beyond real data, far below what could exhaust the stack.
const DefaultMaxDepth = 10000

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
// ArrayBuffer, *url.URL and url.Values. A mismatch is an *Error with the
// path to the value.
func Unmarshal(data []byte, v any) error {
	var d Decoder
	return d.Unmarshal(data, v)
}

// Unmarshal reads devalue text into v with d's options.
func (d *Decoder) Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{Msg: "Unmarshal needs a non-nil pointer, not " + reflect.TypeOf(v).String()}
	}
	if p, ok := v.(*any); ok {
		root, err := d.parse(data)
		if err != nil {
			return err
		}
		*p = root
		return nil
	}
	h, root, err := d.scan(data)
	if err != nil {
		return err
	}
	a := &assigner{seen: map[assignKey]reflect.Value{}, maxDepth: d.maxDepth()}
	if h == nil { // a bare sentinel
		return a.assign(rv.Elem(), root, 0)
	}
	dd := direct{h: h, a: a, made: map[directKey]reflect.Value{}}
	return dd.decode(rv.Elem(), 0, 0)
}

func (d *Decoder) maxDepth() int {
	if d.MaxDepth > 0 {
		return d.MaxDepth
	}
	return DefaultMaxDepth
}

// parse reads the text into the lossless model.
func (d *Decoder) parse(data []byte) (any, error) {
	h, root, err := d.scan(data)
	if err != nil || h == nil {
		return root, err
	}
	return h.hydrate(0, 0)
}

// scan checks the text and prepares a hydrator for its slots; a text that
// is a bare sentinel is returned as its value, with no hydrator.
func (d *Decoder) scan(data []byte) (*hydrator, any, error) {
	offsets, doc, err := scanSlots(data)
	if err != nil {
		return nil, nil, err
	}
	if doc.kind == jsonNumber {
		switch doc.num {
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
	if doc.kind != jsonArray || len(offsets) == 0 {
		return nil, nil, invalid("the input is not a devalue array")
	}
	return &hydrator{dec: d, data: data, offsets: offsets, values: make([]any, len(offsets)),
		state: make([]uint8, len(offsets)), maxDepth: d.maxDepth(), parser: jsonParser{data: data}}, nil, nil
}

func invalid(msg string) error { return &Error{Msg: "Invalid input: " + msg} }

type hydrator struct {
	dec      *Decoder
	data     []byte
	offsets  []int32 // where each slot starts in data
	parser   jsonParser
	values   []any
	state    []uint8 // 0 new, 1 being revived, 2 done
	maxDepth int
}

const (
	slotNew = iota
	slotReviving
	slotDone
)

// index reads a reference: a sentinel or an in-range slot index.
func (h *hydrator) index(v jsonValue) (int, error) {
	if v.kind != jsonNumber || v.num != math.Trunc(v.num) {
		return 0, invalid("an index is not an integer")
	}
	i := int(v.num)
	if (i < 0 && i < idxNegZero) || i == idxHole || i >= len(h.offsets) {
		return 0, invalid("index " + strconv.FormatFloat(v.num, 'g', -1, 64) + " is out of range")
	}
	return i, nil
}

func (h *hydrator) ref(v jsonValue, depth int) (any, error) {
	i, err := h.index(v)
	if err != nil {
		return nil, err
	}
	return h.hydrate(i, depth)
}

func (h *hydrator) hydrate(i, depth int) (any, error) {
	switch i {
	case idxUndefined:
		return Undefined, nil
	case idxNaN:
		return math.NaN(), nil
	case idxPosInf:
		return math.Inf(1), nil
	case idxNegInf:
		return math.Inf(-1), nil
	case idxNegZero:
		return math.Copysign(0, -1), nil
	}
	switch h.state[i] {
	case slotDone:
		return h.values[i], nil
	case slotReviving:
		return nil, &Error{Msg: "Invalid circular reference"}
	}
	if depth > h.maxDepth {
		return nil, &Error{Msg: "values nest more than " + strconv.Itoa(h.maxDepth) + " deep"}
	}
	// The slot's parsed form is needed only until it is hydrated: give its
	// arena space back then (slots hydrate depth first, so in LIFO order).
	mark := len(h.parser.arena)
	defer func() { h.parser.arena = h.parser.arena[:mark] }()
	slot := h.slot(i)
	switch slot.kind {
	case jsonNull:
		return h.done(i, nil), nil
	case jsonTrue:
		return h.done(i, true), nil
	case jsonFalse:
		return h.done(i, false), nil
	case jsonNumber:
		return h.done(i, slot.num), nil
	case jsonString:
		return h.done(i, slot.str), nil
	case jsonObject:
		o := &Object{entries: make([]objectEntry, 0, len(slot.arr)/2)}
		h.done(i, o)
		for n := 0; n < len(slot.arr); n += 2 {
			k := slot.arr[n].str
			if k == "__proto__" {
				return nil, &Error{Msg: "Cannot parse an object with a `__proto__` property"}
			}
			v, err := h.ref(slot.arr[n+1], depth+1)
			if err != nil {
				return nil, within(err, keySegment(k))
			}
			o.entries = append(o.entries, objectEntry{k, v})
		}
		o.entries = jsOrdered(o.entries)
		return o, nil
	}
	// An array: tagged, sparse or plain.
	if len(slot.arr) > 0 && slot.arr[0].kind == jsonString {
		return h.tagged(i, slot, depth)
	}
	if len(slot.arr) > 0 && slot.arr[0].kind == jsonNumber && slot.arr[0].num == idxSparse {
		return h.sparse(i, slot, depth)
	}
	a := &Array{length: len(slot.arr), dense: make([]any, len(slot.arr))}
	h.done(i, a)
	for n, e := range slot.arr {
		if e.kind == jsonNumber && e.num == idxHole {
			a.dense[n] = Hole
			continue
		}
		v, err := h.ref(e, depth+1)
		if err != nil {
			return nil, within(err, "["+strconv.Itoa(n)+"]")
		}
		a.dense[n] = v
	}
	return a, nil
}

// slot parses slot i; the scan has checked it already. The parser, and
// its arena, serve every slot: a slot's elements stay valid while the
// slots it refers to are parsed.
func (h *hydrator) slot(i int) jsonValue {
	h.parser.pos = int(h.offsets[i])
	v, _ := h.parser.value(1)
	return v
}

func (h *hydrator) done(i int, v any) any {
	h.values[i], h.state[i] = v, slotDone
	return v
}

// sparse reads [-7, length, index, value, …] without allocating for the
// length it claims.
func (h *hydrator) sparse(i int, slot jsonValue, depth int) (any, error) {
	if len(slot.arr) < 2 || len(slot.arr)%2 != 0 {
		return nil, invalid("a sparse array slot has a missing item")
	}
	length := slot.arr[1]
	if length.kind != jsonNumber || length.num != math.Trunc(length.num) || length.num < 0 || length.num > maxArrayLength {
		return nil, invalid("a sparse array has an invalid length")
	}
	a := &Array{length: int(length.num), sparse: make([]arrayItem, 0, (len(slot.arr)-2)/2)}
	h.done(i, a)
	last := -1
	for n := 2; n < len(slot.arr); n += 2 {
		at := slot.arr[n]
		if at.kind != jsonNumber || at.num != math.Trunc(at.num) || at.num < 0 || at.num >= length.num {
			return nil, invalid("a sparse array has an invalid index")
		}
		idx := int(at.num)
		v, err := h.ref(slot.arr[n+1], depth+1)
		if err != nil {
			return nil, within(err, "["+strconv.Itoa(idx)+"]")
		}
		if idx > last {
			a.sparse = append(a.sparse, arrayItem{idx, v})
			last = idx
		} else {
			a.Set(idx, v) // out of order or repeated: keep the ascending invariant
		}
	}
	return a, nil
}

func (h *hydrator) tagged(i int, slot jsonValue, depth int) (any, error) {
	tag := slot.arr[0].str
	args := slot.arr[1:]
	if reviver, ok := h.dec.Revivers[tag]; ok {
		var payload any
		var err error
		h.state[i] = slotReviving
		if len(args) > 0 && args[0].kind == jsonNumber {
			payload, err = h.ref(args[0], depth+1)
		} else if len(args) > 0 {
			payload, err = inline(args[0])
		} else {
			payload = Undefined
		}
		if err != nil {
			return nil, err
		}
		v, err := reviver(payload)
		if err != nil {
			return nil, &Error{Msg: "reviver " + tag + ": " + err.Error()}
		}
		return h.done(i, v), nil
	}
	str := func(n int) (string, bool) {
		if n < len(args) && args[n].kind == jsonString {
			return args[n].str, true
		}
		return "", false
	}
	switch tag {
	case "Date":
		s, ok := str(0)
		if !ok {
			return nil, invalid("a Date without its text")
		}
		t, valid := parseISODate(s)
		return h.done(i, &Date{Time: t, Invalid: !valid}), nil
	case "RegExp":
		src, ok := str(0)
		if !ok {
			return nil, invalid("a RegExp without its source")
		}
		flags, _ := str(1)
		for n, c := range flags {
			if !strings.ContainsRune("dgimsuvy", c) || strings.ContainsRune(flags[:n], c) {
				return nil, &Error{Msg: "Invalid flags supplied to RegExp constructor '" + flags + "'"}
			}
		}
		return h.done(i, &RegExp{Source: src, Flags: flags}), nil
	case "BigInt":
		s, ok := str(0)
		n, valid := new(big.Int).SetString(s, 10)
		if !ok || !valid || strings.HasPrefix(s, "+") {
			return nil, invalid("a BigInt with invalid digits")
		}
		return h.done(i, n), nil
	case "URL":
		s, ok := str(0)
		if !ok {
			return nil, invalid("a URL without its text")
		}
		return h.done(i, &URL{Href: s}), nil
	case "URLSearchParams":
		s, ok := str(0)
		if !ok {
			return nil, invalid("a URLSearchParams without its text")
		}
		return h.done(i, &URLSearchParams{Query: s}), nil
	case "ArrayBuffer":
		s, ok := str(0)
		if !ok {
			return nil, &Error{Msg: "Invalid ArrayBuffer encoding"}
		}
		data, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			if data, err = base64.RawStdEncoding.DecodeString(s); err != nil {
				return nil, &Error{Msg: "Invalid ArrayBuffer encoding"}
			}
		}
		return h.done(i, &ArrayBuffer{Data: data}), nil
	case "Set":
		set := &Set{Items: make([]any, 0, len(args))}
		h.done(i, set)
		for _, a := range args {
			v, err := h.ref(a, depth+1)
			if err != nil {
				return nil, err
			}
			set.Items = append(set.Items, v)
		}
		return set, nil
	case "Map":
		if len(args)%2 != 0 {
			return nil, invalid("a Map slot has a key without a value")
		}
		m := &Map{Entries: make([]MapEntry, 0, len(args)/2)}
		h.done(i, m)
		for n := 0; n < len(args); n += 2 {
			k, err := h.ref(args[n], depth+1)
			if err != nil {
				return nil, err
			}
			v, err := h.ref(args[n+1], depth+1)
			if err != nil {
				return nil, within(err, ".get("+mapKeySegment(k)+")")
			}
			m.Entries = append(m.Entries, MapEntry{k, v})
		}
		return m, nil
	case "null":
		if len(args)%2 != 0 {
			return nil, invalid("a null-prototype object slot has a key without a value")
		}
		o := &Object{NullProto: true, entries: make([]objectEntry, 0, len(args)/2)}
		h.done(i, o)
		for n := 0; n < len(args); n += 2 {
			if args[n].kind != jsonString {
				return nil, &Error{Msg: "Cannot parse an object with a non-string key"}
			}
			k := args[n].str
			if k == "__proto__" {
				return nil, &Error{Msg: "Cannot parse an object with a `__proto__` property"}
			}
			v, err := h.ref(args[n+1], depth+1)
			if err != nil {
				return nil, within(err, keySegment(k))
			}
			o.Set(k, v)
		}
		o.entries = jsOrdered(o.entries)
		return o, nil
	case "Object":
		if len(args) != 1 {
			return nil, invalid("a boxed value without its primitive")
		}
		j, err := h.index(args[0])
		if err != nil {
			return nil, err
		}
		if j >= 0 {
			s := h.slot(j)
			isBigInt := s.kind == jsonArray && len(s.arr) == 2 && s.arr[0].kind == jsonString && s.arr[0].str == "BigInt"
			if s.kind == jsonArray && !isBigInt || s.kind == jsonObject || s.kind == jsonNull {
				return nil, invalid("a boxed value that is not a primitive")
			}
		} else if j == idxUndefined {
			return nil, invalid("a boxed undefined")
		}
		v, err := h.hydrate(j, depth+1)
		if err != nil {
			return nil, err
		}
		return h.done(i, &Boxed{Value: v}), nil
	}
	if strings.HasPrefix(tag, "Temporal.") {
		s, ok := str(0)
		if !ok {
			return nil, invalid("a " + tag + " without its text")
		}
		return h.done(i, &Temporal{Type: tag, Text: s}), nil
	}
	if size, ok := typedArrayElemSize[tag]; ok {
		return h.typedArray(i, tag, size, args, depth)
	}
	if len(args) == 1 && args[0].kind == jsonNumber {
		// A custom type with no reviver: kept as it is.
		t := &Tagged{Tag: tag}
		h.state[i] = slotReviving
		v, err := h.ref(args[0], depth+1)
		if err != nil {
			return nil, err
		}
		t.Value = v
		return h.done(i, t), nil
	}
	return nil, &Error{Msg: "Unknown type " + tag}
}

func (h *hydrator) typedArray(i int, tag string, size int, args []jsonValue, depth int) (any, error) {
	if len(args) != 1 && len(args) != 3 {
		return nil, invalid("a " + tag + " slot has the wrong number of items")
	}
	j, err := h.index(args[0])
	if err != nil || j < 0 {
		return nil, invalid("a " + tag + " does not point at an ArrayBuffer")
	}
	if s := h.slot(j); s.kind != jsonArray || len(s.arr) != 2 || s.arr[0].kind != jsonString || s.arr[0].str != "ArrayBuffer" {
		return nil, invalid("a " + tag + " does not point at an ArrayBuffer")
	}
	h.state[i] = slotReviving
	v, err := h.hydrate(j, depth+1)
	if err != nil {
		return nil, err
	}
	buf := v.(*ArrayBuffer)
	t := &TypedArray{Type: tag, Buffer: buf, Length: len(buf.Data) / size}
	if len(args) == 3 {
		for n, dst := range []*int{&t.Offset, &t.Length} {
			a := args[n+1]
			if a.kind != jsonNumber || a.num != math.Trunc(a.num) || a.num < 0 || a.num > float64(len(buf.Data)) {
				return nil, invalid("a " + tag + " has an invalid offset or length")
			}
			*dst = int(a.num)
		}
	} else if len(buf.Data)%size != 0 {
		return nil, invalid("a " + tag + "'s buffer is not a whole number of elements")
	}
	if t.Offset%size != 0 || t.Offset+t.Length*size > len(buf.Data) {
		return nil, invalid("a " + tag + " reaches outside its buffer")
	}
	return h.done(i, t), nil
}

// inline is the value of a built-in payload written in place (a Date's
// text), handed to a reviver that overrides the built-in type.
func inline(v jsonValue) (any, error) {
	switch v.kind {
	case jsonString:
		return v.str, nil
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
