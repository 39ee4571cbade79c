package devalue

import (
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/formaction/formaction/internal/oracle"
)

// Hostile input: texts whose cost, decoded naively, is out of all
// proportion to their length. Unmarshal must answer each with a value or
// an error, in memory proportional to the text, into every destination.

// hostileRecord has a field of each kind that allocates.
type hostileRecord struct {
	List  []int             `json:"list"`
	Lists [][]string        `json:"lists"`
	Names map[string]string `json:"names"`
	Next  *hostileRecord    `json:"next"`
	Pair  [2]int            `json:"pair"`
	Bytes []byte            `json:"bytes"`
	Any   any               `json:"any"`
}

// hostileTargets make a fresh value of each destination.
var hostileTargets = []func() any{
	func() any { return new(any) },
	func() any { return new([]int) },
	func() any { return new([][]string) },
	func() any { return new([4]int) },
	func() any { return new(map[string][]int) },
	func() any { return new(hostileRecord) },
	func() any { return new([]hostileRecord) },
	func() any { return new([][4]int) },
	func() any { return new([]string) },
	func() any { return new([][]byte) },
	func() any { return new(map[int][]int) },
	func() any { return new([]big.Int) },
	func() any { return new([]url.Values) },
}

// allocBudget is the most a decode of n bytes may allocate. The working
// state is a 16-byte token per value (at least two bytes each: `0,`), a
// slot index and a reference count per slot, a slot's model value (an
// interface, 16 bytes, plus up to 56 for an array or object); the result
// adds at most the size of one Go element per two bytes (24 for a slice
// header). Buffers grow by doubling, which can double each of these.
// 64 bytes per byte of text covers that with margin, and 64 KB covers what
// does not grow with the text (the pooled state's fixed arrays, a first
// chunk of strings, maps of a few entries).
func allocBudget(n int) uint64 { return 64*uint64(n) + 64<<10 }

// allocated returns the bytes f allocates. The count is the process's:
// the test must not run in parallel with others.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// refsTo is a slot of n references to slot i, alternating with slot j
// when j ≥ 0.
func refsTo(n, i, j int) string {
	var b strings.Builder
	b.WriteByte('[')
	for k := 0; k < n; k++ {
		if k > 0 {
			b.WriteByte(',')
		}
		if j >= 0 && k%2 == 1 {
			b.WriteString(strconv.Itoa(j))
		} else {
			b.WriteString(strconv.Itoa(i))
		}
	}
	b.WriteByte(']')
	return b.String()
}

// descendingSparse is a sparse array of length n whose every index is
// set, written from the last index down.
func descendingSparse(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[[-7,%d", n)
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&b, ",%d,1", i)
	}
	b.WriteString(`],7]`)
	return b.String()
}

