package devalue

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/formaction/formaction/internal/oracle"
)

// stringifyAll is npm devalue 6.0.3's text for each JavaScript
// expression, from one run of Node.
func stringifyAll(t *testing.T, exprs []string) []string {
	t.Helper()
	js := `import { stringify } from "devalue-6";
process.stdout.write(JSON.stringify([` + strings.Join(exprs, ",\n") + `].map((v) => stringify(v))));`
	out, err := oracle.Run(js)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	if err := json.Unmarshal([]byte(out), &texts); err != nil || len(texts) != len(exprs) {
		t.Fatalf("the oracle answered %q: %v", out, err)
	}
	return texts
}

// marshalLikeJS checks that Marshal writes each Go value as npm devalue
// writes the JavaScript value of the same shape.
func marshalLikeJS(t *testing.T, cases []jsCase) {
	t.Helper()
	exprs := make([]string, len(cases))
	for i, c := range cases {
		exprs[i] = c.js
	}
	want := stringifyAll(t, exprs)
	for i, c := range cases {
		got, err := Marshal(c.v)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(got) != want[i] {
			t.Errorf("%s:\n  go: %s\n  js: %s", c.name, got, want[i])
		}
	}
}

type jsCase struct {
	name string
	v    any
	js   string
}

type selfRef struct {
	Name string   `json:"name"`
	Self *selfRef `json:"self"`
}

type holder struct {
	Items []any `json:"items"`
}

type tree map[string]tree

type list []list

// Maps, slices and pointers met again, on their way down (cycles) or
// elsewhere, are one slot, as the same JavaScript object is for npm
// devalue.
func TestMarshalCycles(t *testing.T) {
	selfMap := map[string]any{"n": 1}
	selfMap["self"] = selfMap
	selfSlice := make([]any, 2)
	selfSlice[0], selfSlice[1] = "x", selfSlice
	selfStruct := &selfRef{Name: "me"}
	selfStruct.Self = selfStruct
	selfTree := tree{}
	selfTree["self"] = selfTree
	selfList := make(list, 1)
	selfList[0] = selfList
	mixed := map[string]any{}
	mixed["p"] = &holder{Items: []any{mixed, "leaf"}}
	inSlice := []any{nil}
	inSlice[0] = map[string]any{"up": inSlice}

	marshalLikeJS(t, []jsCase{
		{"map", selfMap, `(() => { const m = { n: 1 }; m.self = m; return m; })()`},
		{"slice", selfSlice, `(() => { const a = ["x", 0]; a[1] = a; return a; })()`},
		{"pointer to struct", selfStruct, `(() => { const s = { name: "me" }; s.self = s; return s; })()`},
		{"typed map", selfTree, `(() => { const m = {}; m.self = m; return m; })()`},
		{"typed slice", selfList, `(() => { const a = [0]; a[0] = a; return a; })()`},
		{"map → struct → slice → map", mixed, `(() => { const m = {}; m.p = { items: [m, "leaf"] }; return m; })()`},
		{"slice → map → slice", inSlice, `(() => { const a = [0]; a[0] = { up: a }; return a; })()`},
	})
}

