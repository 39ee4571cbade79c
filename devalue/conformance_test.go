package devalue

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/formaction/formaction/internal/oracle"
)

// seed returns the seed of this run's random values: DEVALUE_SEED when set,
// otherwise the clock. It is logged so a failure can be replayed.
func seed(t *testing.T) uint64 {
	if s := os.Getenv("DEVALUE_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("DEVALUE_SEED=%q: %v", s, err)
		}
		return n
	}
	return uint64(time.Now().UnixNano() % 1e9)
}

// randomCount is how many random values each direction checks per run.
const randomCount = 2000

func node(t *testing.T, stdin []byte, args ...string) []byte {
	t.Helper()
	out, err := oracle.Script(stdin, "testdata/oracle.mjs", args...)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// The corpus answers are kept in the golden file, so that these tests run
// without Node; the random values need Node and skip without it.
func corpusFromJS(t *testing.T) []byte {
	t.Helper()
	out, err := oracle.Golden("oracle.mjs corpus", func() (string, error) {
		return oracle.Script(nil, "testdata/oracle.mjs", "corpus")
	})
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// JS stringify → Go Unmarshal into any → Go Marshal gives back the same
// text, for devalue 5.9.4 and 6.0.3, on the hand-written corpus and on
// random values.
func TestConformanceFromJS(t *testing.T) {
	t.Run("corpus", func(t *testing.T) {
		n := roundTripJS(t, corpusFromJS(t))
		t.Logf("%d texts round-tripped byte for byte", n)
	})
	t.Run("random", func(t *testing.T) {
		oracle.Require(t)
		s := seed(t)
		t.Logf("random values from seed %d (rerun with DEVALUE_SEED=%d)", s, s)
		out := node(t, nil, "random", strconv.FormatUint(s, 10), strconv.Itoa(randomCount))
		if n := roundTripJS(t, out); n < randomCount {
			t.Fatalf("the oracle printed %d values, want %d", n/2, randomCount)
		}
	})
}

// roundTripJS checks the oracle's lines and returns how many texts it
// round-tripped.
func roundTripJS(t *testing.T, out []byte) int {
	t.Helper()
	dec := Decoder{}
	lines, checked := 0, 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		lines++
		var c struct {
			Name, V5, V6     string
			V5error, V6error string
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("oracle line %d: %v", lines, err)
		}
		if c.V5error != "" || c.V6error != "" {
			t.Errorf("%s: the oracle could not stringify it: %s %s", c.Name, c.V5error, c.V6error)
			continue
		}
		for _, text := range []string{c.V5, c.V6} {
			var v any
			if err := dec.Unmarshal([]byte(text), &v); err != nil {
				t.Errorf("%s: Unmarshal(%s): %v", c.Name, text, err)
				continue
			}
			got, err := Marshal(v)
			if err != nil {
				t.Errorf("%s: Marshal after Unmarshal(%s): %v", c.Name, text, err)
				continue
			}
			if string(got) != text {
				t.Errorf("%s:\n  js: %s\n  go: %s", c.Name, text, got)
			}
			checked++
		}
	}
	if lines == 0 {
		t.Fatal("the oracle printed nothing")
	}
	return checked
}

// Go Marshal → JS parse → JS stringify gives back the same text: what Go
// writes is what devalue would write for the value it reads. The Go
// corpus's answers are golden; random values need Node.
func TestConformanceFromGo(t *testing.T) {
	t.Run("corpus", func(t *testing.T) {
		var texts []string
		for _, v := range goCorpus() {
			b, err := Marshal(v)
			if err != nil {
				t.Fatalf("Marshal(%#v): %v", v, err)
			}
			texts = append(texts, string(b))
		}
		in := lines(texts)
		// Node's answers are what devalue writes for the values it reads;
		// Go's texts must equal them, with Node or from the golden file.
		out, err := oracle.Golden("oracle.mjs reparse of the Go corpus", func() (string, error) {
			return oracle.Script(in, "testdata/oracle.mjs", "reparse")
		})
		if err != nil {
			t.Fatal(err)
		}
		checkReparsed(t, texts, out)
	})
	t.Run("random", func(t *testing.T) {
		oracle.Require(t)
		s := seed(t)
		t.Logf("random values from seed %d (rerun with DEVALUE_SEED=%d)", s, s)
		var texts []string
		for i := 0; i < randomCount; i++ {
			g := &generator{r: rand.New(rand.NewPCG(s, uint64(i)))}
			b, err := Marshal(g.value(0))
			if err != nil {
				t.Fatalf("seed %d value %d: %v", s, i, err)
			}
			texts = append(texts, string(b))
		}
		checkReparsed(t, texts, string(node(t, lines(texts), "reparse")))
	})
}

// lines writes texts as JSON strings, one a line, for oracle.mjs reparse.
func lines(texts []string) []byte {
	var in bytes.Buffer
	for _, text := range texts {
		line, _ := json.Marshal(text)
		in.Write(append(line, '\n'))
	}
	return in.Bytes()
}

func checkReparsed(t *testing.T, texts []string, out string) {
	t.Helper()
	results := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(results) != len(texts) {
		t.Fatalf("the oracle answered %d lines for %d texts", len(results), len(texts))
	}
	for i, line := range results {
		var r struct{ V5, V6, Error string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if r.Error != "" {
			t.Errorf("devalue cannot parse what Go wrote: %s\n  go: %s", r.Error, texts[i])
			continue
		}
		if r.V5 != texts[i] || r.V6 != texts[i] {
			t.Errorf("value %d:\n  go: %s\n  v5: %s\n  v6: %s", i, texts[i], r.V5, r.V6)
		}
	}
	t.Logf("%d Go values written as devalue writes them", len(texts))
}

type vector struct{ X, Y int }

func (v vector) MarshalDevalue() (any, error) {
	return &Tagged{Tag: "Vector", Value: []any{v.X, v.Y}}, nil
}

type embedded struct {
	ID   int    `json:"id"`
	Note string `json:"note,omitempty"`
}

type record struct {
	embedded
	Name     string            `json:"name"`
	Email    string            `json:"email,omitempty"`
	Secret   string            `json:"-"`
	Joined   time.Time         `json:"joined"`
	Score    float64           `json:"score"`
	Tags     []string          `json:"tags"`
	Meta     map[string]any    `json:"meta,omitempty"`
	Friend   *record           `json:"friend,omitempty"`
	Balance  *big.Int          `json:"balance"`
	Avatar   []byte            `json:"avatar,omitempty"`
	Links    *url.URL          `json:"links,omitempty"`
	Query    url.Values        `json:"query,omitempty"`
	Counts   map[int]int       `json:"counts,omitempty"`
	Position vector            `json:"position"`
	Extra    map[string]string `json:"extra"`
	private  int               //lint:ignore U1000 unexported, so Marshal must leave it out
}

// goCorpus is Go values of every kind Marshal takes.
func goCorpus() []any {
	u, _ := url.Parse("https://example.com/a?b=1")
	shared := &record{Name: "shared"}
	cyclic := &record{Name: "cycle"}
	cyclic.Friend = cyclic
	m := &Map{}
	m.Set(shared, "object key")
	m.Set(math.NaN(), 1)
	m.Set("k", []any{1, 2})
	sparse, _ := NewSparseArray(1 << 20)
	sparse.Set(5, "x")
	sparse.Set(1<<19, true)
	buf := &ArrayBuffer{Data: []byte{1, 2, 3, 4, 5, 6, 7, 8}}
	o := NewObject()
	o.Set("b", 1)
	o.Set("10", 2)
	o.Set("2", 3)
	null := &Object{NullProto: true}
	null.Set("x", Undefined)
	return []any{
		nil, true, false, "", "</script>\u2028\x00\x7f\xff", 0, -0.0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1),
		int8(-8), uint16(65535), int64(maxSafeInteger), -maxSafeInteger, float32(0.1), 1e21, 1e-7, 123.456, 5e-324,
		Undefined, []int{1, 1, 2}, [3]string{"a", "b", "a"}, map[string]int{"b": 1, "a": 2, "3": 3, "01": 4},
		record{Name: "Ada", Joined: time.Date(2024, 2, 29, 12, 30, 0, 123456789, time.UTC), Tags: []string{"x"},
			Balance: new(big.Int).Lsh(big.NewInt(1), 70), Avatar: []byte("png"), Links: u,
			Query: url.Values{"q": {"a b", "~*"}, "a": {"<>"}}, Counts: map[int]int{10: 1, 2: 2}, Position: vector{3, 4},
			Meta: map[string]any{"nested": []any{shared, shared}}},
		[]*record{shared, shared, cyclic},
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(12000, 6, 1, 0, 0, 0, 0, time.UTC), &Date{Invalid: true},
		big.NewInt(-5), m, &Set{Items: []any{1, "1", big.NewInt(1), shared}}, NewArray(1, Hole, Hole), sparse,
		&TypedArray{Type: "Int16Array", Buffer: buf, Offset: 2, Length: 2}, &TypedArray{Type: "DataView", Buffer: buf, Length: 8},
		&Boxed{Value: "s"}, &Boxed{Value: math.NaN()}, &RegExp{Source: `a\/b`, Flags: "gi"}, &URL{Href: "https://x.y/"},
		&URLSearchParams{Query: "a=1"}, o, null, &Tagged{Tag: "Vector", Value: []any{1, 2}},
	}
}

// generator makes random Go values: the lossless model's types and
// ordinary Go types, with repeats and cycles.
type generator struct {
	r    *rand.Rand
	pool []any
}

func (g *generator) str() string {
	chars := []string{"a", "z", `"`, `\`, "<", "\n", "\x01", "\u2028", "é", "😀", " ", "0", "/"}
	var b strings.Builder
	for n := g.r.IntN(6); n > 0; n-- {
		b.WriteString(chars[g.r.IntN(len(chars))])
	}
	return b.String()
}

func (g *generator) primitive() any {
	switch g.r.IntN(12) {
	case 0:
		return g.r.IntN(200) - 100
	case 1:
		return g.r.Float64() * math.Pow(10, float64(g.r.IntN(50)-25))
	case 2:
		return []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0, 1e21, 2e-7}[g.r.IntN(7)]
	case 3, 4, 5:
		return g.str()
	case 6:
		return g.r.IntN(2) == 0
	case 7:
		return nil
	case 8:
		return Undefined
	case 9:
		return big.NewInt(g.r.Int64N(1e12) - 5e11)
	case 10:
		return uint8(g.r.IntN(256))
	default:
		return time.UnixMilli(g.r.Int64N(4e12) - 2e12).UTC()
	}
}

func (g *generator) value(depth int) any {
	if depth > 3 || g.r.IntN(3) == 0 {
		return g.primitive()
	}
	if len(g.pool) > 0 && g.r.IntN(8) == 0 {
		return g.pool[g.r.IntN(len(g.pool))]
	}
	var v any
	switch g.r.IntN(11) {
	case 0:
		o := NewObject()
		o.NullProto = g.r.IntN(8) == 0
		g.pool = append(g.pool, o)
		for n := g.r.IntN(5); n > 0; n-- {
			o.Set([]string{g.str(), strconv.Itoa(g.r.IntN(20)), "id", "x y"}[g.r.IntN(4)], g.value(depth+1))
		}
		if g.r.IntN(10) == 0 {
			o.Set("self", o)
		}
		return o
	case 1:
		a := NewArray()
		g.pool = append(g.pool, a)
		for n := g.r.IntN(6); n > 0; n-- {
			if g.r.IntN(4) == 0 {
				a.dense = append(a.dense, Hole)
			} else {
				a.Set(a.Len(), g.value(depth+1))
			}
		}
		if g.r.IntN(8) == 0 {
			a.Set(a.Len()+g.r.IntN(40), g.primitive())
		}
		return a
	case 2:
		m := &Map{}
		g.pool = append(g.pool, m)
		for n := g.r.IntN(4); n > 0; n-- {
			m.Set(g.value(depth+1), g.value(depth+1))
		}
		return m
	case 3:
		s := &Set{}
		g.pool = append(g.pool, s)
		for n := g.r.IntN(4); n > 0; n-- {
			s.Add(g.value(depth + 1))
		}
		return s
	case 4:
		list := make([]any, g.r.IntN(5))
		for i := range list {
			list[i] = g.value(depth + 1)
		}
		v = list
	case 5:
		m := map[string]any{}
		for n := g.r.IntN(5); n > 0; n-- {
			m[g.str()+strconv.Itoa(g.r.IntN(3))] = g.value(depth + 1)
		}
		v = m
	case 6:
		r := &record{embedded: embedded{ID: g.r.IntN(9)}, Name: g.str(), Score: g.r.Float64(), Tags: []string{g.str()},
			Joined: time.UnixMilli(g.r.Int64N(1e13)).UTC(), Balance: big.NewInt(g.r.Int64N(1e9)), Position: vector{g.r.IntN(9), 1},
			Avatar: []byte(g.str())}
		if len(g.pool) > 0 && g.r.IntN(3) == 0 {
			if f, ok := g.pool[g.r.IntN(len(g.pool))].(*record); ok {
				r.Friend = f
			}
		}
		if g.r.IntN(5) == 0 {
			r.Friend = r
		}
		g.pool = append(g.pool, r)
		return r
	case 7:
		buf := &ArrayBuffer{Data: make([]byte, 8+g.r.IntN(8))}
		for i := range buf.Data {
			buf.Data[i] = byte(g.r.IntN(256))
		}
		v = []any{
			&TypedArray{Type: "Uint8Array", Buffer: buf, Length: len(buf.Data)},
			&TypedArray{Type: "Int16Array", Buffer: buf, Offset: 2, Length: 2},
			&TypedArray{Type: "DataView", Buffer: buf, Offset: 1, Length: 3},
			buf,
		}[g.r.IntN(4)]
	case 8:
		v = []any{&RegExp{Source: []string{"a+b", `\d{2}`, "[a-z]*", `a\/b`, "(?:)"}[g.r.IntN(5)], Flags: "gi"}, &Date{Invalid: true}, &Boxed{Value: g.str()},
			&URL{Href: "https://x.y/" + strconv.Itoa(g.r.IntN(9))}, url.Values{"q": {g.str()}}}[g.r.IntN(5)]
	case 9:
		v = &Tagged{Tag: "Vector", Value: []any{g.r.IntN(9), g.str()}}
	default:
		v = []int{g.r.IntN(3), g.r.IntN(3)}
	}
	g.pool = append(g.pool, v)
	return v
}

func randNew(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

func (v *vector) UnmarshalDevalue(x any) error {
	t, ok := x.(*Tagged)
	if !ok || t.Tag != "Vector" {
		return fmt.Errorf("not a Vector: %T", x)
	}
	a, ok := t.Value.(*Array)
	if !ok || a.Len() != 2 {
		return fmt.Errorf("a Vector holds %T", t.Value)
	}
	x0, _ := a.At(0)
	y0, _ := a.At(1)
	xf, _ := x0.(float64)
	yf, _ := y0.(float64)
	v.X, v.Y = int(xf), int(yf)
	return nil
}

// Texts devalue never writes but may be sent: a Set or Map with repeated
// keys reads as devalue.parse reads it, set.add and map.set keeping the
// first of equal keys (SameValueZero: NaN is NaN, −0 is 0, BigInts by
// value, objects by identity) with a Map's last value.
func TestRepeatedSetAndMapKeys(t *testing.T) {
	readsAsParse(t, "oracle.mjs reparse of repeated Set and Map keys", []string{
		`[["Set",1,2],"a","a"]`,
		`[["Map",1,2,3,4],"a",5,"a",6]`,
		`[["Set",-3,-3,1],0]`,
		`[["Set",1,-6,2],0,1]`,
		`[["Set",1,2,3],["BigInt","12"],["BigInt","12"],["BigInt","13"]]`,
		`[["Set",1,2,1],{},{}]`,
		`[["Map",1,2,1,3,4,5],{},"x","y","k","v"]`,
		`[["Map",1,2,3,4,1,5],true,1,false,2,3]`,
		`[["Set",-1,-1,1],null]`,
	})
}

// readsAsParse checks that Go reads each text as devalue.parse does: what
// Marshal writes of Unmarshal's value into any is what stringify writes of
// parse's (npm devalue 5 and 6, or their answers kept under key).
func readsAsParse(t *testing.T, key string, texts []string) {
	t.Helper()
	var got []string
	for _, text := range texts {
		var v any
		if err := Unmarshal([]byte(text), &v); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		out, err := Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		got = append(got, string(out))
	}
	answers, err := oracle.Golden(key, func() (string, error) {
		return oracle.Script(lines(texts), "testdata/oracle.mjs", "reparse")
	})
	if err != nil {
		t.Fatal(err)
	}
	checkReparsed(t, got, answers)
}

// A Date's text in a shorter form of ECMAScript's Date Time String Format,
// which toISOString never writes but new Date() reads, gives the same
// Date as in devalue.parse. (Forms without an offset but with a time are
// local time, which depends on the machine, and are left out.)
func TestShortDateForms(t *testing.T) {
	var texts []string
	for _, date := range []string{"2020", "2020-06", "2020-06-15", "2020-06-15T10:20Z", "2020-06-15T10:20:30Z",
		"2020-06-15T10:20:30.5+02:00", "2020-06-15T10:20:30.123456Z", "1969-12-31T23:59:59.999-00:30", "2020-02-30",
		"2020-13", "2020-06-15T24:00:00Z", "2020-06-15T24:00Z", "+002020-06-15", "-000001-01-01T00:00:00Z",
		"2020-06-15T10:20:30.Z", "2020-06-15T10:20:30.1234567891Z", "2020-06-31", "2020-06-32", "2020-06-15T10:60Z",
		"2020-06-15Z", "+275760-09-14", "2020-06-15T24:00:01Z", "2020T10:20Z", "2020T10:20:30.5+02:00",
		"+002020T10:20Z", "2020Z", "2020-06-15+02:00", "2020-06+02:00"} {
		texts = append(texts, `[["Date","`+date+`"]]`)
	}
	readsAsParse(t, "oracle.mjs reparse of short Date forms", texts)
}

// Local date-times, which the Date Time String Format reads in the
// machine's time zone, read as new Date() reads them in the same zone,
// across transitions too: a skipped or repeated wall time takes the offset
// from before the transition.
func TestLocalDateForms(t *testing.T) {
	dates := []string{"2020-03-08T02:30", "2020-11-01T01:30", "2020-03-29T02:30", "2020-10-25T02:30",
		"2020-06-15T10:20", "2020T10:20", "2020-06-15T10:20:30.5", "2020-03-08T03:30", "2020-11-01T02:30"}
	saved := time.Local
	defer func() { time.Local = saved }()
	for _, zone := range []string{"America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatalf("%s: %v", zone, err)
		}
		out, err := oracle.Golden("oracle.mjs dates in "+zone, func() (string, error) {
			return oracle.Script([]byte(strings.Join(dates, "\n")+"\n"), "testdata/oracle.mjs", "dates", zone)
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Local = loc
		for i, want := range strings.Fields(out) {
			var v any
			if err := Unmarshal([]byte(`[["Date","`+dates[i]+`"]]`), &v); err != nil {
				t.Fatal(err)
			}
			got := "NaN"
			if d := v.(*Date); !d.Invalid {
				got = strconv.FormatInt(d.Time.UnixMilli(), 10)
			}
			if got != want {
				t.Errorf("%s in %s: %s ms, new Date() gives %s", dates[i], zone, got, want)
			}
		}
	}
}

// A reviver's values that are not pointers have no identity to go by:
// each is an item of its own in a Set and a key of its own in a Map, as
// each revival is a new object in devalue.parse; a URL that url.Parse
// refuses but browsers keep (a bare %) reads.
func TestRevivedKeysAndLenientURLs(t *testing.T) {
	type pair struct{ X, Y float64 }
	d := Decoder{Revivers: map[string]Reviver{"Pair": func(v any) (any, error) {
		a := v.(*Array)
		x, _ := a.At(0)
		y, _ := a.At(1)
		return pair{x.(float64), y.(float64)}, nil
	}}}
	var v any
	if err := d.Unmarshal([]byte(`[["Set",1,3],["Pair",2],[4,4],["Pair",2],30]`), &v); err != nil {
		t.Fatal(err)
	}
	if n := len(v.(*Set).Items); n != 2 {
		t.Errorf("a Set of two revived pairs holds %d", n)
	}
	if err := d.Unmarshal([]byte(`[["Map",1,2,3,4],["Pair",5],"a",["Pair",5],"b",[6,6],30]`), &v); err != nil {
		t.Fatal(err)
	}
	if n := len(v.(*Map).Entries); n != 2 {
		t.Errorf("a Map of two revived keys holds %d entries", n)
	}
	for _, href := range []string{"https://example.com/100%", "https://example.com/#100%", "https://user:p%w@example.com/"} {
		if err := Unmarshal([]byte(`[["URL","`+href+`"]]`), &v); err != nil || v.(*URL).Href != href {
			t.Errorf("URL %s: %v, %v", href, v, err)
		}
	}
}