// hostileTexts name each attack.
func hostileTexts() map[string]string {
	long := strings.Repeat("x", 20_000)
	buffer := base64.StdEncoding.EncodeToString(make([]byte, 30_000))
	texts := map[string]string{
		"sparse 2^32-1":           `[[-7,4294967295]]`,
		"sparse 2^24-1":           `[[-7,16777215]]`,
		"sparse with last index":  `[[-7,4294967295,4294967294,1],1]`,
		"sparse in a field":       `[{"list":1,"lists":2,"names":3,"next":4,"any":1,"pair":1},[-7,4294967295],[-7,16777215,0,1],{},{"list":2}]`,
		"sparse map values":       `[{"a":1,"b":2},[-7,4294967295],[-7,100000000]]`,
		"sparse shared":           `[` + refsTo(1000, 1, -1) + `,[-7,100000000]]`,
		"sparse typed keys":       `[["Map",1,2],1,[-7,50000000]]`,
		"descending sparse":       descendingSparse(10_000),
		"long BigInt":             `[["BigInt","` + strings.Repeat("9", 100_000) + `"]]`,
		"shared typed array":      `[` + refsTo(5000, 1, -1) + `,["Uint8Array",2],["ArrayBuffer","` + buffer + `"]]`,
		"shared long strings":     `[` + refsTo(5000, 1, 257) + `,"` + long + `"` + strings.Repeat(`,0`, 255) + `,"` + long + `y"]`,
		"shared struct long keys": `[` + refsTo(5000, 1, -1) + `,{"` + long + `":2,"list":3},1,[]]`,
		// Values made afresh for each reference: each costs two bytes.
		"shared long BigInt": `[` + refsTo(5000, 1, -1) + `,["BigInt","` + strings.Repeat("9", 10_000) + `"]]`,
		"shared long query":  `[` + refsTo(5000, 1, -1) + `,["URLSearchParams","` + strings.Repeat("a=1&", 2500) + `"]]`,
	}
	// Many sparse arrays, each claiming a length about the text's own.
	var many strings.Builder
	many.WriteString(`[[`)
	for i := 1; i <= 2000; i++ {
		if i > 1 {
			many.WriteByte(',')
		}
		many.WriteString(strconv.Itoa(i))
	}
	many.WriteString(`]`)
	for i := 1; i <= 2000; i++ {
		many.WriteString(`,[-7,30000]`)
	}
	many.WriteString(`]`)
	texts["many sparse"] = many.String()
	// Distinct views of one buffer.
	var views strings.Builder
	views.WriteString(`[[`)
	for i := 1; i <= 3000; i++ {
		if i > 1 {
			views.WriteByte(',')
		}
		views.WriteString(strconv.Itoa(i))
	}
	views.WriteString(`]`)
	for i := 1; i <= 3000; i++ {
		views.WriteString(`,["Uint8Array",3001]`)
	}
	views.WriteString(`,["ArrayBuffer","` + buffer + `"]]`)
	texts["views of one buffer"] = views.String()
	// A deep error path of long keys.
	var deep strings.Builder
	deep.WriteString("[")
	key := strings.Repeat("k", 100)
	for i := 0; i < 3000; i++ {
		deep.WriteString(`{"` + key + `":` + strconv.Itoa(i+1) + `},`)
	}
	deep.WriteString(`["Date"]]`)
	texts["deep error path"] = deep.String()
	return texts
}

// TestHostileInputIsCheap decodes each hostile text into each destination
// and fails when a decode allocates beyond allocBudget.
func TestHostileInputIsCheap(t *testing.T) {
	texts := hostileTexts()
	for _, name := range slices.Sorted(maps.Keys(texts)) {
		text := texts[name]
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			for _, target := range hostileTargets {
				dst := target()
				Unmarshal([]byte(`[0]`), target()) // the type's decoder, made once
				var err error
				n := allocated(func() { err = Unmarshal([]byte(text), dst) })
				if n > allocBudget(len(text)) {
					t.Errorf("%d bytes into %T: %d bytes allocated, more than %d; error %v",
						len(text), dst, n, allocBudget(len(text)), err)
				}
			}
		})
	}
}

// FuzzUnmarshalMemory fails when a decode into any of several destinations
// allocates more than allocBudget of the input's length.
func FuzzUnmarshalMemory(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	for _, s := range hostileTexts() {
		if len(s) < 4096 { // the fuzzer mutates small seeds well
			f.Add([]byte(s))
		}
	}
	for _, target := range hostileTargets {
		Unmarshal([]byte(`[0]`), target())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, target := range hostileTargets {
			dst := target()
			var err error
			n := allocated(func() { err = Unmarshal(data, dst) })
			if n > allocBudget(len(data)) {
				t.Fatalf("%q into %T: %d bytes allocated, more than %d; error %v", data, dst, n, allocBudget(len(data)), err)
			}
		}
	})
}

