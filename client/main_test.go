package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

// TestBundleIsFresh fails when enhance.js is not what the sources build:
// library users get the committed file through `go get`, so it must never
// lag behind client/src.
func TestBundleIsFresh(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "devalue")); err != nil && os.Getenv("FORMACTION_REQUIRE_ALL") != "1" {
		t.Skip("node_modules is missing; `make test` installs the npm packages and runs this test")
	}
	fresh, err := bundle(root)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join(root, "enhance.js"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("enhance.js: %d bytes, %d bytes with gzip -9 (budget %d)", len(fresh), gzipSize(t, fresh), budget)
	if !bytes.Equal(fresh, committed) {
		t.Fatalf("enhance.js is stale: the sources build %d bytes, the committed file has %d; run `make bundle` and commit enhance.js",
			len(fresh), len(committed))
	}
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// budget is the most enhance.js may weigh, gzipped at the best compression.
// For scale, measured the same way: htmx 4 13.3 KB, Datastar 12.1 KB,
// Turbo 8 25.6 KB.
const budget = 8192

func TestBundleWithinBudget(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join(root, "enhance.js"))
	if err != nil {
		t.Fatal(err)
	}
	if size := gzipSize(t, js); size > budget {
		t.Fatalf("enhance.js is %d bytes gzipped, over the %d-byte budget", size, budget)
	}
}
