package form

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeExample builds the complete program of the README's "Typed
// forms" section against this copy of the modules.
func TestReadmeExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program; skipped in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Typed forms\n")
	if !ok {
		t.Fatal(`the README has no "Typed forms" section`)
	}
	_, program, ok := strings.Cut(section, "```go\n")
	program, _, ok2 := strings.Cut(program, "```\n")
	if !ok || !ok2 {
		t.Fatal("the Typed forms section has no Go program")
	}
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	goSum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"main.go": program,
		"go.mod": "module example.com/signup\n\ngo 1.25.0\n\n" +
			"require (\n\tgithub.com/formaction/formaction v0.0.0\n\tgithub.com/formaction/formaction/form v0.0.0\n)\n\n" +
			"replace github.com/formaction/formaction => " + filepath.Dir(here) + "\n\n" +
			"replace github.com/formaction/formaction/form => " + here + "\n",
		"go.sum": string(goSum),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goBin, "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go vet of the README's typed forms program: %v\n%s", err, out.String())
	}
}
