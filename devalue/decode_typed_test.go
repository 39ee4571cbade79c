package devalue

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The typed decoders (decode_typed.go) must do exactly what decoding into the
// model and assigning it (decode_assign.go) does: the model path is the
// reference. These tests decode the same texts both ways, into many types.

type diffInner struct {
	S string  `json:"s"`
	N int     `json:"n"`
	F float64 `json:"f"`
}

type DiffEmbedded struct {
	E string `json:"e"`
}

type diffHidden struct {
	H int `json:"h"`
}

type diffNode struct {
	Next *diffNode `json:"next"`
	Kids []diffNode
}

type diffName string

type diffCount int16

type diffRecord struct {
	DiffEmbedded
	*diffHidden
	I8      int8           `json:"i8"`
	I16     int16          `json:"i16"`
	I32     int32          `json:"i32"`
	I64     int64          `json:"i64"`
	U       uint           `json:"u"`
	U8      uint8          `json:"u8"`
	U16     uint16         `json:"u16"`
	U32     uint32         `json:"u32"`
	U64     uint64         `json:"u64"`
	UP      uintptr        `json:"up"`
	F32     float32        `json:"f32"`
	B       bool           `json:"b"`
	Name    diffName       `json:"name"`
	Count   diffCount      `json:"count"`
	When    time.Time      `json:"when"`
	WhenP   *time.Time     `json:"whenp"`
	Big     *big.Int       `json:"big"`
	Bytes   []byte         `json:"bytes"`
	Query   url.Values     `json:"query"`
	In      diffInner      `json:"in"`
	InP     *diffInner     `json:"inp"`
	InP2    *diffInner     `json:"inp2"`
	List    []diffInner    `json:"list"`
	Ptrs    []*diffInner   `json:"ptrs"`
	Arr     [3]int         `json:"arr"`
	Ints    map[string]int `json:"ints"`
	PtrMap  map[string]*diffInner
	AnyMap  map[string]any    `json:"anymap"`
	IntKeys map[int]string    `json:"intkeys"`
	Anys    []any             `json:"anys"`
	Any     any               `json:"any"`
	Skip    string            `json:"-"`
	Omit    string            `json:"omit,omitempty"`
	Node    *diffNode         `json:"node"`
	Custom  *diffUnmarshaler  `json:"custom"`
	Strs    map[string]string `json:"strs"`
}

// diffUnmarshaler decodes itself from the model.
type diffUnmarshaler struct{ Got string }

func (u *diffUnmarshaler) UnmarshalDevalue(v any) error {
	u.Got = fmt.Sprintf("%T", v)
	return nil
}

// diffTargets makes a fresh value of each destination type.
var diffTargets = []func() any{
	func() any { return new(int) }, func() any { return new(int8) }, func() any { return new(int16) },
	func() any { return new(int32) }, func() any { return new(int64) }, func() any { return new(uint) },
	func() any { return new(uint8) }, func() any { return new(uint16) }, func() any { return new(uint32) },
	func() any { return new(uint64) }, func() any { return new(uintptr) }, func() any { return new(float32) },
	func() any { return new(float64) }, func() any { return new(bool) }, func() any { return new(string) },
	func() any { return new(diffName) }, func() any { return new(diffCount) }, func() any { return new(time.Time) },
	func() any { return new(*time.Time) }, func() any { return new(*big.Int) }, func() any { return new([]byte) },
	func() any { return new(url.Values) }, func() any { return new(diffInner) }, func() any { return new(*diffInner) },
	func() any { return new(diffRecord) }, func() any { return new(*diffRecord) }, func() any { return new([]diffInner) },
	func() any { return new([]*diffInner) }, func() any { return new([3]int) }, func() any { return new(map[string]int) },
	func() any { return new(map[string]*diffInner) }, func() any { return new(map[string]any) },
	func() any { return new(map[int]string) }, func() any { return new([]any) }, func() any { return new(*diffNode) },
	func() any { return new(diffNode) }, func() any { return new([]string) }, func() any { return new(map[string]string) },
	func() any { return new(diffUnmarshaler) },
}

// viaModel decodes text into a new value of dst's type the reference way.
func viaModel(text []byte, dst any) error {
	var m any
	if err := Unmarshal(text, &m); err != nil {
		return err
	}
	a := assigner{seen: map[assignKey]reflect.Value{}, maxDepth: DefaultMaxDepth}
	return a.assign(reflect.ValueOf(dst).Elem(), m, 0)
}