// Sparse indices may come in any order, and repeat: the array is what
// npm devalue's parse makes, each index set in turn, the last value
// winning.
func TestSparseIndicesInAnyOrder(t *testing.T) {
	for _, text := range []string{
		`[[-7,3,2,1,0,2,2,3],"a","b","c"]`,
		`[[-7,10,9,1,5,2,9,3,0,1,5,1],"a","b","c"]`,
		`[[-7,5,4,1,3,1,2,1,1,1,0,1],"x"]`,
		descendingSparse(50),
	} {
		want, err := oracle.Run(`import { parse, stringify } from "devalue-6";
			process.stdout.write(stringify(parse(` + strconv.Quote(text) + `)));`)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := Unmarshal([]byte(text), &v); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		got, err := Marshal(v)
		if err != nil || string(got) != want {
			t.Errorf("%s: Marshal(Unmarshal) is %s, %v; npm's stringify(parse) is %s", text, got, err, want)
		}
		var ints []int
		if err := Unmarshal([]byte(text), &ints); err == nil {
			var fromModel []int
			if err := viaModel([]byte(text), &fromModel); err != nil || !slices.Equal(ints, fromModel) {
				t.Errorf("%s: typed %v, model %v (%v)", text, ints, fromModel, err)
			}
		}
	}
	a, _ := NewSparseArray(10)
	for _, i := range []int{7, 3, 9, 3, 0} {
		a.Set(i, i*10)
	}
	if v, ok := a.At(3); !ok || v != 30 || a.populated() != 4 {
		t.Errorf("Set out of order: At(3) = %v, %v; %d populated", v, ok, a.populated())
	}
	if _, ok := a.At(4); ok {
		t.Error("At(4) is a hole")
	}
}

// A sparse array decodes into a Go slice of its JavaScript length, holes
// zero, when that length is within what the text could hold densely; a
// longer one is an error that says where it fits.
func TestSparseArraysIntoSlices(t *testing.T) {
	var small []string
	if err := Unmarshal([]byte(`[[-7,1000,999,1],"x"]`), &small); err != nil || len(small) != 1000 || small[999] != "x" {
		t.Errorf("a sparse array of 1,000: %d elements, %v", len(small), err)
	}
	var long []string
	err := Unmarshal([]byte(`[[-7,4294967295,4294967294,1],"x"]`), &long)
	if err == nil || !strings.Contains(err.Error(), "a sparse array of length 4294967295 is too long for a Go slice") {
		t.Errorf("a sparse array of 2^32-1: %v", err)
	}
	var a *Array
	if err := Unmarshal([]byte(`[[-7,4294967295,4294967294,1],"x"]`), &a); err != nil || a.Len() != 4294967295 {
		t.Errorf("into *Array: %v", err)
	}
	var four [4]string
	if err := Unmarshal([]byte(`[[-7,4294967295,1,1,4294967294,1],"x"]`), &four); err != nil || four != [4]string{"", "x"} {
		t.Errorf("into [4]string: %q, %v", four, err)
	}
	// The claims of all the sparse arrays in one text count together, in
	// bytes: 24 KB each, over the 32 KB a short text may claim at the second.
	var many [][]int
	err = Unmarshal([]byte(`[[1,2,3],[-7,3000],[-7,3000],[-7,3000]]`), &many)
	if err == nil || !strings.Contains(err.Error(), "too long for a Go slice (at [1])") {
		t.Errorf("three sparse arrays of 3,000: %v", err)
	}
}

// A struct referenced many times is decoded once: its repeats are copies,
// equal to what decoding afresh would make.
func TestRepeatedStructs(t *testing.T) {
	type inner struct {
		N    int      `json:"n"`
		Tags []string `json:"tags"`
	}
	var v []inner
	if err := Unmarshal([]byte(`[[1,1,1],{"n":2,"tags":3},7,[4],"a"]`), &v); err != nil {
		t.Fatal(err)
	}
	if len(v) != 3 || v[0].N != 7 || v[2].N != 7 || v[2].Tags[0] != "a" || &v[0].Tags[0] != &v[2].Tags[0] {
		t.Errorf("%+v", v)
	}
	// A destination that held something is decoded into, not copied over.
	w := [2]inner{{Tags: []string{"kept"}}, {N: 1}}
	if err := Unmarshal([]byte(`[[1,1],{"n":2},7]`), &w); err != nil || w[0].N != 7 || w[1].N != 7 || w[1].Tags != nil {
		t.Errorf("%+v, %v", w, err)
	}
}