func TestMarshalSharedContainers(t *testing.T) {
	shared := map[string]any{"k": 2}
	emptyMap := map[string]any{}
	items := []any{1, "two"}
	names := []string{"x", "y", "z"}
	empty := []string{}
	type pair struct {
		A []string `json:"a"`
		B []string `json:"b"`
	}
	type maps struct {
		A map[string]int `json:"a"`
		B map[string]int `json:"b"`
	}
	counts := map[string]int{"n": 1}

	marshalLikeJS(t, []jsCase{
		{"map[string]any under two keys", map[string]any{"a": shared, "b": shared, "c": 1},
			`(() => { const s = { k: 2 }; return { a: s, b: s, c: 1 }; })()`},
		{"empty map under two keys", map[string]any{"a": emptyMap, "b": emptyMap},
			`(() => { const s = {}; return { a: s, b: s }; })()`},
		{"[]any under two keys", map[string]any{"a": items, "b": items},
			`(() => { const s = [1, "two"]; return { a: s, b: s }; })()`},
		{"[]any in a slice", []any{items, items, shared, shared},
			`(() => { const s = [1, "two"], m = { k: 2 }; return [s, s, m, m]; })()`},
		{"typed slice fields", pair{names, names},
			`(() => { const s = ["x", "y", "z"]; return { a: s, b: s }; })()`},
		{"typed map fields", maps{counts, counts},
			`(() => { const s = { n: 1 }; return { a: s, b: s }; })()`},
		// A shorter slice of the same array is another JavaScript array.
		{"slices of one array", pair{names, names[:2]},
			`({ a: ["x", "y", "z"], b: ["x", "y"] })`},
		{"same length, other start", pair{names[:2], names[1:]},
			`({ a: ["x", "y"], b: ["y", "z"] })`},
		// Every empty slice may share one address: none has an identity.
		{"empty slices", pair{empty, empty}, `({ a: [], b: [] })`},
		{"distinct empty []any", []any{[]any{}, []any{}}, `[[], []]`},
	})
}

// What Marshal shares, Unmarshal into *any shares: one *Object, one
// *Array, and cycles back to the same pointer.
func TestUnmarshalKeepsMarshalSharing(t *testing.T) {
	shared := map[string]any{"k": 2}
	items := []any{1, 2}
	root := map[string]any{"a": shared, "b": shared, "x": items, "y": items}
	root["self"] = root
	text, err := Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := Unmarshal(text, &v); err != nil {
		t.Fatal(err)
	}
	o, ok := v.(*Object)
	if !ok {
		t.Fatalf("%s decoded as %T", text, v)
	}
	get := func(k string) any { v, _ := o.Get(k); return v }
	if a, b := get("a"), get("b"); a != b || a.(*Object) == nil {
		t.Errorf("a and b decoded apart: %p %p", a, b)
	}
	if x, y := get("x"), get("y"); x != y || x.(*Array) == nil {
		t.Errorf("x and y decoded apart: %p %p", x, y)
	}
	if get("self") != any(o) {
		t.Errorf("self is %p, not the root %p", get("self"), o)
	}
}

type nestNode struct {
	Next *nestNode `json:"next"`
}

type box struct {
	V any `json:"v"`
}

// forever's MarshalDevalue returns a new value holding another forever,
// with no identity to find again: only the depth limit stops it.
type forever struct{ N int }

func (f forever) MarshalDevalue() (any, error) {
	return struct {
		Next forever `json:"next"`
	}{forever{f.N + 1}}, nil
}

// chain's MarshalDevalue returns another chain, no container between.
type chain int

func (c chain) MarshalDevalue() (any, error) { return c + 1, nil }