// agree decodes text into a fresh value of each target both ways. With
// exact, errors must agree on what and where; else only on failing: on
// arbitrary texts the two ways may meet different errors first (a map's
// keys go in the text's order one way, integer-like keys first the other;
// a cycle gives two paths to one error).
func agree(t *testing.T, text []byte, targets []func() any, exact bool) int {
	t.Helper()
	checked := 0
	for _, target := range targets {
		typed, model := target(), target()
		errTyped := Unmarshal(text, typed)
		errModel := viaModel(text, model)
		checked++
		switch {
		case !exact && cycleThroughTag(errTyped, errModel):
			// A tag whose value refers back to it is revived from the
			// root in the model; the typed way may enter the cycle at the
			// tag and find it circular. Only arbitrary texts do this.
		case (errTyped == nil) != (errModel == nil):
			t.Errorf("%s into %T: typed error %v, model error %v", text, typed, errTyped, errModel)
		case errTyped != nil && exact && errTyped.Error() != errModel.Error():
			t.Errorf("%s into %T: typed error %q, model error %q", text, typed, errTyped, errModel)
		// reflect.DeepEqual, not cmp: its notion of equal values is the
		// lenient one this test wants, where two cyclic values are equal
		// when they unroll alike, whichever pointer a cycle closes on (a
		// cycle entered at another slot closes elsewhere; sharing is
		// tested on its own). cmp compares the pointer graphs, and only
		// writes the diff.
		case errTyped == nil && !reflect.DeepEqual(typed, model) && !sameText(typed, model):
			t.Errorf("%s into %T (-model +typed):\n%s", text, typed, cmp.Diff(model, typed, everyField, cmpopts.EquateNaNs()))
		}
	}
	return checked
}

// everyField lets cmp compare unexported fields: the model's types keep
// their state in them.
var everyField = cmp.Exporter(func(reflect.Type) bool { return true })

func cycleThroughTag(errs ...error) bool {
	for _, err := range errs {
		if err != nil && strings.Contains(err.Error(), "Invalid circular reference") {
			return true
		}
	}
	return false
}

// sameText compares values that DeepEqual cannot (NaN, cycles) by what
// Marshal writes of them, which shows sharing too.
func sameText(a, b any) bool {
	ta, errA := Marshal(a)
	tb, errB := Marshal(b)
	return errA == nil && errB == nil && string(ta) == string(tb)
}

// edgeTexts stress the typed decoders' fast paths and their way out.
var edgeTexts = []string{
	`[0]`, `[1]`, `[-1]`, `[127]`, `[128]`, `[-129]`, `[255]`, `[256]`, `[32767]`, `[32768]`, `[65535]`, `[65536]`,
	`[2147483647]`, `[2147483648]`, `[-2147483649]`, `[4294967295]`, `[4294967296]`,
	`[9007199254740991]`, `[9007199254740992]`, `[-9007199254740993]`, `[1e300]`, `[1.5]`, `[-0.0]`, `[1e2]`,
	`-1`, `-3`, `-4`, `-5`, `-6`, `[null]`, `[true]`, `[false]`, `["x"]`, `["\u00e9\n\ud83d\ude00"]`,
	`["a\ud800b"]`, `[["Date","2024-02-29T12:30:00.007Z"]]`, `[["Date","x"]]`, `[["Date","+275760-09-13T00:00:00.000Z"]]`,
	`[["BigInt","123"]]`, `[["BigInt","-9007199254740993"]]`, `[["Set",1,2],"a","b"]`, `[["Map",1,2],"k",3]`,
	`[[-7,5,1,1],"x"]`, `[[1,-2,1],"x"]`, `[[1,2,3],"a","b","c"]`, `[[1,1],{"s":2},"q"]`, `[[],{}]`, `[{}]`, `[[]]`,
	`[{"s":1,"n":2,"f":3},"str",7,1.5]`, `[{"S":1,"N":2},"str",7]`, `[{"s":1,"s":2},"first","last"]`,
	`[{"__proto__":1},2]`, `[{"s":9}]`, `[{"s":[1]}]`, `[{"s":-2}]`, `[{"n":1},"not a number"]`,
	`[{"next":0}]`, `[{"next":1},{"next":0}]`, `[{"next":-0}]`, `[{"Kids":1},[2,2],{"next":0}]`,
	`[{"inp":1,"inp2":1},{"s":2,"n":3},"shared",4]`, `[{"ptrs":1},[2,2,-1],{"s":3},"x"]`,
	`[{"ints":1},{"a":2,"b":-1,"c":3},1,2.5]`, `[{"anymap":1},{"a":2},["Map",3,4],"k","v"]`,
	`[{"intkeys":1},{"1":2,"-5":2,"x":2},"v"]`, `[{"strs":1,"anymap":1},{"a":2},"v"]`,
	`[{"arr":1},[2,2,2,2],5]`, `[{"when":1,"whenp":1},["Date","2001-02-03T04:05:06.789Z"]]`,
	`[{"big":1,"i64":1},["BigInt","42"]]`, `[{"bytes":1},["Uint8Array",2],["ArrayBuffer","AQID"]]`,
	`[{"query":1},["URLSearchParams","a=1&a=2"]]`, `[{"any":1,"anys":2},["null","k",3],[1,3,-1],"v"]`,
	`[{"e":1,"h":2},"emb",5]`, `[{"custom":1},{"x":2},3]`, `[{"name":1,"count":2},"n",40000]`,
	`[{"i8":1,"u8":2,"u":3},-1,300,-5]`, `[{"f32":1},1e40]`, `[{"omit":1,"Skip":1},"x"]`,
	`[["null","s",1],"v"]`, `[{"b":1},"true"]`, `[{"list":1},[2,-2,2],{"n":3},4]`, `[{"list":1},[-1]]`,
	`[{"s":1}` + `,"` + strings.Repeat("long ", 100) + `"]`,
	// A string is no index, even one with an escape whose place in the
	// text is a slot's number.
	`[{"count":"\u0031","n":"\u0032"}` + strings.Repeat(",5", 20) + `]`,
}

