package formaction_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeQuickStart builds the program of the README's quick start, as a
// user who pastes it into main.go would, against this copy of the module.
func TestReadmeQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program; skipped in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	program := quickStartProgram(t, string(readme))

	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go [0-9.]+$`).Find(goMod)
	if goLine == nil {
		t.Fatal("go.mod has no go line")
	}
	goSum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	files := map[string]string{
		"main.go": program,
		"go.mod": "module example.com/hello\n\n" + string(goLine) + "\n\n" +
			"require github.com/formaction/formaction v0.0.0\n\n" +
			"replace github.com/formaction/formaction => " + root + "\n",
		// The library's sums cover every module its go.mod names, which
		// loading its module graph needs.
		"go.sum": string(goSum),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	cmd := exec.Command(goBin, "build", "-o", filepath.Join(dir, "hello"), ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build of the README's quick start: %v\n%s\nmain.go:\n%s", err, out.String(), program)
	}
}

// quickStartProgram returns the first Go code block under the README's
// "Quick start" heading.
func quickStartProgram(t *testing.T, readme string) string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n## Quick start\n")
	if !ok {
		t.Fatal(`README.md has no "## Quick start" section`)
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	_, code, ok := strings.Cut(section, "\n```go\n")
	if !ok {
		t.Fatal("the quick start has no Go code block")
	}
	code, _, ok = strings.Cut(code, "\n```\n")
	if !ok {
		t.Fatal("the quick start's Go code block does not end")
	}
	if !strings.HasPrefix(code, "package main\n") {
		t.Fatalf("the quick start's first Go block is not a main package:\n%s", code)
	}
	return code + "\n"
}
