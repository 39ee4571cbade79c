# The README's two commands: `make demo` runs the example app, `make test`
# runs every test. Both install what a fresh Debian machine with Go and Node
# lacks: npm packages, and Chromium when run as root. Under `make test` no
# test may skip for a missing tool (FORMACTION_REQUIRE_ALL=1); the SvelteKit
# e2e test installs and builds its apps itself, cached (e2e/sveltekit).

SHELL := /bin/bash
GO ?= go
ADDR ?= 127.0.0.1:8080
CHROMIUM ?= /usr/bin/chromium
FUZZTIME ?= 15s
export FORMACTION_CHROMIUM := $(CHROMIUM)

.PHONY: demo test bundle bench fuzz chromium

demo:
	$(GO) run ./example/login -addr $(ADDR)

test: node_modules/.package-lock.json chromium
	$(GO) vet ./...
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then \
		echo "gofmt -l lists files that need formatting:"; echo "$$unformatted"; exit 1; fi
	@$(MAKE) --no-print-directory fuzz
	FORMACTION_REQUIRE_ALL=1 $(GO) run ./internal/testsum -race -timeout 30m ./...

# Rebuilds enhance.js from client/src. Commit the result: library users get
# the committed file, and a test fails when it is stale.
bundle: node_modules/.package-lock.json
	$(GO) run ./client

bench: node_modules/.package-lock.json
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Every Fuzz target in the module, each for FUZZTIME.
fuzz:
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -r -n1 dirname | sort -u); do \
		for target in $$(grep -h -o '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -d' ' -f2); do \
			echo "fuzz: $$dir $$target for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$dir; \
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
