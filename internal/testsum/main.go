// Command testsum runs `go test -json` with the given arguments and prints a
// readable report: package results, the output of every test (framing lines
// left out), failures in full, and a closing line that counts the tests:
//
//	tests: 120 passed, 0 failed, 0 skipped
//
// It exits with go test's status, or 1 when a test failed or none ran.
//
//	go run ./internal/testsum -race ./...
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
	cmd := exec.Command("go", append([]string{"test", "-json"}, os.Args[1:]...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fatal(err)
	}
	if err := cmd.Start(); err != nil {
		fatal(err)
	}
	passed, failed, skipped := report(stdout)
	runErr := cmd.Wait()
	fmt.Printf("tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped)
	switch {
	case runErr != nil:
		if exit, ok := runErr.(*exec.ExitError); ok {
			os.Exit(exit.ExitCode())
		}
		fatal(runErr)
	case failed > 0 || passed == 0:
		os.Exit(1)
	}
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

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "testsum:", err)
	os.Exit(2)
}
