package devalue

import (
	"encoding"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// assigner copies the lossless model into typed Go values.
type assigner struct {
	// seen maps a model container, and the Go type it is copied into, to
	// the Go value made for it: repeats share it, and cycles end. For a
	// struct or array type it is a copy of the value made, which repeats
	// copy rather than make again (see assignValue).
	seen     map[assignKey]reflect.Value
	maxDepth int
	// claimed counts the bytes of elements made for sparse arrays' holes,
	// which the text claims without holding; maxClaimed limits them (see
	// claim).
	claimed, maxClaimed int
}

// minClaimed is how many bytes of elements sparse arrays may claim in Go
// slices however short the text: enough for new Array(1000) into []int.
const minClaimed = 32 << 10

// claimedPerByte is how many bytes of elements sparse arrays may claim in
// Go slices per byte of text.
const claimedPerByte = 16

// claim reserves the elements of a Go slice made for a sparse array of
// length n whose elements take size bytes, or the n words of a BigInt
// copied into a big.Int value. A sparse array's length is a
// number in the text, not a count of things the text holds:
// [[-7,4294967295]] is 17 bytes. Making slices of such lengths would let a
// few bytes claim gigabytes, so an Unmarshal makes at most claimedPerByte
// bytes of elements per byte of its text (or minClaimed) for them, in all,
// whatever the element type; longer sparse arrays fit *Array or any.
func (a *assigner) claim(n int, size uintptr) bool {
	size = max(size, 1)
	limit := max(claimedPerByte*a.maxClaimed, minClaimed) - a.claimed
	if uintptr(n) > uintptr(limit)/size {
		return false
	}
	a.claimed += n * int(size)
	return true
}

type assignKey struct {
	src any
	typ reflect.Type
}

var unmarshalerType = reflect.TypeFor[Unmarshaler]()

// unmarshalers caches whether a type, or a pointer to it, implements
// Unmarshaler: asking reflect every time is costly.
var unmarshalers sync.Map // reflect.Type → bool

func isUnmarshaler(t reflect.Type) bool {
	if v, ok := unmarshalers.Load(t); ok {
		return v.(bool)
	}
	is := t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)
	unmarshalers.Store(t, is)
	return is
}

func (a *assigner) assign(dst reflect.Value, src any, depth int) error {
	if depth > a.maxDepth {
		return limited("values nest more than " + strconv.Itoa(a.maxDepth) + " deep")
	}
	if isUnmarshaler(dst.Type()) && dst.CanAddr() && dst.Addr().Type().Implements(unmarshalerType) {
		return wrapUnmarshal(dst.Addr().Interface().(Unmarshaler).UnmarshalDevalue(src))
	}
	t := dst.Type()
	if src != nil && reflect.TypeOf(src) == t { // a model type into itself
		dst.Set(reflect.ValueOf(src))
		return nil
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Array:
		if isRef(src) {
			return a.assignValue(dst, src, depth)
		}
	case reflect.Interface:
		if t.NumMethod() == 0 || reflect.TypeOf(src) != nil && reflect.TypeOf(src).Implements(t) {
			if src == nil {
				dst.SetZero()
			} else {
				dst.Set(reflect.ValueOf(src))
			}
			return nil
		}
	case reflect.Pointer:
		if src == nil || src == Undefined {
			dst.SetZero()
			return nil
		}
		key := assignKey{src, t}
		if isRef(src) {
			if v, ok := a.seen[key]; ok {
				dst.Set(v)
				return nil
			}
		}
		p := reflect.New(t.Elem())
		if isRef(src) {
			a.seen[key] = p
		}
		dst.Set(p)
		return a.assign(p.Elem(), src, depth+1)
	}
	return a.assignFresh(dst, src, depth)
}