// Views of one ArrayBuffer decoded into []byte share its memory, as they
// do in JavaScript, and appending to one does not write into another.
func TestByteViewsShareTheirBuffer(t *testing.T) {
	var v struct {
		A []byte `json:"a"`
		B []byte `json:"b"`
	}
	text := []byte(`[{"a":1,"b":2},["Uint8Array",3,0,2],["Uint8Array",3,1,2],["ArrayBuffer","AQID"]]`)
	if err := Unmarshal(text, &v); err != nil {
		t.Fatal(err)
	}
	if string(v.A) != "\x01\x02" || string(v.B) != "\x02\x03" || &v.A[1] != &v.B[0] {
		t.Errorf("%v %v", v.A, v.B)
	}
	_ = append(v.A, 9)
	if v.B[1] != 3 {
		t.Error("appending to one view wrote into the other")
	}
}

// BigInts are limited to Decoder.MaxBigIntDigits.
func TestBigIntDigitsLimit(t *testing.T) {
	bigint := func(digits int) []byte {
		return []byte(`[["BigInt","-` + strings.Repeat("9", digits) + `"]]`)
	}
	var n *big.Int
	if err := Unmarshal(bigint(DefaultMaxBigIntDigits), &n); err != nil || len(n.String()) != DefaultMaxBigIntDigits+1 {
		t.Errorf("%d digits: %v", DefaultMaxBigIntDigits, err)
	}
	err := Unmarshal(bigint(DefaultMaxBigIntDigits+1), &n)
	if err == nil || err.Error() != "devalue: a BigInt of 10001 digits is longer than the limit of 10000" {
		t.Errorf("%d digits: %v", DefaultMaxBigIntDigits+1, err)
	}
	var v any
	if err := (&Decoder{MaxBigIntDigits: 20}).Unmarshal(bigint(21), &v); err == nil {
		t.Error("21 digits with a limit of 20: no error")
	}
	if err := (&Decoder{MaxBigIntDigits: -1}).Unmarshal(bigint(20_000), &v); err != nil {
		t.Errorf("20,000 digits with no limit: %v", err)
	}
	// A reviver replaces the built-in BigInt, limit and all.
	d := Decoder{Revivers: map[string]Reviver{"BigInt": func(v any) (any, error) { return v, nil }}}
	if err := d.Unmarshal(bigint(20_000), &v); err != nil {
		t.Errorf("20,000 digits to a reviver: %v", err)
	}
}

