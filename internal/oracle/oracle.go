// Package oracle runs npm devalue under Node, the reference the Go code is
// checked against: tests take expected devalue text from here, never from a
// string typed by hand.
package oracle

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
// what it printed. It fails with a clear message when Node or the npm
// packages are missing, which `make test` installs.
func Run(module string) (string, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return "", errors.New("oracle: node is not installed; the conformance tests need Node and `npm ci`")
	}
	if _, err := os.Stat(filepath.Join(Root(), "node_modules", "devalue")); err != nil {
		return "", errors.New("oracle: node_modules/devalue is missing; run `npm ci` at the repository root (make test does)")
	}
	cmd := exec.Command("node", "--input-type=module", "-e", module)
	cmd.Dir = Root()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("oracle: node: %v: %s", err, stderr.String())
	}
	return string(out), nil
}