// assignValue assigns a model container to a struct or array. Such a
// value has no identity: every reference to the container gets a value
// of its own. Made afresh each time, though, a container referenced n
// times would cost n times its size, however small the references; so
// the value made is kept, and a repeat into a zero value copies it,
// which costs the size of the Go type. Only a value made into a zero
// value is kept: one made into a value that held something may differ.
// Most containers are assigned once: the copy is made the second time.
func (a *assigner) assignValue(dst reflect.Value, src any, depth int) error {
	key := assignKey{src, dst.Type()}
	zero := dst.IsZero()
	v, again := a.seen[key]
	if v.IsValid() && zero {
		dst.Set(v)
		return nil
	}
	if err := a.assignFresh(dst, src, depth); err != nil || !zero {
		return err
	}
	if !again {
		a.seen[key] = reflect.Value{} // assigned once
		return nil
	}
	v = reflect.New(dst.Type()).Elem()
	v.Set(dst)
	a.seen[key] = v
	return nil
}

// assignFresh assigns src to dst, which is not a pointer or an
// interface, and implements no Unmarshaler.
func (a *assigner) assignFresh(dst reflect.Value, src any, depth int) error {
	t := dst.Type()
	if src == Undefined {
		return nil // as a missing key: the value stays as it is
	}
	switch t {
	case timeType:
		d, ok := src.(*Date)
		if !ok || d.Invalid {
			return mismatch(src, t)
		}
		dst.Set(reflect.ValueOf(d.Time))
		return nil
	case bigIntType:
		n, ok := src.(*big.Int)
		if !ok {
			if f, isNum := src.(float64); isNum && f == math.Trunc(f) && !math.IsInf(f, 0) {
				n, _ = new(big.Float).SetFloat64(f).Int(nil)
			} else {
				return mismatch(src, t)
			}
		}
		// A big.Int value cannot share its digits with another, so each
		// reference gets a copy: copies count against claim's limit, or a
		// long BigInt and many two-byte references to it would claim
		// gigabytes. A *big.Int destination shares one.
		if !a.claim(len(n.Bits()), unsafe.Sizeof(big.Word(0))) {
			return limited("BigInts copied into big.Int values take more memory than the text allows (use *big.Int)")
		}
		dst.Set(reflect.ValueOf(*new(big.Int).Set(n)))
		return nil
	case reflect.TypeFor[url.URL]():
		u, ok := src.(*URL)
		if !ok {
			return mismatch(src, t)
		}
		parsed, err := url.Parse(u.Href)
		if err != nil {
			return &Error{Msg: "invalid URL: " + err.Error(), Err: err}
		}
		dst.Set(reflect.ValueOf(*parsed))
		return nil
	case reflect.TypeFor[url.Values]():
		q, ok := src.(*URLSearchParams)
		if !ok {
			return mismatch(src, t)
		}
		// A map, so one for every reference, as for other maps: parsed
		// once, not once per reference.
		key := assignKey{src, t}
		if v, ok := a.seen[key]; ok {
			dst.Set(v)
			return nil
		}
		values, err := url.ParseQuery(q.Query)
		if err != nil {
			return &Error{Msg: "invalid URLSearchParams: " + err.Error(), Err: err}
		}
		v := reflect.ValueOf(values)
		a.seen[key] = v
		dst.Set(v)
		return nil
	case reflect.TypeFor[Date]():
		d, ok := src.(*Date)
		if !ok {
			return mismatch(src, t)
		}
		dst.Set(reflect.ValueOf(*d))
		return nil
	}
	if src == nil {
		switch t.Kind() {
		case reflect.Map, reflect.Slice, reflect.Interface:
			dst.SetZero()
			return nil
		}
		return nil // null leaves other values as they are, as encoding/json does
	}
	switch t.Kind() {
	case reflect.Bool:
		if b, ok := src.(bool); ok {
			dst.SetBool(b)
			return nil
		}
	case reflect.String:
		if s, ok := src.(string); ok {
			dst.SetString(s)
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := integer(src)
		if ok && n.IsInt64() && !dst.OverflowInt(n.Int64()) {
			dst.SetInt(n.Int64())
			return nil
		}
		if ok {
			return typeError(fmt.Sprintf("%s overflows a Go %s", n, t), src, t)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, ok := integer(src)
		if ok && n.IsUint64() && !dst.OverflowUint(n.Uint64()) {
			dst.SetUint(n.Uint64())
			return nil
		}
		if ok {
			return typeError(fmt.Sprintf("%s overflows a Go %s", n, t), src, t)
		}
	case reflect.Float32, reflect.Float64:
		if f, ok := src.(float64); ok {
			dst.SetFloat(f)
			return nil
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			if b, ok := byteView(src); ok {
				// The bytes are the model's, made for this Unmarshal: the
				// slice shares them, as the views of one ArrayBuffer do in
				// JavaScript. A copy for each view would let many small
				// views of one large buffer cost their number times its size.
				dst.SetBytes(b)
				return nil
			}
		}
		key := assignKey{src, t}
		if v, ok := a.seen[key]; ok && isRef(src) {
			dst.Set(v)
			return nil
		}
		if arr, ok := src.(*Array); ok {
			if arr.sparse != nil && !a.claim(arr.Len(), t.Elem().Size()) {
				return limited(fmt.Sprintf("a sparse array of length %d is too long for a Go slice", arr.Len()))
			}
			s := reflect.MakeSlice(t, arr.Len(), arr.Len())
			a.seen[key] = s
			dst.Set(s)
			return arr.each(func(i int, v any) error {
				return under(a.assign(s.Index(i), v, depth+1), "["+strconv.Itoa(i)+"]")
			})
		}
		if set, ok := src.(*Set); ok {
			s := reflect.MakeSlice(t, len(set.Items), len(set.Items))
			a.seen[key] = s
			dst.Set(s)
			for i, v := range set.Items {
				if err := a.assign(s.Index(i), v, depth+1); err != nil {
					return under(err, "["+strconv.Itoa(i)+"]")
				}
			}
			return nil
		}
	case reflect.Array:
		if arr, ok := src.(*Array); ok {
			dst.SetZero()
			// As encoding/json, elements beyond the Go array's are dropped,
			// unread: their number is no bound on the work of one of many
			// references to the array.
			return arr.eachBelow(t.Len(), func(i int, v any) error {
				return under(a.assign(dst.Index(i), v, depth+1), "["+strconv.Itoa(i)+"]")
			})
		}
	case reflect.Map:
		return a.assignMap(dst, src, depth)
	case reflect.Struct:
		if o, ok := src.(*Object); ok {
			info := cachedFields(t)
			for n, k := range o.keys() {
				f := info.byName[k]
				if f == nil {
					for name, g := range info.byName {
						if strings.EqualFold(name, k) {
							f = g
							break
						}
					}
				}
				if f == nil {
					continue
				}
				fv, err := fieldForSet(dst, f.index)
				if err != nil {
					return under(err, keySegment(k))
				}
				if err := a.assign(fv, o.values[n], depth+1); err != nil {
					return under(err, keySegment(k))
				}
			}
			return nil
		}
	}
	return mismatch(src, t)
}

func (a *assigner) assignMap(dst reflect.Value, src any, depth int) error {
	t := dst.Type()
	key := assignKey{src, t}
	if v, ok := a.seen[key]; ok {
		dst.Set(v)
		return nil
	}
	switch x := src.(type) {
	case *Object:
		if dst.IsNil() {
			dst.Set(reflect.MakeMapWithSize(t, x.Len()))
		}
		a.seen[key] = dst
		for n, k := range x.keys() {
			kv, err := objectKey(k, t.Key())
			if err != nil {
				return under(err, keySegment(k))
			}
			ev := reflect.New(t.Elem()).Elem()
			if err := a.assign(ev, x.values[n], depth+1); err != nil {
				return under(err, keySegment(k))
			}
			dst.SetMapIndex(kv, ev)
		}
		return nil
	case *Map:
		if dst.IsNil() {
			dst.Set(reflect.MakeMapWithSize(t, len(x.Entries)))
		}
		a.seen[key] = dst
		for _, e := range x.Entries {
			kv := reflect.New(t.Key()).Elem()
			if err := a.assign(kv, e.Key, depth+1); err != nil {
				return under(err, ".keys()")
			}
			ev := reflect.New(t.Elem()).Elem()
			if err := a.assign(ev, e.Value, depth+1); err != nil {
				return under(err, ".get("+mapKeySegment(e.Key)+")")
			}
			dst.SetMapIndex(kv, ev)
		}
		return nil
	}
	return mismatch(src, t)
}

// objectKey converts an object key to a Go map key type.
func objectKey(k string, t reflect.Type) (reflect.Value, error) {
	if reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
		v := reflect.New(t)
		if err := v.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(k)); err != nil {
			return v, &Error{Msg: err.Error(), Err: err}
		}
		return v.Elem(), nil
	}
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		v.SetString(k)
		return v, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(k, 10, 64)
		if err == nil && !v.OverflowInt(n) {
			v.SetInt(n)
			return v, nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(k, 10, 64)
		if err == nil && !v.OverflowUint(n) {
			v.SetUint(n)
			return v, nil
		}
	}
	return v, typeError(fmt.Sprintf("cannot use the key %q as a Go %s", k, t), k, t)
}

