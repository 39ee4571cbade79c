package devalue

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Benchmark payloads: a realistic action result, and about a megabyte.

type team struct {
	Name    string   `json:"name"`
	Members int      `json:"members"`
	Tags    []string `json:"tags"`
}

type address struct {
	Street string `json:"street"`
	City   string `json:"city"`
	Zip    string `json:"zip"`
}

type benchRecord struct {
	ID       int       `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Active   bool      `json:"active"`
	Score    float64   `json:"score"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Address  address   `json:"address"`
	Team     *team     `json:"team"` // shared among records: repeated references
	Balance  int64     `json:"balance"`
	Comments []string  `json:"comments"`
}

type benchResult struct {
	Success bool          `json:"success"`
	Total   int           `json:"total"`
	Records []benchRecord `json:"records"`
}

func benchPayload(n int) benchResult {
	teams := make([]*team, 10)
	for i := range teams {
		teams[i] = &team{Name: fmt.Sprintf("Team %d", i), Members: 5 + i, Tags: []string{"core", fmt.Sprintf("t%d", i)}}
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := benchResult{Success: true, Total: n}
	for i := 0; i < n; i++ {
		r.Records = append(r.Records, benchRecord{
			ID: i, Name: fmt.Sprintf("User Number %d", i), Email: fmt.Sprintf("user%d@example.com", i),
			Active: i%3 != 0, Score: float64(i) * 1.25, Created: base.Add(time.Duration(i) * time.Hour),
			Updated: base.Add(time.Duration(i) * 90 * time.Minute),
			Address: address{Street: fmt.Sprintf("%d Main Street", i), City: []string{"London", "Paris", "Oslo"}[i%3], Zip: fmt.Sprintf("%05d", i)},
			Team:    teams[i%len(teams)], Balance: int64(i) * 1000003,
			Comments: []string{"first <b>comment</b>", fmt.Sprintf("note %d", i%7)},
		})
	}
	return r
}

// mapPayload is benchPayload's records as map[string]any, as a handler
// that builds its result from a database row or a JSON document has them.
func mapPayload(n int) map[string]any {
	teams := make([]map[string]any, 10)
	for i := range teams {
		teams[i] = map[string]any{"name": fmt.Sprintf("Team %d", i), "members": 5 + i, "tags": []any{"core", fmt.Sprintf("t%d", i)}}
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	records := make([]any, n)
	for i := range records {
		records[i] = map[string]any{
			"id": i, "name": fmt.Sprintf("User Number %d", i), "email": fmt.Sprintf("user%d@example.com", i),
			"active": i%3 != 0, "score": float64(i) * 1.25, "created": base.Add(time.Duration(i) * time.Hour),
			"updated": base.Add(time.Duration(i) * 90 * time.Minute),
			"address": map[string]any{"street": fmt.Sprintf("%d Main Street", i), "city": []string{"London", "Paris", "Oslo"}[i%3], "zip": fmt.Sprintf("%05d", i)},
			"team":    teams[i%len(teams)], "balance": int64(i) * 1000003,
			"comments": []any{"first <b>comment</b>", fmt.Sprintf("note %d", i%7)},
		}
	}
	return map[string]any{"success": true, "total": n, "records": records}
}

// mixedRecord is a struct record that carries a small map too.
type mixedRecord struct {
	ID      int            `json:"id"`
	Name    string         `json:"name"`
	Email   string         `json:"email"`
	Active  bool           `json:"active"`
	Score   float64        `json:"score"`
	Created time.Time      `json:"created"`
	Team    *team          `json:"team"`
	Meta    map[string]any `json:"meta"`
}

type mixedResult struct {
	Success bool           `json:"success"`
	Total   int            `json:"total"`
	Page    map[string]any `json:"page"`
	Records []mixedRecord  `json:"records"`
}

// mixedPayload is struct records, each with a map of five keys (strings,
// numbers, a bool, a nested map or slice), under a map[string]any.
func mixedPayload(n int) map[string]any {
	teams := make([]*team, 10)
	for i := range teams {
		teams[i] = &team{Name: fmt.Sprintf("Team %d", i), Members: 5 + i, Tags: []string{"core", fmt.Sprintf("t%d", i)}}
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	records := make([]mixedRecord, n)
	for i := range records {
		meta := map[string]any{
			"source": []string{"web", "api", "import"}[i%3], "visits": i % 50, "verified": i%2 == 0,
			"ratio": float64(i%100) / 8,
		}
		if i%2 == 0 {
			meta["prefs"] = map[string]any{"theme": "dark", "lang": "en"}
		} else {
			meta["labels"] = []any{"new", fmt.Sprintf("batch %d", i%5)}
		}
		records[i] = mixedRecord{
			ID: i, Name: fmt.Sprintf("User Number %d", i), Email: fmt.Sprintf("user%d@example.com", i),
			Active: i%3 != 0, Score: float64(i) * 1.25, Created: base.Add(time.Duration(i) * time.Hour),
			Team: teams[i%len(teams)], Meta: meta,
		}
	}
	return map[string]any{"success": true, "total": n, "records": records,
		"page": map[string]any{"size": n, "next": "/users?page=2", "filters": []any{"active"}}}
}

// payloads are the benchmarks' values, each with what typed Unmarshal
// decodes it into.
var payloads = []struct {
	name    string
	records int
	value   func() any
	typed   func() any
}{
	{"action", 1000, func() any { return benchPayload(1000) }, func() any { return new(benchResult) }},
	{"maps", 1000, func() any { return mapPayload(1000) }, func() any { return new(map[string]any) }},
	{"mixed", 1000, func() any { return mixedPayload(1000) }, func() any { return new(mixedResult) }},
	{"1MB", 4500, func() any { return benchPayload(4500) }, func() any { return new(benchResult) }},
}

func BenchmarkMarshal(b *testing.B) {
	for _, p := range payloads {
		v := p.value()
		b.Run(p.name+"/devalue", func(b *testing.B) { benchMarshal(b, func() ([]byte, error) { return Marshal(v) }) })
		b.Run(p.name+"/encoding-json", func(b *testing.B) { benchMarshal(b, func() ([]byte, error) { return json.Marshal(v) }) })
	}
}

func benchMarshal(b *testing.B, marshal func() ([]byte, error)) {
	b.ReportAllocs()
	var size int
	for b.Loop() {
		out, err := marshal()
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.SetBytes(int64(size))
}

func BenchmarkUnmarshal(b *testing.B) {
	for _, p := range payloads {
		v := p.value()
		dv, _ := Marshal(v)
		js, _ := json.Marshal(v)
		b.Run(p.name+"/devalue", func(b *testing.B) {
			benchUnmarshal(b, len(dv), func() error { return Unmarshal(dv, p.typed()) })
		})
		b.Run(p.name+"/devalue-any", func(b *testing.B) {
			benchUnmarshal(b, len(dv), func() error { var r any; return Unmarshal(dv, &r) })
		})
		b.Run(p.name+"/encoding-json", func(b *testing.B) {
			benchUnmarshal(b, len(js), func() error { return json.Unmarshal(js, p.typed()) })
		})
	}
}

func benchUnmarshal(b *testing.B, size int, unmarshal func() error) {
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		if err := unmarshal(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRatios measures Go devalue against encoding/json and against
// npm devalue under Node on the same payloads, in this run, and prints the
// ratios (how many times faster Go devalue is; above 1 is faster). Each
// figure is the best of five rounds, each round the median of five runs
// of at least 200 ms (bench.mjs measures Node the same way).
func BenchmarkRatios(b *testing.B) {
	only := os.Getenv("DEVALUE_PAYLOADS") // a comma-separated subset, to profile one
	for _, p := range payloads {
		if only != "" && !slices.Contains(strings.Split(only, ","), p.name) {
			continue
		}
		v := p.value()
		dv, err := Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		js, _ := json.Marshal(v)
		file := filepath.Join(b.TempDir(), "payload.devalue")
		os.WriteFile(file, dv, 0o644)
		// This machine's speed drifts: measure Node and Go in alternating
		// rounds and keep each side's best round.
		npm := struct{ Parse, Stringify float64 }{math.Inf(1), math.Inf(1)}
		goMarshal, jsonMarshal, goUnmarshal, goUnmarshalAny, jsonUnmarshal := math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)
		for round := 0; round < 5; round++ {
			out, err := exec.Command("node", "testdata/bench.mjs", file).Output()
			if err != nil {
				b.Fatalf("node bench.mjs: %v (run npm ci at the repository root)", err)
			}
			var r struct{ Parse, Stringify float64 }
			if err := json.Unmarshal(out, &r); err != nil {
				b.Fatal(err)
			}
			npm.Parse, npm.Stringify = min(npm.Parse, r.Parse), min(npm.Stringify, r.Stringify)
			goMarshal = min(goMarshal, measure(func() { Marshal(v) }))
			jsonMarshal = min(jsonMarshal, measure(func() { json.Marshal(v) }))
			goUnmarshal = min(goUnmarshal, measure(func() { Unmarshal(dv, p.typed()) }))
			goUnmarshalAny = min(goUnmarshalAny, measure(func() { var r any; Unmarshal(dv, &r) }))
			jsonUnmarshal = min(jsonUnmarshal, measure(func() { json.Unmarshal(js, p.typed()) }))
		}
		var t strings.Builder
		fmt.Fprintf(&t, "\n%s payload: %d records, %d bytes of devalue, %d of JSON\n", p.name, p.records, len(dv), len(js))
		fmt.Fprintf(&t, "  Marshal         %8.2f ms   %5.1f× npm stringify (%.2f ms)   %4.2f× the time of encoding/json.Marshal (%.2f ms)\n",
			goMarshal/1e6, npm.Stringify/goMarshal, npm.Stringify/1e6, goMarshal/jsonMarshal, jsonMarshal/1e6)
		fmt.Fprintf(&t, "  Unmarshal       %8.2f ms   %5.1f× npm parse (%.2f ms)   %4.2f× the time of encoding/json.Unmarshal (%.2f ms)\n",
			goUnmarshal/1e6, npm.Parse/goUnmarshal, npm.Parse/1e6, goUnmarshal/jsonUnmarshal, jsonUnmarshal/1e6)
		fmt.Fprintf(&t, "  Unmarshal (any) %8.2f ms   %5.1f× npm parse\n", goUnmarshalAny/1e6, npm.Parse/goUnmarshalAny)
		fmt.Print(t.String())
		b.ReportMetric(npm.Stringify/goMarshal, p.name+"-marshal-x-npm")
		b.ReportMetric(npm.Parse/goUnmarshal, p.name+"-unmarshal-x-npm")
		b.ReportMetric(goMarshal/jsonMarshal, p.name+"-marshal-time-vs-json")
		b.ReportMetric(npm.Parse/goUnmarshalAny, p.name+"-unmarshal-any-x-npm")
	}
	for b.Loop() {
	}
}

// measure returns the median time of one call of f, in nanoseconds, over
// five runs of at least 200 ms each, as bench.mjs measures npm devalue.
func measure(f func()) float64 {
	for i := 0; i < 5; i++ {
		f()
	}
	samples := make([]float64, 5)
	for run := range samples {
		n, start := 0, time.Now()
		for time.Since(start) < 200*time.Millisecond {
			f()
			n++
		}
		samples[run] = float64(time.Since(start).Nanoseconds()) / float64(n)
	}
	slices.Sort(samples)
	return samples[2]
}
