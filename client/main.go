// Command client bundles the browser client's ES modules in src/ into
// enhance.js at the repository root, the file the formaction package embeds.
//
//	go run ./client
//
// It uses esbuild's Go API, so building needs no Node; npm dependencies are
// resolved from the node_modules that `npm ci` installs at the repository root.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("client: ")
	root, err := repoRoot()
	if err != nil {
		log.Fatal(err)
	}
	js, err := bundle(root)
	if err != nil {
		log.Fatal(err)
	}
	out := filepath.Join(root, "enhance.js")
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, js) {
		fmt.Printf("enhance.js is up to date (%d bytes)\n", len(js))
		return
	}
	if err := os.WriteFile(out, js, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote enhance.js (%d bytes)\n", len(js))
}

// bundle builds the client from the repository at root and returns the
// minified IIFE. The output depends only on the sources and node_modules,
// never on the working directory, so a fresh build can be compared byte for
// byte with the committed file.
func bundle(root string) ([]byte, error) {
	if _, err := os.Stat(filepath.Join(root, "node_modules", "devalue")); err != nil {
		return nil, errors.New("node_modules/devalue is missing: run `npm ci` at the repository root (make does it for you)")
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir:     root,
		EntryPoints:       []string{"client/src/index.js"},
		Bundle:            true,
		Format:            api.FormatIIFE,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2020,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		LegalComments:     api.LegalCommentsNone,
		// V8's explicit compile hint (Chromium 136 and later; a comment
		// elsewhere): compile every function while the page loads, not on
		// the first submission, which measured 5-20% faster on a fresh
		// tab's first and second failure (BenchmarkApplyVsSvelteKit's
		// regime).
		Banner:   map[string]string{"js": "//# allFunctionsCalledOnLoad"},
		Charset:  api.CharsetUTF8,
		Write:    false,
		Outfile:  "enhance.js",
		LogLevel: api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, fmt.Errorf("esbuild failed:\n%s", strings.Join(msgs, ""))
	}
	if len(res.Warnings) > 0 {
		msgs := api.FormatMessages(res.Warnings, api.FormatMessagesOptions{Kind: api.WarningMessage})
		return nil, fmt.Errorf("esbuild warned (warnings are errors here):\n%s", strings.Join(msgs, ""))
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("esbuild produced %d files, want 1", len(res.OutputFiles))
	}
	return res.OutputFiles[0].Contents, nil
}

// repoRoot is the directory above this source file's package: the module
// root, whichever directory `go run` was started from.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "client", "src", "index.js")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		return filepath.Dir(filepath.Dir(file)), nil
	}
	return "", errors.New("cannot find the repository root (a directory with client/src/index.js)")
}