func TestTypedDecodersAgreeWithModel(t *testing.T) {
	checked := 0
	for _, text := range edgeTexts {
		checked += agree(t, []byte(text), diffTargets, true)
	}
	// Random records, written by Marshal, read back into many types.
	r := rand.New(rand.NewPCG(7, 11))
	for n := 0; n < 300; n++ {
		text, err := Marshal(randomRecord(r))
		if err != nil {
			t.Fatal(err)
		}
		checked += agree(t, text, diffTargets, true)
	}
	t.Logf("%d texts × types checked", checked)
}

func randomRecord(r *rand.Rand) any {
	str := func() string {
		return []string{"", "a", "é", "<b>", "\u2028", strings.Repeat("x", r.IntN(40)), "__proto__", "S"}[r.IntN(8)]
	}
	num := func() float64 {
		return []float64{0, 1, -1, 1.5, 1e21, 300, 70000, 5e9, 9007199254740991}[r.IntN(9)]
	}
	inner := &diffInner{S: str(), N: r.IntN(1000) - 500, F: num()}
	node := &diffNode{}
	if r.IntN(2) == 0 {
		node.Next = node // a cycle
	}
	m := map[string]any{
		"s": str(), "n": num(), "f": num(), "i8": num(), "u8": num(), "u16": num(), "i64": num(),
		"b": r.IntN(2) == 0, "name": str(), "count": num(), "when": time.UnixMilli(r.Int64N(1e13)).UTC(),
		"in": inner, "inp": inner, "inp2": inner, "list": []*diffInner{inner, inner},
		"ptrs": []any{inner, nil}, "arr": []any{num(), num()}, "ints": map[string]any{"a": num(), "1": num()},
		"anymap": map[string]any{"k": str()}, "anys": []any{str(), num(), nil}, "any": inner,
		"node": node, "custom": map[string]any{"x": num()}, "strs": map[string]any{"a": str()},
		"e": str(), "h": num(), "query": url.Values{"q": {str()}}, "bytes": []byte{1, 2},
	}
	// Drop some keys, and sometimes put a value of the wrong kind.
	for k := range m {
		switch r.IntN(6) {
		case 0:
			delete(m, k)
		case 1:
			m[k] = []any{str(), num(), true, nil, Undefined}[r.IntN(5)]
		}
	}
	return m
}

// FuzzTypedAgreesWithModel runs the comparison on arbitrary texts.
func FuzzTypedAgreesWithModel(f *testing.F) {
	for _, text := range edgeTexts {
		f.Add([]byte(text))
	}
	targets := []func() any{
		func() any { return new(diffRecord) }, func() any { return new(*diffNode) }, func() any { return new(map[string]int) },
		func() any { return new([]diffInner) }, func() any { return new(int8) }, func() any { return new(string) },
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		agree(t, text, targets, false)
	})
}

type linked struct {
	Next *linked `json:"n"`
}

// A pointer to a struct is one level of nesting, as the object it reads
// is: a chain that decodes into any within MaxDepth decodes into *linked
// too (it counted two levels a link, and was refused at half the limit).
func TestPointerChainsCountOneLevelALink(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < DefaultMaxDepth-10; i++ {
		b.WriteString(`{"n":` + strconv.Itoa(i+1) + `},`)
	}
	b.WriteString(`null]`)
	var v any
	if err := Unmarshal([]byte(b.String()), &v); err != nil {
		t.Fatal("into any:", err)
	}
	var l *linked
	if err := Unmarshal([]byte(b.String()), &l); err != nil {
		t.Fatal("into *linked:", err)
	}
	n := 0
	for ; l != nil; l = l.Next {
		n++
	}
	if n != DefaultMaxDepth-10 {
		t.Errorf("%d links, want %d", n, DefaultMaxDepth-10)
	}
}
