# proximus-api: build and test entry points. `make` (or `make help`) lists them.
# GNU make. Every recipe stops at the first failing command.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

export PATH := $(HOME)/.cargo/bin:$(PATH)

SANDBOX_PORT ?= 8787
# Fixed sandbox port for the wasm tests (they read PROXIMUS_SANDBOX_URL at compile time).
PROXIMUS_TEST_PORT ?= 18787
export PROXIMUS_TEST_PORT

.PHONY: help tools tools-browser pkg sandbox demo lint fmt test \
        test-native test-sandbox test-wasm-node test-wasm-browser test-wasm test-js \
        test-reliability test-load fuzz audit soak bench clean distclean

help: ## list the targets
	@echo "proximus-api — make targets:"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN { FS = ":.*## " } { printf "  make %-18s %s\n", $$1, $$2 }'
	@echo "Variables: SANDBOX_PORT=$(SANDBOX_PORT) DEMO_PORT=$(DEMO_PORT) PROXIMUS_TEST_PORT=$(PROXIMUS_TEST_PORT)"

tools: ## install what the build needs (rust target, wasm-bindgen CLI, npm devDeps)
	@scripts/ensure-tools.sh

tools-browser: ## the same, plus Chromium + chromedriver (apt)
	@scripts/ensure-tools.sh --browser

pkg: tools ## build the npm package into pkg/ (wasm + JS, wasm-opt -Oz)
	@scripts/build-pkg.sh

sandbox: ## run the local Proximus sandbox on SANDBOX_PORT (8787)
	node sandbox/server.js --port $(SANDBOX_PORT)

DEMO_PORT ?= 8788

demo: pkg ## the marketplace demo (www/): sandbox + Worker in workerd on DEMO_PORT; Ctrl-C stops
	@www/scripts/prepare.sh
	@node www/demo.mjs --port $(DEMO_PORT) || [ $$? = 130 ]  # 130: stopped by Ctrl-C

lint: tools ## cargo fmt --check + clippy -D warnings (native and wasm32)
	@scripts/test.sh lint

fmt: ## format the Rust code
	cargo fmt --all

test: ## everything, in order, stopping at the first failure (what CI runs)
	@scripts/test.sh

test-native: ## cargo test (native)
	@scripts/test.sh native

test-sandbox: ## node --test sandbox/test/
	@scripts/test.sh sandbox

test-wasm-node: tools ## wasm-bindgen tests in Node, against a sandbox on PROXIMUS_TEST_PORT
	@scripts/test.sh wasm-node

test-wasm-browser: tools-browser ## wasm-bindgen tests in headless Chromium
	@scripts/test.sh wasm-browser

test-wasm: tools-browser ## both of the above
	@scripts/test.sh wasm-node wasm-browser

test-js: pkg ## node --test tests/js/ against the built pkg/
	@scripts/test.sh js

BENCH_ARGS ?=

test-reliability: pkg ## the fault matrix in Node and workerd (tests/reliability/, docs/reliability.md)
	@scripts/test.sh reliability

test-load: pkg ## 1,000 concurrent calls in Node and workerd (tests/load/)
	@scripts/test.sh load

fuzz: ## fuzz every parser of untrusted data (FUZZ_SECONDS per target, default 30)
	@scripts/fuzz.sh

audit: ## cargo deny + npm audit of the published package
	@scripts/audit.sh

SOAK_MINUTES ?= 10

soak: pkg ## on demand, not in CI: waves of calls for SOAK_MINUTES (10), memory must stay flat
	@node --expose-gc tests/load/soak.mjs --minutes $(SOAK_MINUTES)

bench: pkg ## benchmarks: size, throughput vs a hand-written client, cold start, bulk, tokens, memory (BENCH_ARGS=--quick)
	@node benches/run.mjs --no-build $(BENCH_ARGS)

clean: ## remove pkg/ and cargo's build output
	rm -rf pkg pkg.old target/pkg-stage
	cargo clean

distclean: clean ## clean, and remove node_modules/
	rm -rf node_modules
