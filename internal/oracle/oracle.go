// Package oracle runs npm devalue under Node, the reference the Go code is
// checked against: tests take expected devalue text from here, never from a
// string typed by hand.
//
// So that `go test ./...` passes on a machine with only Go, every answer
// is also kept in a golden file, testdata/oracle.golden.json in the package
// under test, which is committed. Where Node and the npm packages are
// installed, the answer comes from Node and must equal the golden one (a
// difference fails the test: `make golden` writes the file anew); where
// they are not, the golden answer is used, unless FORMACTION_REQUIRE_ALL=1
// (set by `make test`), which makes a missing Node an error.
package oracle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Root is the repository root, where node_modules lives.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// Stringify returns npm devalue's stringify of the value the JavaScript
// expression expr evaluates to, using the package pkg ("devalue",
// "devalue-5" or "devalue-6").
func Stringify(pkg, expr string) (string, error) {
	return Run(`import { stringify } from "` + pkg + `"; process.stdout.write(stringify(` + expr + `));`)
}

// Run runs an ES module under Node from the repository root and returns
// what it printed, or the golden answer when Node is not installed.
func Run(module string) (string, error) {
	return Golden(module, func() (string, error) { return node(nil, "--input-type=module", "-e", module) })
}

// Script runs a script file under Node with stdin and arguments, from the
// package directory, for answers too large or too random to keep (run it
// only after Require).
func Script(stdin []byte, script string, args ...string) (string, error) {
	if err := available(); err != nil {
		return "", err
	}
	return node(stdin, append([]string{script}, args...)...)
}

// RequireAll reports whether FORMACTION_REQUIRE_ALL=1: every test must run,
// none may skip for want of Node or Chromium.
func RequireAll() bool { return os.Getenv("FORMACTION_REQUIRE_ALL") == "1" }

// Require skips t when Node or the npm packages are missing, or fails it
// under FORMACTION_REQUIRE_ALL=1.
func Require(t testing.TB) {
	t.Helper()
	if err := available(); err != nil {
		if RequireAll() {
			t.Fatal(err)
		}
		t.Skipf("%v; `make test` installs them and runs this test", err)
	}
}

// available reports why Node cannot answer, if it cannot.
func available() error {
	if _, err := exec.LookPath("node"); err != nil {
		return errors.New("oracle: node is not installed")
	}
	if _, err := os.Stat(filepath.Join(Root(), "node_modules", "devalue")); err != nil {
		return errors.New("oracle: node_modules/devalue is missing (npm ci at the repository root)")
	}
	return nil
}

func node(stdin []byte, args ...string) (string, error) {
	cmd := exec.Command("node", args...)
	if len(args) > 0 && args[0] == "--input-type=module" {
		cmd.Dir = Root() // bare imports resolve from node_modules there
	}
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("oracle: node: %v: %s", err, stderr.String())
	}
	return string(out), nil
}

// goldenFile is where a package's golden answers live, relative to its
// directory (go test runs in it).
const goldenFile = "testdata/oracle.golden.json"

var golden struct {
	sync.Mutex
	loaded  bool
	answers map[string]string
}

// Golden returns Node's answer to the question key, computed by ask, and
// checks it against the golden file; without Node it returns the golden
// answer. With FORMACTION_UPDATE_GOLDEN=1 it writes Node's answer to the
// file instead of checking it.
func Golden(key string, ask func() (string, error)) (string, error) {
	golden.Lock()
	defer golden.Unlock()
	if !golden.loaded {
		golden.answers = map[string]string{}
		if b, err := os.ReadFile(goldenFile); err == nil {
			if err := json.Unmarshal(b, &golden.answers); err != nil {
				return "", fmt.Errorf("oracle: %s: %v", goldenFile, err)
			}
		}
		golden.loaded = true
	}
	want, known := golden.answers[key]
	if err := available(); err != nil {
		if RequireAll() {
			return "", fmt.Errorf("%v, and FORMACTION_REQUIRE_ALL=1 asks for Node's own answers", err)
		}
		if !known {
			return "", fmt.Errorf("%v, and %s has no answer for %q; run `make golden` where Node is installed", err, goldenFile, key)
		}
		return want, nil
	}
	got, err := ask()
	if err != nil {
		return "", err
	}
	if os.Getenv("FORMACTION_UPDATE_GOLDEN") == "1" {
		golden.answers[key] = got
		return got, write(golden.answers)
	}
	if !known || got != want {
		return "", fmt.Errorf("oracle: %s is stale: for %q npm devalue answers %q, the file has %q; run `make golden` and commit it", goldenFile, key, got, want)
	}
	return got, nil
}

func write(answers map[string]string) error {
	b, err := json.MarshalIndent(answers, "", "\t")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
		return err
	}
	return os.WriteFile(goldenFile, append(b, '\n'), 0o644)
}