// Values nested deeper than Encoder.MaxDepth are an error, whatever the
// path down, never a stack overflow.
func TestMarshalMaxDepth(t *testing.T) {
	nest := map[string]func(n int) any{
		"map[string]any": func(n int) any {
			var v any = "leaf"
			for range n {
				v = map[string]any{"a": v}
			}
			return v
		},
		"[]any": func(n int) any {
			var v any = "leaf"
			for range n {
				v = []any{v}
			}
			return v
		},
		"typed map": func(n int) any {
			v := tree{}
			for range n - 1 {
				v = tree{"a": v}
			}
			return v
		},
		"typed slice": func(n int) any {
			v := list{}
			for range n - 1 {
				v = list{v}
			}
			return v
		},
		"pointers to structs": func(n int) any {
			var v *nestNode
			for range n {
				v = &nestNode{Next: v}
			}
			return v
		},
		"structs through interfaces": func(n int) any {
			var v any = "leaf"
			for range n {
				v = box{V: v}
			}
			return v
		},
		"*Object": func(n int) any {
			var v any = "leaf"
			for range n {
				o := NewObject()
				o.Set("a", v)
				v = o
			}
			return v
		},
		"*Array": func(n int) any {
			var v any = "leaf"
			for range n {
				v = NewArray(v)
			}
			return v
		},
		"sparse *Array": func(n int) any {
			var v any = "leaf"
			for range n {
				a, _ := NewSparseArray(1000)
				a.Set(999, v)
				v = a
			}
			return v
		},
		"*Map": func(n int) any {
			var v any = "leaf"
			for range n {
				m := &Map{}
				m.Set("k", v)
				v = m
			}
			return v
		},
		"*Map keys": func(n int) any {
			var v any = "leaf"
			for range n {
				m := &Map{}
				m.Set(v, 1)
				v = m
			}
			return v
		},
		"*Set": func(n int) any {
			var v any = "leaf"
			for range n {
				v = &Set{Items: []any{v}}
			}
			return v
		},
		"*Tagged": func(n int) any {
			var v any = "leaf"
			for range n {
				v = &Tagged{Tag: "T", Value: v}
			}
			return v
		},
	}
	for name, build := range nest {
		if _, err := (&Encoder{MaxDepth: 100}).Marshal(build(50)); err != nil {
			t.Errorf("%s: 50 deep with MaxDepth 100: %v", name, err)
		}
		checkDepthError(t, name+" with MaxDepth 100", 100, func() error {
			_, err := (&Encoder{MaxDepth: 100}).Marshal(build(150))
			return err
		})
		checkDepthError(t, name, DefaultMaxDepth, func() error {
			_, err := Marshal(build(DefaultMaxDepth + 10))
			return err
		})
	}

	// Values that never end.
	reducer := Encoder{Reducers: []Reducer{{Name: "Inc", Reduce: func(v any) (any, bool) {
		n, ok := v.(int)
		return n + 1, ok
	}}}}
	for name, marshal := range map[string]func() ([]byte, error){
		"MarshalDevalue returning a new struct": func() ([]byte, error) { return Marshal(forever{}) },
		"MarshalDevalue in a struct field":      func() ([]byte, error) { return Marshal(struct{ F forever }{}) },
		"MarshalDevalue returning a Marshaler":  func() ([]byte, error) { return Marshal(chain(0)) },
		"a reducer taking its own result":       func() ([]byte, error) { return reducer.Marshal(1) },
	} {
		checkDepthError(t, name, DefaultMaxDepth, func() error { _, err := marshal(); return err })
	}
}

func checkDepthError(t *testing.T, name string, limit int, run func() error) {
	t.Helper()
	err := run()
	var de *Error
	if want := fmt.Sprintf("nested deeper than %d levels", limit); !errors.As(err, &de) || !strings.Contains(de.Msg, want) {
		t.Errorf("%s: %v; want %q", name, err, want)
	} else if len(de.Path) > maxErrorPath+len("…") {
		t.Errorf("%s: a path of %d bytes", name, len(de.Path))
	}
}

// MaxDepth counts containers: n of them, one inside the other, are
// allowed with MaxDepth n.
func TestMarshalMaxDepthBoundary(t *testing.T) {
	enc := Encoder{MaxDepth: 3}
	if _, err := enc.Marshal([]any{[]any{[]any{1}}}); err != nil {
		t.Errorf("3 arrays deep with MaxDepth 3: %v", err)
	}
	if _, err := enc.Marshal([]any{[]any{[]any{[]any{}}}}); err == nil {
		t.Errorf("4 arrays deep with MaxDepth 3: no error")
	}
}

