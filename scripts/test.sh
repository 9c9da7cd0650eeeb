#!/usr/bin/env bash
# The whole test suite, in order, stopping at the first failure (`make test`), or single steps:
#
#   scripts/test.sh                 all steps below, in this order
#   scripts/test.sh STEP [STEP…]    only those steps
#
# Steps: tools lint audit native fuzz sandbox pkg wasm-node wasm-browser js reliability load
#        consumers isolates demo-e2e
#
# Environment:
#   PROXIMUS_TEST_PORT   fixed port of the sandbox for the wasm tests (default 18787). The wasm
#                        tests read PROXIMUS_SANDBOX_URL at compile time (option_env!), so a fixed
#                        URL keeps cargo from rebuilding them between the Node and browser runs.
#   WASM_BINDGEN_TEST_TIMEOUT   per test binary in the browser, seconds (default here: 120)
#   CHROMEDRIVER         chromedriver to drive Chromium (default: the one on PATH)
#   CHROMIUM             Chromium for the Vite consumer test (default /usr/bin/chromium)
#   FUZZ_SECONDS         seconds per fuzz target (default 30; scripts/fuzz.sh)
#   STEP_TIMEOUT         seconds a test command may run when stdin is not a terminal (CI), so a
#                        hung test fails the run instead of stalling it (default 900; 0 = none)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

ALL_STEPS=(tools lint audit native fuzz sandbox pkg wasm-node wasm-browser js reliability load consumers isolates demo-e2e)
PORT="${PROXIMUS_TEST_PORT:-18787}"
SANDBOX_URL="http://127.0.0.1:$PORT"

CURRENT=""
STARTED=$SECONDS
on_exit() {
  local rc=$?
  if [ $rc -ne 0 ] && [ -n "$CURRENT" ]; then
    printf '\n==> FAILED at step "%s" (exit %s) after %ss\n' "$CURRENT" "$rc" "$((SECONDS - STARTED))" >&2
    printf '    rerun just this step: scripts/test.sh %s\n' "$CURRENT" >&2
  fi
}
trap on_exit EXIT

announce() { CURRENT="$1"; shift; printf '\n==> [%s] %s\n' "$CURRENT" "$*"; STEP_START=$SECONDS; }
done_step() { printf '==> [%s] ok (%ss)\n' "$CURRENT" "$((SECONDS - STEP_START))"; }
notice() { printf '==> [%s] SKIPPED: %s\n' "$CURRENT" "$*"; }

# Runs a command under STEP_TIMEOUT when not interactive. (Interactively no timeout: `timeout`
# moves the command out of the terminal's process group, and Ctrl-C would no longer reach it.)
limit() {
  local t="${STEP_TIMEOUT:-900}" rc=0
  if [ -t 0 ] || [ "$t" = 0 ] || ! command -v timeout >/dev/null; then "$@"; return; fi
  timeout -k 30 "$t" "$@" || rc=$?
  case $rc in
    124) echo "    timed out after ${t}s (STEP_TIMEOUT): $*" >&2 ;;
    137) echo "    killed (SIGKILL: ${t}s STEP_TIMEOUT + 30s grace, or out of memory): $*" >&2 ;;
  esac
  return $rc
}

# The steps that test the built package need it.
require_pkg() {
  [ -f pkg/proximus_api_bg.wasm ] || { echo "pkg/ is not built: run make pkg" >&2; return 1; }
}

# Test files under a folder (sorted), for `node --test` (explicit paths: Node 20 and 22 treat a
# bare directory argument differently).
js_tests() { [ -d "$1" ] || return 0; find "$1" -type f \( -name '*.test.js' -o -name '*.test.mjs' -o -name '*.test.cjs' \) | sort; }

# The cargo test targets that hold #[wasm_bindgen_test]s: `--test NAME` per integration test file
# (tests/NAME.rs or tests/NAME/main.rs) that mentions wasm_bindgen_test, plus `--lib` if src/ does.
# Only those are compiled for wasm32: native-only test files need not build there.
wasm_test_targets() {
  local f name
  for f in tests/*.rs tests/*/main.rs; do
    [ -f "$f" ] || continue
    grep -q 'wasm_bindgen_test' "$f" || continue
    if [ "$(basename "$f")" = main.rs ]; then name="$(basename "$(dirname "$f")")"; else name="$(basename "$f" .rs)"; fi
    printf -- '--test\n%s\n' "$name"
  done
  if grep -rlq --include='*.rs' 'wasm_bindgen_test' src 2>/dev/null; then printf -- '--lib\n'; fi
}

