# The README's two commands: `make demo` runs the example app, `make test`
# runs every test. Both install what a fresh Debian machine with Go and Node
# lacks: npm packages, and Chromium when run as root.
#
# Five Go modules: the library (this directory, standard library only),
# form/ (typed forms, which need go-playground/validator), and beside them
# example/ (the demo), client/ (the esbuild bundler) and e2e/ (browser
# tests), so that their dependencies never reach a user's go.sum.

SHELL := /bin/bash
GO ?= go
ADDR ?= 127.0.0.1:8080
CHROMIUM ?= /usr/bin/chromium
# Fuzzing runs each target for a number of executions, not a duration: on
# Go 1.26 a -fuzztime duration can end in a spurious "context deadline
# exceeded" failure (go.dev/issue/75804, fixed in Go 1.27), and a count
# does the same work however loaded the machine is. A target may have its
# own count (FUZZ_EXECS_<target>) when one execution costs much more.
FUZZ_EXECS ?= 200000
export FUZZ_EXECS_FuzzUnmarshalMemory ?= 40000
# The Go release the README promises; `make test` proves the library on it.
GO_MIN ?= go1.25.0
MODULES := . form example client e2e
export FORMACTION_CHROMIUM := $(CHROMIUM)

.PHONY: demo test bundle bench fuzz golden go-min chromium

demo:
	cd example && $(GO) run ./login -addr $(ADDR)

# FORMACTION_REQUIRE_ALL=1: no test may skip for want of Node or Chromium.
test: export FORMACTION_REQUIRE_ALL := 1
test: node_modules/.package-lock.json chromium
	@for m in $(MODULES); do echo "go vet in $$m"; (cd $$m && $(GO) vet ./...) || exit 1; done
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then \
		echo "gofmt -l lists files that need formatting:"; echo "$$unformatted"; exit 1; fi
	@for m in $(MODULES); do (cd $$m && $(GO) mod tidy -diff) || { echo "go mod tidy would change $$m/go.mod"; exit 1; }; done
	@$(MAKE) --no-print-directory go-min
	@$(MAKE) --no-print-directory fuzz
	$(GO) run ./internal/testsum $(addprefix -C ,$(MODULES)) -- -race -timeout 30m ./...

# The library modules build, vet and pass their tests with the oldest Go
# the README promises (the go command fetches that toolchain).
go-min:
	GOTOOLCHAIN=$(GO_MIN) $(GO) version
	GOTOOLCHAIN=$(GO_MIN) $(GO) vet ./...
	GOTOOLCHAIN=$(GO_MIN) $(GO) test -count=1 ./...
	cd form && GOTOOLCHAIN=$(GO_MIN) $(GO) vet ./... && GOTOOLCHAIN=$(GO_MIN) $(GO) test -count=1 ./...

# Rebuilds enhance.js from client/src. Commit the result: library users get
# the committed file, and a test fails when it is stale.
bundle: node_modules/.package-lock.json
	cd client && $(GO) run .

bench: node_modules/.package-lock.json
	$(GO) test -run '^$$' -bench . -benchmem ./...
	cd form && $(GO) test -run '^$$' -bench . -benchmem ./...

# Writes the golden files of npm devalue's answers anew (testdata/
# oracle.golden.json), which tests use where Node is missing. Commit them.
golden: node_modules/.package-lock.json
	find . -name oracle.golden.json -path '*/testdata/*' -delete
	FORMACTION_UPDATE_GOLDEN=1 $(GO) test -count=1 ./...
	cd e2e && FORMACTION_UPDATE_GOLDEN=1 $(GO) test -count=1 -run 'Deserialize' ./...

# Every Fuzz target under this directory, each for FUZZ_EXECS executions
# (or its own FUZZ_EXECS_<target>). Each runs from its own package's
# directory, so that targets in the other modules (form/) run in theirs.
fuzz:
	@set -e; for dir in $$(grep -rl --include='*_test.go' --exclude-dir=node_modules '^func Fuzz' . | xargs -r -n1 dirname | sort -u); do \
		for target in $$(grep -h -o '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -d' ' -f2); do \
			own=FUZZ_EXECS_$$target; execs=$${!own:-$(FUZZ_EXECS)}; \
			echo "fuzz: $$dir $$target for $$execs executions"; \
			(cd $$dir && $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $${execs}x .); \
		done; \
	done

# npm ci when node_modules is missing or older than the manifest or the lock.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Chromium is missing: installing Debian's chromium package"; \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else \
			echo "Chromium is missing at $(CHROMIUM): install Debian's chromium package (apt-get install chromium) as root, or set CHROMIUM=/path/to/chromium"; \
			exit 1; \
		fi; \
	fi