// Maps of the same size but other keys, met in turn, and maps too large
// to be sorted on the stack, are written in JavaScript's key order.
func TestMarshalMapShapes(t *testing.T) {
	shapes := [][]string{
		{"a", "b", "c"}, {"a", "b", "d"}, {"x", "y", "z"}, {"10", "2", "b"}, {"b", "a", "c"},
		{"k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10", "k11", "k12", "k13", "k14", "k15", "k16"},
		{"k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10", "k11", "k12", "k13", "k14", "k15", "k16", "k17", "3", "1"},
		{}, {"__proto_"}, {"4294967295", "4294967294", "01", "0", "-1", "Z", "é"},
	}
	var list []any
	var js []string
	for _, n := range []int{0, 1, 2, 0, 2, 1, 3, 4, 4, 3, 5, 6, 6, 7, 8, 9, 0, 2, 4, 9, 5, 1} {
		m := map[string]any{}
		var fields []string
		// Go's keys have no order: Marshal sorts them, and JavaScript
		// then puts integer-like keys first.
		for _, k := range slices.Sorted(slices.Values(shapes[n])) {
			m[k] = k + "!" + itoa(len(list))
			fields = append(fields, fmt.Sprintf("%q: %q", k, m[k]))
		}
		// A nested map of the same size, met while its parent is written.
		if len(shapes[n]) == 3 {
			k := slices.Min(shapes[n])
			m[k] = map[string]any{"p": 1, "q": 2, "r": len(list)}
			fields[0] = fmt.Sprintf("%q: { p: 1, q: 2, r: %d }", k, len(list))
		}
		list = append(list, m)
		js = append(js, "{"+strings.Join(fields, ", ")+"}")
	}
	marshalLikeJS(t, []jsCase{{"maps of several shapes", list, "[" + strings.Join(js, ", ") + "]"}})
}

// freshMap's MarshalDevalue makes a new map each time and runs the
// collector, which frees the last one once written: the next map may take
// its address.
type freshMap struct{ ID int }

func (f freshMap) MarshalDevalue() (any, error) {
	runtime.GC()
	return map[string]any{"id": f.ID}, nil
}

// What a Marshaler or a reducer makes for one call is kept alive until
// Marshal returns, so another made later at the same address is not taken
// for it: each item is written with its own id.
func TestFreshValuesKeepTheirOwnSlots(t *testing.T) {
	items := make([]freshMap, 40)
	type cents int
	amounts := make([]any, len(items))
	for i := range items {
		items[i], amounts[i] = freshMap{i}, cents(i)
	}
	enc := Encoder{Reducers: []Reducer{{Name: "Cents", Reduce: func(v any) (any, bool) {
		c, ok := v.(cents)
		if ok {
			runtime.GC()
		}
		return map[string]any{"id": int(c)}, ok
	}}}}
	for name, marshal := range map[string]func() ([]byte, error){
		"MarshalDevalue": func() ([]byte, error) { return Marshal(items) },
		"a reducer":      func() ([]byte, error) { return enc.Marshal(amounts) },
	} {
		text, err := marshal()
		if err != nil {
			t.Fatal(err)
		}
		var out []any
		if err := Unmarshal(text, &out); err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			if tagged, ok := v.(*Tagged); ok {
				v = tagged.Value
			}
			if id, _ := v.(*Object).Get("id"); id != float64(i) {
				t.Errorf("%s: item %d came back as %v (%s)", name, i, id, text)
				break
			}
		}
	}
}

// The model may be read from several goroutines at once: Get on an
// object of many keys, decoded or built with Set, writes nothing another
// Get reads (the race detector, which make test runs, sees it if it does).
func TestConcurrentGets(t *testing.T) {
	m := map[string]int{}
	built := NewObject()
	for i := range 40 {
		m[fmt.Sprint("key", i)] = i
		built.Set(fmt.Sprint("key", i), i)
	}
	text, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 50 {
		var decoded any
		if err := Unmarshal(text, &decoded); err != nil {
			t.Fatal(err)
		}
		o := decoded.(*Object)
		if round%2 == 1 {
			o = built
			built = NewObject()
			for i := range 40 {
				built.Set(fmt.Sprint("key", i), i)
			}
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if v, ok := o.Get("key39"); !ok || (v != 39.0 && v != 39) {
					t.Errorf("Get(key39) = %v, %v", v, ok)
				}
			})
		}
		wg.Wait()
	}
}