wasm_test() {
  # $1: node | browser
  local -a env_args=(
    env -u WASM_BINDGEN_USE_BROWSER -u WASM_BINDGEN_USE_NODE_EXPERIMENTAL
        -u WASM_BINDGEN_TEST_ONLY_NODE -u WASM_BINDGEN_TEST_ONLY_WEB
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
    WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
  )
  if [ "$1" = browser ]; then
    local driver="${CHROMEDRIVER:-$(command -v chromedriver || true)}"
    [ -n "$driver" ] || { echo "chromedriver not found: run scripts/ensure-tools.sh --browser" >&2; return 1; }
    # CHROMEDRIVER pins Chrome even when a geckodriver is also on PATH (the runner tries it first).
    env_args+=(WASM_BINDGEN_USE_BROWSER=1 WASM_BINDGEN_TEST_ONLY_WEB=1 CHROMEDRIVER="$driver"
               WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json")
  else
    env_args+=(WASM_BINDGEN_TEST_ONLY_NODE=1)
  fi
  local -a targets
  mapfile -t targets < <(wasm_test_targets)
  echo "--> cargo test --target wasm32-unknown-unknown ${targets[*]}"
  # No doctests here (they run natively); RUNNER makes cargo hand each .wasm to the test runner.
  limit "${env_args[@]}" node scripts/with-sandbox.mjs --port "$PORT" -- \
    cargo test --target wasm32-unknown-unknown "${targets[@]}"
}

step_tools() {
  announce tools "scripts/ensure-tools.sh --browser"
  scripts/ensure-tools.sh --browser
  done_step
}

step_lint() {
  announce lint "cargo fmt --check; cargo clippy (native and wasm32) -D warnings"
  # All three run, so one CI round shows every lint problem; the step fails if any did.
  local failed=()
  echo "--> cargo fmt --all -- --check"
  cargo fmt --all -- --check || failed+=("cargo fmt --all -- --check (fix: cargo fmt --all)")
  echo "--> cargo clippy --all-targets -- -D warnings"
  cargo clippy --all-targets -- -D warnings || failed+=("cargo clippy --all-targets -- -D warnings")
  echo "--> cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings"
  cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings \
    || failed+=("cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings")
  if [ ${#failed[@]} -gt 0 ]; then
    printf '    lint failed: %s\n' "${failed[@]}" >&2
    return 1
  fi
  done_step
}

step_audit() {
  announce audit "cargo deny (deny.toml) + npm audit --omit=dev of the published package"
  limit scripts/audit.sh
  done_step
}

step_fuzz() {
  announce fuzz "libFuzzer on every parser of untrusted data, ${FUZZ_SECONDS:-30} s per target (scripts/fuzz.sh)"
  limit scripts/fuzz.sh
  done_step
}

step_native() {
  announce native "cargo test (native)"
  limit cargo test
  done_step
}

step_sandbox() {
  announce sandbox "node --test sandbox/test/"
  local files
  files="$(js_tests sandbox/test)"
  if [ -z "$files" ]; then notice "no sandbox/test/*.test.js files yet"; return 0; fi
  # shellcheck disable=SC2086
  limit node --test $files
  done_step
}

step_pkg() {
  announce pkg "scripts/build-pkg.sh"
  scripts/build-pkg.sh
  done_step
}

step_wasm_node() {
  announce wasm-node "wasm-bindgen tests in Node (sandbox at $SANDBOX_URL)"
  if [ -z "$(wasm_test_targets)" ]; then notice "no #[wasm_bindgen_test] in tests/ or src/ yet"; return 0; fi
  wasm_test node
  done_step
}

step_wasm_browser() {
  announce wasm-browser "wasm-bindgen tests in headless Chromium (sandbox at $SANDBOX_URL)"
  if [ -z "$(wasm_test_targets)" ]; then notice "no #[wasm_bindgen_test] in tests/ or src/ yet"; return 0; fi
  wasm_test browser
  done_step
}

step_js() {
  announce js "node --test tests/js/ (the built pkg/)"
  local files
  files="$(js_tests tests/js)"
  if [ -z "$files" ]; then notice "no tests/js/*.test.{js,mjs} files yet"; return 0; fi
  require_pkg
  # shellcheck disable=SC2086
  limit node --test $files
  done_step
}

step_reliability() {
  announce reliability "the fault matrix (call kinds × faults) in Node and workerd, secrets checked on every row"
  require_pkg
  limit node --test --test-concurrency=2 tests/reliability/*.test.mjs
  done_step
}

step_load() {
  announce load "1,000 concurrent calls from one client in Node and workerd: one /token, typed errors, bounded memory"
  require_pkg
  # One file at a time: each measures time and memory, and would disturb the other.
  limit node --test --test-concurrency=1 tests/load/*.test.mjs
  done_step
}

# --- consumers: the packed tarball installed as users install it (tests/consumers/*) ---------

CONSUMERS=(node-esm typescript worker vite readme)

# Runs npm quietly; fails on any warning. The one exception is the machine's user npmrc setting
# `nodedir`, which npm 11 warns about for every command (not the project's doing).
npm_clean() {
  local log rc=0
  log="$(mktemp)"
  limit npm "$@" >"$log" 2>&1 || rc=$?
  if [ $rc -ne 0 ] || grep -v 'Unknown user config "nodedir"' "$log" | grep -qiE '^npm (warn|error)'; then
    sed 's/^/    /' "$log" >&2; rm -f "$log"
    echo "    npm $* failed or warned (rc=$rc)" >&2
    return 1
  fi
  rm -f "$log"
}

# npm ci (devDependencies from the committed lock) unless node_modules already matches the lock,
# then the tarball with `npm install --no-save` unless that very tarball is already installed.
consumer_install() {
  local dir="$1" tgz="$2" lock_sum tgz_sum
  lock_sum="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
  tgz_sum="$(sha256sum "$tgz" | cut -d' ' -f1)"
  if [ "$(cat "$dir/node_modules/.consumer-lock.sha256" 2>/dev/null)" != "$lock_sum" ]; then
    echo "--> $dir: npm ci"
    (cd "$dir" && npm_clean ci --no-audit --no-fund) || return 1
    mkdir -p "$dir/node_modules"; echo "$lock_sum" > "$dir/node_modules/.consumer-lock.sha256"
    rm -f "$dir/node_modules/.consumer-tgz.sha256"
  fi
  if [ "$(cat "$dir/node_modules/.consumer-tgz.sha256" 2>/dev/null)" != "$tgz_sum" ]; then
    echo "--> $dir: npm install --no-save $(basename "$tgz")"
    (cd "$dir" && npm_clean install --no-save --no-audit --no-fund "$ROOT/$tgz") || return 1
    echo "$tgz_sum" > "$dir/node_modules/.consumer-tgz.sha256"
  else
    echo "--> $dir: up to date"
  fi
}

step_consumers() {
  announce consumers "npm pack pkg/; each tests/consumers/* installs the tarball and runs against the sandbox"
  require_pkg
  local f
  for f in pkg-template/* LICENSE; do
    cmp -s "$f" "pkg/${f#pkg-template/}" \
      || { echo "pkg/ is older than $f: rebuild it (scripts/test.sh pkg consumers, or make pkg)" >&2; return 1; }
  done
  local base="tests/consumers" pack="target/pack" tgz c
  echo "--> npm pack --dry-run pkg/: every entry's imports are in \"files\""
  npm pack --dry-run --json ./pkg 2>/dev/null | node "$base/check-pack.mjs" pkg
  rm -rf "$pack"; mkdir -p "$pack"
  echo "--> npm pack pkg/ → $pack/"
  tgz="$pack/$(npm pack ./pkg --pack-destination "$pack" --json 2>/dev/null | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)')"
  [ -f "$tgz" ] || { echo "npm pack did not produce $tgz" >&2; return 1; }
  echo "--> npm publish --dry-run $tgz: no warning, no error"
  # Offline yet meaningful: npm checks the manifest and the tarball as for a real publish. It looks
  # the package up on the registry (a dead loopback port: refused at once, which npm ignores), and
  # without a token for that registry it would warn that nobody is logged in (a dummy one).
  npm_clean publish --dry-run "$ROOT/$tgz" --registry http://127.0.0.1:9/ --fetch-retries 0 \
    "--//127.0.0.1:9/:_authToken=dry-run"
  for c in "${CONSUMERS[@]}"; do consumer_install "$base/$c" "$tgz"; done

  echo "--> [1/6] size budget: gzip -9 of pkg/*.wasm + pkg/*.js"
  limit node --test "$base/size-budget.test.mjs"
  echo "--> [2/6] node-esm: node --test (tokens, FMU, booking against the sandbox)"
  (cd "$base/node-esm" && limit node --test test/)
  echo "--> [3/6] typescript: tsc --strict --noEmit (every public call, @ts-expect-error misuses); tsc's messages for common mistakes"
  (cd "$base/typescript" && limit node_modules/.bin/tsc -p tsconfig.json --strict --noEmit && limit node check-messages.mjs)
  echo "--> [4/6] worker: wrangler deploy --dry-run --outdir dist; run in miniflare's workerd"
  (cd "$base/worker" && rm -rf dist && WRANGLER_SEND_METRICS=false limit node_modules/.bin/wrangler deploy --dry-run --outdir dist >wrangler.log 2>&1 \
     || { cat wrangler.log >&2; exit 1; }; rm -f wrangler.log; limit node --test test/)
  echo "--> [5/6] vite: vite build (production); the page in headless Chromium"
  (cd "$base/vite" && rm -rf dist && limit node_modules/.bin/vite build --logLevel warn && limit node --test test/)
  echo "--> [6/6] readme: the packed README's examples, tsc --strict, run in Node, Chromium and workerd against the sandbox"
  (cd "$base/readme" && rm -rf dist && limit node --test test/)
  done_step
}

# The tarball of the consumers step in TARBALL; packed here when a step runs alone or pkg/ changed.
packed_tarball() {
  local pack="target/pack"
  TARBALL="$(ls "$pack"/proximus-api-*.tgz 2>/dev/null | head -n1 || true)"
  if [ -z "$TARBALL" ] || [ -n "$(find pkg -type f -newer "$TARBALL" | head -n1)" ]; then
    rm -rf "$pack"; mkdir -p "$pack"
    echo "--> npm pack pkg/ → $pack/"
    TARBALL="$pack/$(npm pack ./pkg --pack-destination "$pack" --json 2>/dev/null | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)')"
  fi
}

# --- isolates: ensure across Workers isolates (Durable Objects), the README's recipe as written --

step_isolates() {
  announce isolates "the README's Worker recipe as two Worker scripts (isolates) in miniflare's workerd, one Durable Object per key, KV, the Cron clean-up, against the sandbox"
  require_pkg
  packed_tarball
  consumer_install tests/consumers/readme "$TARBALL"
  (cd tests/consumers/readme && limit node --test isolates/)
  done_step
}

# --- demo-e2e: the marketplace demo (www/) in workerd + headless Chromium ----------------------

step_demo_e2e() {
  announce demo-e2e "www/: the marketplace Worker in miniflare's workerd against the sandbox, the page in headless Chromium"
  require_pkg
  packed_tarball
  consumer_install www "$TARBALL"
  (cd www && node scripts/pkg-assets.mjs)
  echo "--> www: wrangler deploy --dry-run --outdir dist"
  (cd www && rm -rf dist && WRANGLER_SEND_METRICS=false limit node_modules/.bin/wrangler deploy --dry-run --outdir dist >wrangler.log 2>&1 \
     || { cat wrangler.log >&2; exit 1; }; rm -f wrangler.log)
  echo "--> www: node --test test/ (screenshots in target/demo-screenshots/)"
  (cd www && limit node --test test/)
  done_step
}

# One compound command: bash parses it all before running, so editing this file (or a git
# checkout) while it runs cannot change what runs.
{
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=("${ALL_STEPS[@]}")
for s in "${steps[@]}"; do
  case " ${ALL_STEPS[*]} " in
    *" $s "*) ;;
    *) CURRENT=""; echo "test.sh: unknown step \"$s\"; steps: ${ALL_STEPS[*]}" >&2; exit 2 ;;
  esac
done
for s in "${steps[@]}"; do
  "step_${s//-/_}"
done
CURRENT=""
printf '\n==> all steps passed (%s) in %ss\n' "${steps[*]}" "$((SECONDS - STARTED))"
exit
}
