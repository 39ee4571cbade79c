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

var payloads = []struct {
	name    string
	records int
}{{"action", 1000}, {"1MB", 4500}}

func BenchmarkMarshal(b *testing.B) {
	for _, p := range payloads {
		v := benchPayload(p.records)
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
		v := benchPayload(p.records)
		dv, _ := Marshal(v)
		js, _ := json.Marshal(v)
		b.Run(p.name+"/devalue", func(b *testing.B) {
			benchUnmarshal(b, len(dv), func() error { var r benchResult; return Unmarshal(dv, &r) })
		})
		b.Run(p.name+"/devalue-any", func(b *testing.B) {
			benchUnmarshal(b, len(dv), func() error { var r any; return Unmarshal(dv, &r) })
		})
		b.Run(p.name+"/encoding-json", func(b *testing.B) {
			benchUnmarshal(b, len(js), func() error { var r benchResult; return json.Unmarshal(js, &r) })
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
	for _, p := range payloads {
		v := benchPayload(p.records)
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
			goUnmarshal = min(goUnmarshal, measure(func() { var r benchResult; Unmarshal(dv, &r) }))
			goUnmarshalAny = min(goUnmarshalAny, measure(func() { var r any; Unmarshal(dv, &r) }))
			jsonUnmarshal = min(jsonUnmarshal, measure(func() { var r benchResult; json.Unmarshal(js, &r) }))
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
