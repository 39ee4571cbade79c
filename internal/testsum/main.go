// Command testsum runs `go test -json` with the given arguments in one or
// more modules and prints a readable report: package results, the output of
// every test (framing lines left out), failures in full, and a closing line
// that counts the tests of all the modules:
//
//	tests: 120 passed, 0 failed, 0 skipped
//
// It exits with 1 when go test failed in any module, a test failed or none
// ran.
//
//	go run ./internal/testsum -C . -C e2e -- -race ./...
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"strings"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	dirs, args := parseArgs(os.Args[1:])
	var passed, failed, skipped int
	ok := true
	for _, dir := range dirs {
		p, f, s, err := test(dir, args)
		passed, failed, skipped = passed+p, failed+f, skipped+s
		if err != nil {
			fmt.Printf("testsum: go test in %s: %v\n", dir, err)
			ok = false
		}
	}
	fmt.Printf("tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if !ok || failed > 0 || passed == 0 {
		os.Exit(1)
	}
}

// parseArgs splits "-C dir … -- args" into the module directories (the
// current one when none is given) and go test's arguments.
func parseArgs(in []string) (dirs, args []string) {
	for len(in) > 0 {
		switch {
		case in[0] == "-C" && len(in) > 1:
			dirs, in = append(dirs, in[1]), in[2:]
			continue
		case in[0] == "--":
			in = in[1:]
		}
		break
	}
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	return dirs, in
}

// test runs go test in the module at dir and counts its tests.
func test(dir string, args []string) (passed, failed, skipped int, err error) {
	cmd := exec.Command("go", append([]string{"test", "-json"}, args...)...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	passed, failed, skipped = report(stdout)
	return passed, failed, skipped, cmd.Wait()
}

func report(r interface{ Read([]byte) (int, error) }) (passed, failed, skipped int) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // not an event: pass it on as go test printed it
			continue
		}
		switch e.Action {
		case "output", "build-output":
			switch {
			case framing(e.Output):
			case e.Test != "":
				// Tests of several packages run at once: say whose line it is.
				fmt.Printf("    %s %s: %s", path.Base(e.Package), e.Test, strings.TrimLeft(e.Output, " "))
			default:
				fmt.Print(e.Output)
			}
		case "pass", "fail", "skip":
			if e.Test == "" {
				continue // the package line arrives as output
			}
			switch e.Action {
			case "pass":
				passed++
			case "fail":
				failed++
			case "skip":
				skipped++
			}
		}
	}
	return passed, failed, skipped
}

// framing reports whether a line is test2json's bookkeeping, which a report
// read by people does not need; failures and skips are kept.
func framing(line string) bool {
	t := strings.TrimLeft(line, " ")
	for _, p := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME", "--- PASS", "PASS\n"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}