// Unmarshal's errors say, to errors.As and errors.Is, what kind they are.
func TestErrorKinds(t *testing.T) {
	var v struct {
		N    int8           `json:"n"`
		Tags []string       `json:"tags"`
		M    map[int]string `json:"m"`
		Any  any            `json:"any"`
	}
	syntax := []struct {
		text         string
		offset, slot int
	}{
		{`[{"n":1},2`, 10, -1},
		{`[{"n":1},2}`, 10, -1},
		{`[{"n":7}]`, -1, 0},                          // a reference beyond the slots
		{`[{"tags":1},[2],["Date"]]`, -1, 2},          // a Date without its text
		{`[{"any":1},{"__proto__":2},3]`, -1, 1},      // into any
		{`[{"any":1},["Set",9]]`, -1, 1},              // a reference beyond the slots, in a Set
		{`[{"tags":1},[-7,2,5,2],"x"]`, -1, 1},        // an index beyond the length
		{`[{"tags":1},[2,2],["Unknown",0,0]]`, -1, 2}, // an unknown type
		{`[{"any":1},[2],{"k":1.5}]`, -1, 2},          // a reference that is not an integer
		{`[{"any":1},["Uint8Array",2,0,9],["ArrayBuffer",""]]`, -1, 1},
	}
	for _, tt := range syntax {
		err := Unmarshal([]byte(tt.text), &v)
		var de *Error
		var se *SyntaxError
		var te *UnmarshalTypeError
		if !errors.As(err, &de) || !errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, ErrLimit) {
			t.Errorf("%s: %v (%T); want an *Error caused by a *SyntaxError", tt.text, err, errors.Unwrap(err))
			continue
		}
		if se.Offset != int64(tt.offset) || se.Slot != tt.slot || se.Msg != de.Msg {
			t.Errorf("%s: %+v; want offset %d, slot %d", tt.text, se, tt.offset, tt.slot)
		}
	}
	types := []struct {
		text, value, typ, path string
	}{
		{`[{"n":1},"x"]`, "a string", "int8", ".n"},
		{`[{"n":1},300]`, "a number", "int8", ".n"},
		{`[{"tags":1},[2],["Date","2024-01-01T00:00:00.000Z"]]`, "a Date", "string", ".tags[0]"},
		{`[{"m":1},{"x":2},"v"]`, "a string", "int", `.m.x`},
	}
	for _, tt := range types {
		err := Unmarshal([]byte(tt.text), &v)
		var de *Error
		var te *UnmarshalTypeError
		var se *SyntaxError
		if !errors.As(err, &de) || !errors.As(err, &te) || errors.As(err, &se) {
			t.Errorf("%s: %v; want an *Error caused by an *UnmarshalTypeError", tt.text, err)
			continue
		}
		if te.Value != tt.value || te.Type.String() != tt.typ || te.Path != tt.path || de.Path != tt.path {
			t.Errorf("%s: %+v (%s); want %s into %s at %s", tt.text, te, te.Type, tt.value, tt.typ, tt.path)
		}
	}
	for _, text := range []string{
		`[["BigInt","` + strings.Repeat("1", DefaultMaxBigIntDigits+1) + `"]]`,
		`[[-7,4294967295]]`,
	} {
		var ints []int
		if err := Unmarshal([]byte(text), &ints); !errors.Is(err, ErrLimit) {
			t.Errorf("%.40s: %v; want ErrLimit", text, err)
		}
	}
	if err := (&Decoder{MaxDepth: 2}).Unmarshal([]byte(`[[1],[2],[3],[]]`), new(any)); !errors.Is(err, ErrLimit) {
		t.Errorf("nesting: %v; want ErrLimit", err)
	}
}

var errCelsius = errors.New("not a temperature")

type strictCelsius struct{}

func (*strictCelsius) UnmarshalDevalue(any) error { return errCelsius }

// Errors from Unmarshalers and revivers are wrapped: errors.Is finds them.
func TestErrorsWrapTheirCause(t *testing.T) {
	var v struct {
		C strictCelsius `json:"c"`
	}
	err := Unmarshal([]byte(`[{"c":1},2]`), &v)
	var de *Error
	if !errors.Is(err, errCelsius) || !errors.As(err, &de) || de.Path != ".c" || de.Msg != "UnmarshalDevalue: not a temperature" {
		t.Errorf("Unmarshaler: %v", err)
	}
	d := Decoder{Revivers: map[string]Reviver{"Celsius": func(any) (any, error) { return nil, errCelsius }}}
	if err := d.Unmarshal([]byte(`[["Celsius",1],2]`), new(any)); !errors.Is(err, errCelsius) {
		t.Errorf("reviver: %v", err)
	}
	var u struct {
		Home *url.URL `json:"home"`
	}
	var ue *url.Error
	if err := Unmarshal([]byte(`[{"home":1},["URL","http://a b/%zz"]]`), &u); !errors.As(err, &ue) {
		t.Errorf("URL: %v", err)
	}
	// A URL without a scheme, which new URL() refuses, is malformed text.
	var se *SyntaxError
	for _, href := range []string{"/relative", "not a url"} {
		text := `[{"home":1},["URL",` + strconv.Quote(href) + `]]`
		if err := Unmarshal([]byte(text), &u); !errors.As(err, &se) || se.Slot != 1 {
			t.Errorf("URL %q: %v", href, err)
		}
	}
	if _, err := Marshal(failingMarshaler{}); !errors.Is(err, errCelsius) {
		t.Errorf("Marshaler: %v", err)
	}
}

type failingMarshaler struct{}

func (failingMarshaler) MarshalDevalue() (any, error) { return nil, errCelsius }
