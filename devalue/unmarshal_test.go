package devalue

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/formaction/formaction/internal/oracle"
)

// stringify is npm devalue 6.0.3's text for a JavaScript expression.
func stringify(t *testing.T, expr string) []byte {
	t.Helper()
	s, err := oracle.Stringify("devalue-6", expr)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(s)
}

type profile struct {
	Name     string            `json:"name"`
	Age      int               `json:"age"`
	Score    float32           `json:"score"`
	Joined   time.Time         `json:"joined"`
	Big      *big.Int          `json:"big"`
	Avatar   []byte            `json:"avatar"`
	Tags     []string          `json:"tags"`
	Fixed    [2]int            `json:"fixed"`
	Counts   map[string]int    `json:"counts"`
	ByID     map[int]string    `json:"byId"`
	Home     *url.URL          `json:"home"`
	Query    url.Values        `json:"query"`
	Friend   *profile          `json:"friend"`
	Any      any               `json:"any"`
	Nested   struct{ Ok bool } `json:"nested"`
	Ignored  string            `json:"-"`
	CaseFold string
}

func TestUnmarshalTyped(t *testing.T) {
	text := stringify(t, `(() => {
		const p = { name: "Ada", age: 36, score: 1.5, joined: new Date(Date.UTC(2024, 1, 29, 12, 30, 0, 7)),
			big: 2n ** 70n, avatar: new Uint8Array([1, 2, 3]), tags: ["a", "b"], fixed: [7, 8, 9],
			counts: { a: 1, b: 2 }, byId: new Map([[1, "one"], [2, "two"]]), home: new URL("https://example.com/x?y=1"),
			query: new URLSearchParams("q=a+b&q=c"), any: new Set([1]), nested: { Ok: true }, "-": "dash", casefold: "folded" };
		p.friend = p;
		return p;
	})()`)
	var p profile
	if err := Unmarshal(text, &p); err != nil {
		t.Fatal(err)
	}
	if p.Name != "Ada" || p.Age != 36 || p.Score != 1.5 || !p.Joined.Equal(time.Date(2024, 2, 29, 12, 30, 0, 7e6, time.UTC)) {
		t.Errorf("scalars: %+v", p)
	}
	if p.Big.String() != "1180591620717411303424" || string(p.Avatar) != "\x01\x02\x03" {
		t.Errorf("big, bytes: %v %v", p.Big, p.Avatar)
	}
	if diff := cmp.Diff([]string{"a", "b"}, p.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if p.Fixed != [2]int{7, 8} || p.Counts["b"] != 2 || p.ByID[2] != "two" || p.Home.Host != "example.com" {
		t.Errorf("fixed, maps, url: %v %v %v %v", p.Fixed, p.Counts, p.ByID, p.Home)
	}
	if diff := cmp.Diff(url.Values{"q": {"a b", "c"}}, p.Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	if !p.Nested.Ok || p.CaseFold != "folded" {
		t.Errorf("nested, case folding: %v %q", p.Nested, p.CaseFold)
	}
	if p.Friend != &p && p.Friend.Friend != p.Friend {
		t.Errorf("the cycle p.friend = p was not kept")
	}
	if s, ok := p.Any.(*Set); !ok || len(s.Items) != 1 || s.Items[0] != 1.0 {
		t.Errorf("an any field holds %#v, want the model's *Set", p.Any)
	}
}

// Shared references decode to shared Go pointers.
func TestUnmarshalSharedPointers(t *testing.T) {
	type node struct {
		Name string `json:"name"`
	}
	var v struct {
		A, B *node
		List []*node
	}
	if err := Unmarshal(stringify(t, `(() => { const n = { name: "x" }; return { A: n, B: n, List: [n] }; })()`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != v.B || v.A != v.List[0] || v.A.Name != "x" {
		t.Fatalf("shared references decoded apart: %p %p %p", v.A, v.B, v.List[0])
	}
}

// Mismatches are errors with a JavaScript path to the value.
func TestUnmarshalErrorsHavePaths(t *testing.T) {
	type inner struct {
		Array []int `json:"array"`
	}
	var v struct {
		Foo inner          `json:"foo"`
		M   map[string]int `json:"m"`
		N   int8           `json:"n"`
	}
	for _, tt := range []struct {
		expr, path, msg string
	}{
		{`({ foo: { array: ["x"] } })`, ".foo.array[0]", "cannot unmarshal a string into a Go int"},
		{`({ m: { "a b": new Date(0) } })`, `.m["a b"]`, "cannot unmarshal a Date into a Go int"},
		{`({ n: 300 })`, ".n", "300 overflows a Go int8"},
		{`({ n: 1.5 })`, ".n", "cannot unmarshal a number into a Go int8"},
		{`({ foo: new Map() })`, ".foo", "cannot unmarshal a Map into a Go devalue.inner"},
	} {
		err := Unmarshal(stringify(t, tt.expr), &v)
		var de *Error
		if !errors.As(err, &de) || de.Path != tt.path || de.Msg != tt.msg {
			t.Errorf("%s: %v; want %q at %s", tt.expr, err, tt.msg, tt.path)
		}
	}
	var m map[string]map[string]int
	err := Unmarshal(stringify(t, `({ m: new Map([["k", { x: "no" }]]) })`), &struct{ M *Map }{})
	if err != nil {
		t.Errorf("decoding a Map into *Map: %v", err)
	}
	_ = m
}

// Marshal errors carry the path too.
func TestMarshalErrorsHavePaths(t *testing.T) {
	m := &Map{}
	m.Set("key", map[string]any{"f": func() {}})
	for _, tt := range []struct {
		v    any
		path string
	}{
		{map[string]any{"foo": map[string]any{"array": []any{make(chan int)}}}, `.foo.array[0]`},
		{map[string]any{"foo": map[string]any{"string-key": m}}, `.foo["string-key"].get("key").f`},
		{[]any{int64(1 << 60)}, `[0]`},
		{map[string]any{"__proto__": 1}, ``},
	} {
		_, err := Marshal(tt.v)
		var de *Error
		if !errors.As(err, &de) || de.Path != tt.path {
			t.Errorf("Marshal(%v): %v; want an error at %q", tt.v, err, tt.path)
		}
	}
	if b, err := (&Encoder{BigInts: true}).Marshal(int64(1 << 60)); err != nil || string(b) != string(stringify(t, `1n << 60n`)) {
		t.Errorf("with BigInts: %s, %v", b, err)
	}
}

// Reducers and revivers carry custom types, and a Go type can choose its
// own representation.
func TestCustomTypes(t *testing.T) {
	type point struct{ X, Y int }
	enc := Encoder{Reducers: []Reducer{{Name: "Vector", Reduce: func(v any) (any, bool) {
		p, ok := v.(point)
		return []any{p.X, p.Y}, ok
	}}}}
	got, err := enc.Marshal(map[string]any{"v": point{30, 40}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := oracle.Run(`import { stringify } from "devalue-6";
		class Vector { constructor(x, y) { this.x = x; this.y = y } }
		process.stdout.write(stringify({ v: new Vector(30, 40) }, { Vector: (v) => v instanceof Vector && [v.x, v.y] }));`)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("reducer: %s, want %s", got, want)
	}
	dec := Decoder{Revivers: map[string]Reviver{"Vector": func(v any) (any, error) {
		a := v.(*Array)
		x, _ := a.At(0)
		y, _ := a.At(1)
		return point{int(x.(float64)), int(y.(float64))}, nil
	}}}
	var back map[string]any
	if err := dec.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if back["v"] != (point{30, 40}) {
		t.Fatalf("reviver: %#v", back)
	}
	var generic any
	if err := Unmarshal(got, &generic); err != nil {
		t.Fatal(err)
	}
	if v, _ := generic.(*Object).Get("v"); v.(*Tagged).Tag != "Vector" {
		t.Fatalf("without a reviver: %#v", v)
	}
	if text, err := Marshal(vector{30, 40}); err != nil || !strings.Contains(string(text), `["Vector",`) {
		t.Fatalf("Marshaler: %s %v", text, err)
	}
}

// Every malformed class of the reference is an error, never a panic.
func TestMalformedInput(t *testing.T) {
	for _, text := range []string{
		``, `[]`, `{}`, `"x"`, `0`, `1`, `-2`, `-7`, `42`, `[`, `[1,]`, `[01]`, `nul`, `[1] x`,
		`[{"a":1}]`, `[{"a":"push"}]`, `[{"a":1.5}]`, `[{"a":-8}]`, `[[1]]`, `[{"__proto__":1},1]`,
		`[["null","__proto__",1],1]`, `[["null",1,1],1]`, `[["null","a"]]`, `[["Map",1]]`, `[["Set","a"]]`,
		`[[-7]]`, `[[-7,-1]]`, `[[-7,1.5]]`, `[[-7,4294967296]]`, `[[-7,3,3,0]]`, `[[-7,3,-1,0]]`, `[[-7,3,"__proto__",0]]`, `[[-7,3,0]]`,
		`[["Uint8Array",1],{"length":2}]`, `[["Int8Array",1],{"length":2},1e9]`, `[["Uint8Array",5]]`, `[["Uint8Array",0]]`,
		`[["Uint8Array",1,0,9],["ArrayBuffer","AAAA"]]`, `[["Int16Array",1],["ArrayBuffer","AAAA"]]`, `[["Uint8Array",1,3,2],["ArrayBuffer","AAA="]]`,
		`[["ArrayBuffer",{"length":1e9}]]`, `[["ArrayBuffer","!!!"]]`, `[["Object",1],{}]`, `[["Object",1],[1]]`, `[["Object",-1]]`,
		`[["Custom",0]]`, `[["Unknown"]]`, `[["BigInt","12x"]]`, `[["BigInt",12]]`, `[["Date",1]]`, `[["RegExp"]]`,
		`[["Date"]]`, `[["URL"]]`, `[[1,2,` + strings.Repeat("[", 100) + `]]`,
		// What new RegExp and new URL refuse (npm devalue 6.0.3 throws).
		`[["RegExp","a","uv"]]`, `[["URL","not a url"]]`, `[["URL","/relative"]]`, `[["URL",":x"]]`,
	} {
		var v any
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("Unmarshal(%q) panicked: %v", text, p)
				}
			}()
			if err := Unmarshal([]byte(text), &v); err == nil {
				t.Errorf("Unmarshal(%q) = %#v, want an error", text, v)
			}
		}()
	}
}

// A claimed length costs nothing until it is filled.
func TestHugeLengthsAllocateNothing(t *testing.T) {
	text := []byte(`[[-7,4294967295,4294967294,1],"x"]`)
	allocs := testing.AllocsPerRun(10, func() {
		var v any
		if err := Unmarshal(text, &v); err != nil {
			t.Fatal(err)
		}
	})
	var v any
	Unmarshal(text, &v)
	if a := v.(*Array); a.Len() != 4294967295 {
		t.Fatalf("length %d", a.Len())
	}
	if allocs > 40 {
		t.Errorf("%v allocations for a one-element sparse array", allocs)
	}
	if out, _ := Marshal(v); string(out) != string(text) {
		t.Errorf("round trip: %s", out)
	}
}

// Nesting beyond the limit is an error, not a stack overflow.
func TestDepthLimit(t *testing.T) {
	const n = 20000
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < n; i++ {
		b.WriteString(`{"a":` + itoa(i+1) + `},`)
	}
	b.WriteString(`"leaf"]`)
	var v any
	err := Unmarshal([]byte(b.String()), &v)
	if err == nil || !strings.Contains(err.Error(), "nest more than") {
		t.Fatalf("a %d-deep chain: %v", n, err)
	}
	dec := Decoder{MaxDepth: n + 10}
	if err := dec.Unmarshal([]byte(b.String()), &v); err != nil {
		t.Fatalf("with MaxDepth above the depth: %v", err)
	}
}

func itoa(i int) string { return big.NewInt(int64(i)).String() }

// Strings a Go string cannot hold (unpaired surrogates) do not panic.
func TestLoneSurrogates(t *testing.T) {
	for _, text := range []string{`["\ud800"]`, `["a\udfffb"]`, `[{"\ud83d":1},2]`, `["\ud83d\ude00"]`} {
		var v any
		if err := Unmarshal([]byte(text), &v); err != nil {
			t.Errorf("%s: %v", text, err)
		}
	}
	var s string
	Unmarshal([]byte(`["\ud83d\ude00"]`), &s)
	if s != "😀" {
		t.Errorf("a surrogate pair decoded to %q", s)
	}
}

func TestNumbersFormatAsJavaScript(t *testing.T) {
	tenth, fifth := 0.1, 0.2 // variables: Go's constant arithmetic is exact
	values := []float64{0, 1, -1, 0.5, 1e21, 1e-7, -1e-7, 1e-6, 123456789012345680000, 1 << 53, 5e-324, math.MaxFloat64,
		1.5e300, tenth + fifth, 1234567, 1e20, 123e-20, 1e15, 1e16 + 2, 0.000123, 4.35, 1.0000000000000002, -1.5e-10}
	var js []string
	for _, f := range values {
		js = append(js, string(appendNumber(nil, f)))
	}
	want, err := oracle.Run(`const xs = [0, 1, -1, 0.5, 1e21, 1e-7, -1e-7, 1e-6, 123456789012345680000, 2**53, 5e-324, Number.MAX_VALUE,
		1.5e300, 0.1 + 0.2, 1234567, 1e20, 123e-20, 1e15, 1e16 + 2, 0.000123, 4.35, 1.0000000000000002, -1.5e-10];
		process.stdout.write(xs.map(String).join(" "));`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(js, " "); got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
}

// celsius decodes itself from the lossless model.
type celsius struct{ Degrees float64 }

func (c *celsius) UnmarshalDevalue(v any) error {
	t, ok := v.(*Tagged)
	if !ok || t.Tag != "Celsius" {
		return errors.New("not a Celsius value")
	}
	f, ok := t.Value.(float64)
	if !ok {
		return errors.New("Celsius holds no number")
	}
	c.Degrees = f
	return nil
}

func (c celsius) MarshalDevalue() (any, error) { return &Tagged{Tag: "Celsius", Value: c.Degrees}, nil }

func TestMarshalerAndUnmarshaler(t *testing.T) {
	in := map[string]celsius{"today": {21.5}}
	text, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]celsius
	if err := Unmarshal(text, &out); err != nil {
		t.Fatal(err)
	}
	if out["today"].Degrees != 21.5 {
		t.Fatalf("%s decoded to %v", text, out)
	}
	var bad map[string]celsius
	err = Unmarshal(stringify(t, `({ today: 3 })`), &bad)
	var de *Error
	if !errors.As(err, &de) || de.Path != ".today" || !strings.Contains(de.Msg, "not a Celsius value") {
		t.Fatalf("a wrong value: %v", err)
	}
}

// A nil pointer to a Marshaler is null wherever it is, as in encoding/json:
// celsius's method has a value receiver, which a nil *celsius cannot call.
func TestNilMarshalerIsNull(t *testing.T) {
	var none *celsius
	for _, tc := range []struct {
		in   any
		want string
	}{
		{none, "[null]"},
		{map[string]any{"t": none}, `[{"t":1},null]`},
		{[]any{none}, "[[1],null]"},
		{map[string]*celsius{"t": none}, `[{"t":1},null]`},
		{struct{ T *celsius }{none}, `[{"T":1},null]`},
	} {
		text, err := Marshal(tc.in)
		if err != nil || string(text) != tc.want {
			t.Errorf("Marshal(%#v) = %s, %v; want %s", tc.in, text, err, tc.want)
		}
	}
}

// Typed values survive Marshal then Unmarshal: what Go writes, Go reads
// back into the same types.
func TestTypedRoundTrip(t *testing.T) {
	g := &generator{r: randNew(seed(t))}
	for i := 0; i < 300; i++ {
		in := g.value(0)
		r, ok := in.(*record)
		if !ok {
			continue
		}
		text, err := Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var out *record
		if err := Unmarshal(text, &out); err != nil {
			t.Fatalf("Unmarshal(%s): %v", text, err)
		}
		again, err := Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(text) {
			t.Fatalf("record round trip:\n first %s\nsecond %s", text, again)
		}
	}
	p := benchPayload(50)
	text, _ := Marshal(p)
	var back benchResult
	if err := Unmarshal(text, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := Marshal(back); string(again) != string(text) {
		t.Fatalf("benchmark payload round trip differs")
	}
	if back.Records[0].Team != back.Records[10].Team {
		t.Fatal("shared teams decoded apart")
	}
}

// References written as other numbers (0.0, -0, 1e0) are references all
// the same, to npm devalue: cycles through them must close, not recurse.
func TestReferencesInOtherNumberForms(t *testing.T) {
	type node struct {
		Next *node `json:"next"`
	}
	for _, in := range []string{`[{"next":0}]`, `[{"next":0.0}]`, `[{"next":-0}]`, `[{"next":0e5}]`} {
		var p *node
		if err := Unmarshal([]byte(in), &p); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if p.Next != p {
			t.Errorf("%s: the cycle is not closed", in)
		}
	}
}

// Objects whose values are all references are held compactly while
// parsing; one value that is not (-0 refers to slot 0 too) turns the
// object back into pairs. Both forms must read alike, repeated keys
// included (JSON.parse keeps the last value, in the first key's place).
func TestObjectForms(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`[{"a":1,"b":2},"x","y"]`, `a=x b=y`},
		{`[{"a":1,"a":2},"x","y"]`, `a=y`},
		{`[{"a":1,"b":-0,"c":2},"x","y"]`, `a=x b=<self> c=y`},
		{`[{"a":1,"b":2,"a":-0},"x","y"]`, `a=<self> b=y`},
		{`[{"b":-0,"a":1,"b":2},"x","y"]`, `b=y a=x`},
		{`[{"a":1.0,"b":2e0},"x","y"]`, `a=x b=y`},
	} {
		var v any
		if err := Unmarshal([]byte(c.in), &v); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		o := v.(*Object)
		var got []string
		for _, k := range o.Keys() {
			x, _ := o.Get(k)
			if x == v {
				x = "<self>"
			}
			got = append(got, fmt.Sprintf("%s=%v", k, x))
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s into any: %s, want %s", c.in, g, c.want)
		}
		// Typed, the same values.
		var m map[string]any
		if err := Unmarshal([]byte(c.in), &m); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		for _, kv := range got {
			k, want, _ := strings.Cut(kv, "=")
			if want == "<self>" {
				continue
			}
			if m[k] != want {
				t.Errorf("%s into a map: %s=%v, want %s", c.in, k, m[k], want)
			}
		}
		if len(m) != len(got) {
			t.Errorf("%s into a map: %v", c.in, m)
		}
	}
}

// A pointer to a plain value marshals as the value: sentinels included,
// which no slot can hold. Only a chain of pointers can loop, and that is
// an error, not a hang.
func TestPointersToPlainValues(t *testing.T) {
	nan, negZero, s, n := math.NaN(), math.Copysign(0, -1), "x", 5
	ps := &s
	for _, c := range []struct{ ptr, val any }{
		{&nan, nan}, {&negZero, negZero}, {&s, s}, {&n, n}, {&ps, s},
		{struct{ P *float64 }{&nan}, struct{ P float64 }{nan}},
		{[]*string{&s, &s, nil}, []any{s, s, nil}},
	} {
		got, err := Marshal(c.ptr)
		if err != nil {
			t.Fatalf("%#v: %v", c.ptr, err)
		}
		want, _ := Marshal(c.val)
		if string(got) != string(want) {
			t.Errorf("Marshal(%#v) = %s, want %s as for the value", c.ptr, got, want)
		}
	}
	var loop any
	loop = &loop
	if _, err := Marshal(loop); err == nil || !strings.Contains(err.Error(), "chain") {
		t.Errorf("a loop of pointers: %v", err)
	}
}

// TestSharedShapes: decoded objects with the same keys share them, and
// changing one object changes no other.
func TestSharedShapes(t *testing.T) {
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} // more than 8: indexed
	var text strings.Builder
	text.WriteString(`[[1,2,3],`)
	for r := 0; r < 3; r++ {
		text.WriteString("{")
		for n, k := range keys {
			if n > 0 {
				text.WriteString(",")
			}
			fmt.Fprintf(&text, "%q:4", k)
		}
		text.WriteString("},")
	}
	text.WriteString(`"v"]`)
	var v any
	if err := Unmarshal([]byte(text.String()), &v); err != nil {
		t.Fatal(err)
	}
	arr := v.(*Array)
	obj := func(n int) *Object { o, _ := arr.At(n); return o.(*Object) }
	a, b, c := obj(0), obj(1), obj(2)
	if a.shape != b.shape || b.shape != c.shape {
		t.Error("objects with the same keys do not share them")
	}
	a.Set("new", 1.0)
	b.Set("j", "changed")
	b.Set("other", 2.0)
	for _, tc := range []struct {
		o    *Object
		key  string
		want any
		ok   bool
	}{
		{a, "new", 1.0, true}, {a, "other", nil, false}, {a, "j", "v", true},
		{b, "other", 2.0, true}, {b, "new", nil, false}, {b, "j", "changed", true},
		{c, "new", nil, false}, {c, "other", nil, false}, {c, "j", "v", true}, {c, "a", "v", true},
	} {
		if got, ok := tc.o.Get(tc.key); ok != tc.ok || got != tc.want {
			t.Errorf("Get(%q) = %v, %v; want %v, %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
	if got := c.Keys(); !slices.Equal(got, keys) {
		t.Errorf("c.Keys() = %v", got)
	}
	if a.Len() != 11 || b.Len() != 11 || c.Len() != 10 {
		t.Errorf("lengths %d %d %d", a.Len(), b.Len(), c.Len())
	}
	if got := a.Keys(); got[10] != "new" {
		t.Errorf("a.Keys() = %v", got)
	}
	// A copy of an object that then grows keeps its own keys.
	d := *a
	a.Set("more", 3.0)
	if _, ok := d.Get("more"); ok || d.Len() != 11 {
		t.Errorf("a copy sees a key added after it was made")
	}
	out, err := Marshal(c)
	if err != nil || string(out) != `[{"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1,"i":1,"j":1},"v"]` {
		t.Errorf("Marshal(c) = %s, %v", out, err)
	}
}

// TestShapeNearMisses: objects whose keys differ only after their first
// key, in one byte of a short or a long key, or in how a key is written,
// get their own keys, not those of the object remembered before them.
func TestShapeNearMisses(t *testing.T) {
	for _, tc := range []struct {
		text string
		want [2]string // each object's keys, joined by commas
	}{
		{`[[1,2],{"a":3,"bc":3},{"a":3,"bd":3},"v"]`, [2]string{"a,bc", "a,bd"}},
		{`[[1,2],{"a":3,"bcdefgh":3},{"a":3,"bcdefgi":3},"v"]`, [2]string{"a,bcdefgh", "a,bcdefgi"}},
		{`[[1,2],{"a":3,"bcdefghij":3},{"a":3,"bcdefghik":3},"v"]`, [2]string{"a,bcdefghij", "a,bcdefghik"}},
		{`[[1,2],{"a":3,"b":3},{"a":3,"c":3},"v"]`, [2]string{"a,b", "a,c"}},
		{`[[1,2],{"a":3,"":3},{"a":3,"":3},"v"]`, [2]string{"a,", "a,"}},
		{`[[1,2],{"a":3,"b\u0063":3},{"a":3,"bc":3},"v"]`, [2]string{"a,bc", "a,bc"}},
		{`[[1,2],{"a":3,"bc":3},{"a":3,"b\u0063":3},"v"]`, [2]string{"a,bc", "a,bc"}},
		{`[[2,1],{"a":0,"b":0},{"a":0,"c":0}]`, [2]string{"a,c", "a,b"}}, // the last key at the text's end
	} {
		var v any
		if err := Unmarshal([]byte(tc.text), &v); err != nil {
			t.Fatalf("%s: %v", tc.text, err)
		}
		for n, want := range tc.want {
			e, _ := v.(*Array).At(n)
			if got := strings.Join(e.(*Object).Keys(), ","); got != want {
				t.Errorf("%s: object %d has keys %q, want %q", tc.text, n, got, want)
			}
		}
	}
}

// TestDecimalsAgreeWithParseFloat checks the scanner's short path for
// numbers such as 1.25 against strconv, on the edges and on random
// numbers of up to 17 digits (past the path's 15, where strconv takes
// over).
func TestDecimalsAgreeWithParseFloat(t *testing.T) {
	texts := []string{"0", "-0", "0.0", "-0.0", "0.1", "0.3", "1.25", "-1.25", "9.99999999999999",
		"999999999999999", "99999999999999.9", "0.000000000000001", "0.00000000000001", "123456789.012345",
		"1234567890123456", "0.1234567890123456", "9007199254740993", "4.35", "2.675"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		digits := make([]byte, 1+r.IntN(17))
		for i := range digits {
			digits[i] = byte('0' + r.IntN(10))
		}
		whole := 1 + r.IntN(len(digits))
		text := strings.TrimLeft(string(digits[:whole]), "0")
		if text == "" {
			text = "0"
		}
		if whole < len(digits) {
			text += "." + string(digits[whole:])
		}
		if r.IntN(2) == 0 {
			text = "-" + text
		}
		texts = append(texts, text)
	}
	for _, text := range texts {
		want, err := strconv.ParseFloat(text, 64)
		if err != nil {
			t.Fatal(err)
		}
		var got any
		if err := Unmarshal([]byte("["+text+"]"), &got); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if g, ok := got.(float64); !ok || math.Float64bits(g) != math.Float64bits(want) {
			t.Fatalf("%s: got %v (%T), want %v", text, got, got, want)
		}
	}
}

// TestKeyRunsAgreeWithScanning checks the scanner's memory of recent
// objects' keys, which it matches in place, and the shapes the decoder
// reuses for objects it marks: random objects whose keys come from a few
// shapes and their prefixes (short and long keys, an empty one, escaped
// ones, a repeated one) must decode as they do when a space before each
// colon keeps the scanner from remembering any key.
func TestKeyRunsAgreeWithScanning(t *testing.T) {
	pool := []string{`"id"`, `"name"`, `"email"`, `"comments"`, `"updated_at"`, `"a_key_of_13"`,
		`"a_key_of_fourteen"`, `""`, `"b\u0063"`, `"bc"`, `"é"`, `"x"`}
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 3000 {
		shapes := make([][]string, 1+r.IntN(12))
		for i := range shapes {
			shapes[i] = make([]string, r.IntN(18))
			for k := range shapes[i] {
				shapes[i][k] = pool[r.IntN(len(pool))]
			}
		}
		objects := 1 + r.IntN(40)
		var text strings.Builder
		text.WriteString("[[")
		for i := range objects {
			if i > 0 {
				text.WriteByte(',')
			}
			fmt.Fprint(&text, i+1)
		}
		text.WriteString("]")
		for range objects {
			keys := slices.Clone(shapes[r.IntN(len(shapes))])
			if len(keys) > 0 && r.IntN(3) == 0 {
				keys = keys[:r.IntN(len(keys))] // a prefix of a shape
			}
			text.WriteString(",{")
			for k, key := range keys {
				if k > 0 {
					text.WriteByte(',')
				}
				fmt.Fprintf(&text, "%s:%d", key, objects+1)
			}
			text.WriteString("}")
		}
		text.WriteString(`,"v"]`)
		compact := text.String()
		spaced := strings.ReplaceAll(compact, `":`, `" :`)
		var a, b any
		errA, errB := Unmarshal([]byte(compact), &a), Unmarshal([]byte(spaced), &b)
		if errA != nil || errB != nil {
			t.Fatalf("round %d: %v; %v\n%s", round, errA, errB, compact)
		}
		textA, _ := Marshal(a)
		textB, _ := Marshal(b)
		if string(textA) != string(textB) {
			t.Fatalf("round %d: %s\ndecodes as %s\nwith spaces as %s", round, compact, textA, textB)
		}
	}
}