// fieldForSet walks to a field, allocating nil embedded pointers.
func fieldForSet(v reflect.Value, index []int) (reflect.Value, error) {
	for n, i := range index {
		if n > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return v, &Error{Msg: "cannot set a field of an unexported embedded pointer"}
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v, nil
}

// integer reads a whole number from a number or a BigInt.
func integer(src any) (*big.Int, bool) {
	switch x := src.(type) {
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) {
			return nil, false
		}
		n, _ := new(big.Float).SetFloat64(x).Int(nil)
		return n, true
	case *big.Int:
		return x, true
	}
	return nil, false
}

// byteView returns the bytes of a Uint8Array, or of an ArrayBuffer.
func byteView(src any) ([]byte, bool) {
	switch x := src.(type) {
	case *ArrayBuffer:
		return x.Data[:len(x.Data):len(x.Data)], true
	case *TypedArray:
		if x.Type == "Uint8Array" || x.Type == "Uint8ClampedArray" || x.Type == "Int8Array" {
			end := x.Offset + x.Length
			return x.Buffer.Data[x.Offset:end:end], true // appending copies
		}
	}
	return nil, false
}

// isRef reports whether a model value has identity.
func isRef(src any) bool {
	switch src.(type) {
	case *Object, *Array, *Map, *Set, *Date, *RegExp, *URL, *URLSearchParams, *ArrayBuffer, *TypedArray, *Boxed, *Temporal, *Tagged:
		return true
	}
	return false
}

func mismatch(src any, t reflect.Type) error {
	return typeError("cannot unmarshal "+jsType(src)+" into a Go "+t.String(), src, t)
}

func wrapUnmarshal(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*Error); ok {
		return err
	}
	return &Error{Msg: "UnmarshalDevalue: " + err.Error(), Err: err}
}

// jsType names a model value's JavaScript type for error messages.
func jsType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case undefined:
		return "undefined"
	case *big.Int:
		return "a BigInt"
	case *Object:
		return "an object"
	case *Array:
		return "an array"
	case *Map:
		return "a Map"
	case *Set:
		return "a Set"
	case *Date:
		return "a Date"
	case *RegExp:
		return "a RegExp"
	case *URL:
		return "a URL"
	case *URLSearchParams:
		return "a URLSearchParams"
	case *ArrayBuffer:
		return "an ArrayBuffer"
	case *TypedArray:
		return "a " + x.Type
	case *Boxed:
		return "a boxed " + jsType(x.Value)
	case *Temporal:
		return "a " + x.Type
	case *Tagged:
		return "a " + x.Tag
	}
	return fmt.Sprintf("a %T", v)
}
