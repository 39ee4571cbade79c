package devalue

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkHostileRatios times Unmarshal on hostile texts against npm
// devalue's parse under Node on the same texts, in this run, and prints
// the ratios of their times (below 1, Go is faster). As BenchmarkRatios,
// it measures both sides in alternating rounds and keeps each side's
// best, each figure the median of five runs of at least 200 ms.
func BenchmarkHostileRatios(b *testing.B) {
	cases := []struct {
		name, text string
		typed      func() any
	}{
		{"sparse, 10,000 indices descending", descendingSparse(10_000), func() any { return new([]int) }},
		{"sparse, 100,000 indices descending", descendingSparse(100_000), func() any { return new([]int) }},
		{"BigInt, 10,000 digits", `[["BigInt","` + strings.Repeat("7", 10_000) + `"]]`, func() any { return new(*big.Int) }},
	}
	var report strings.Builder
	for _, c := range cases {
		file := filepath.Join(b.TempDir(), "text.devalue")
		if err := os.WriteFile(file, []byte(c.text), 0o644); err != nil {
			b.Fatal(err)
		}
		data := []byte(c.text)
		for _, dst := range []any{new(any), c.typed()} {
			if err := Unmarshal(data, dst); err != nil {
				b.Fatalf("%s into %T: %v", c.name, dst, err)
			}
		}
		npm, goAny, goTyped := math.Inf(1), math.Inf(1), math.Inf(1)
		for round := 0; round < 3; round++ {
			out, err := exec.Command("node", "testdata/bench.mjs", file, "parse").Output()
			if err != nil {
				b.Fatalf("node bench.mjs: %v (run npm ci at the repository root)", err)
			}
			var r struct{ Parse float64 }
			if err := json.Unmarshal(out, &r); err != nil {
				b.Fatal(err)
			}
			npm = min(npm, r.Parse)
			goAny = min(goAny, measure(func() { var v any; Unmarshal(data, &v) }))
			goTyped = min(goTyped, measure(func() { Unmarshal(data, c.typed()) }))
		}
		fmt.Fprintf(&report, "\n%s (%d bytes): npm parse %.2f ms\n", c.name, len(data), npm/1e6)
		fmt.Fprintf(&report, "  Unmarshal (any)   %8.2f ms   %5.2f× npm parse's time\n", goAny/1e6, goAny/npm)
		fmt.Fprintf(&report, "  Unmarshal (%T) %8.2f ms   %5.2f× npm parse's time\n", c.typed(), goTyped/1e6, goTyped/npm)
	}
	// Refused outright: a BigInt of a million digits.
	million := []byte(`[["BigInt","` + strings.Repeat("7", 1_000_000) + `"]]`)
	refuse := measure(func() { var v any; Unmarshal(million, &v) })
	fmt.Fprintf(&report, "\nBigInt, 1,000,000 digits: refused in %.2f ms\n", refuse/1e6)
	fmt.Print(report.String())
	for b.Loop() {
	}
}
