#!/usr/bin/env bash
# Installs (only when missing) everything the build and the tests need, and says what it found.
#
#   scripts/ensure-tools.sh            rustup target, wasm-bindgen CLI, npm devDependencies
#   scripts/ensure-tools.sh --browser  the same, plus Chromium and chromedriver (apt)
#
# Idempotent: a second run installs nothing and prints one `ok:` line per tool.
set -euo pipefail

# One compound command: bash parses it all before running, so editing this file (or a git
# checkout) while it runs cannot change what runs.
{
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --browser) WITH_BROWSER=1 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ensure-tools: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say()  { printf '==> %s\n' "$*"; }
ok()   { printf 'ok: %s\n' "$*"; }
fail() {
  printf '\nensure-tools: FAILED: %s\n' "$1" >&2
  [ $# -gt 1 ] && printf '  fix: %s\n' "$2" >&2
  exit 1
}

export PATH="$HOME/.cargo/bin:$PATH"

# --- Rust: cargo + the wasm32 target ---------------------------------------------------------
command -v cargo >/dev/null || fail "cargo not found" "install Rust with rustup: https://rustup.rs"
command -v rustup >/dev/null || fail "rustup not found (needed to add the wasm32-unknown-unknown target)" \
  "install Rust with rustup: https://rustup.rs"
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  ok "rust target wasm32-unknown-unknown ($(rustc --version))"
else
  say "installing rust target wasm32-unknown-unknown …"
  rustup target add wasm32-unknown-unknown \
    || fail "rustup target add wasm32-unknown-unknown" "check network access to static.rust-lang.org, then rerun"
  ok "rust target wasm32-unknown-unknown ($(rustc --version))"
fi

for component in rustfmt clippy; do
  sub="${component/rustfmt/fmt}"
  if cargo "$sub" --version >/dev/null 2>&1; then
    ok "$(cargo "$sub" --version 2>/dev/null | head -1)"
  else
    say "installing rustup component $component …"
    rustup component add "$component" || fail "rustup component add $component" "check network access, then rerun"
    ok "$(cargo "$sub" --version 2>/dev/null | head -1)"
  fi
done

# --- wasm-bindgen CLI: exactly the version in Cargo.lock ---------------------------------------
[ -f Cargo.lock ] || { say "no Cargo.lock yet: generating it (cargo generate-lockfile) …"; cargo generate-lockfile \
  || fail "cargo generate-lockfile" "run it by hand and read cargo's error"; }
WB_VERSION="$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = / { gsub(/"/, "", $3); name = $3 }
  /^version = / && name == "wasm-bindgen" { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
[ -n "$WB_VERSION" ] || fail "could not find the wasm-bindgen package in Cargo.lock" \
  "run \`cargo fetch --target wasm32-unknown-unknown\` so Cargo.lock lists wasm-bindgen, then rerun"

have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
have_runner="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_wb" = "$WB_VERSION" ] && [ "$have_runner" = "$WB_VERSION" ]; then
  ok "wasm-bindgen $WB_VERSION (and wasm-bindgen-test-runner) at $(command -v wasm-bindgen)"
else
  if [ -n "$have_wb" ]; then
    say "installing wasm-bindgen-cli $WB_VERSION (found ${have_wb}; Cargo.lock wants $WB_VERSION) — takes ~3 min …"
  else
    say "installing wasm-bindgen-cli $WB_VERSION (not found) — takes ~3 min …"
  fi
  # No --locked: the CLI's own lockfile pins crates that no longer build with current rustc.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force \
    || fail "cargo install wasm-bindgen-cli --version $WB_VERSION" \
            "check access to crates.io and a C toolchain (apt-get install -y build-essential), then rerun"
  got="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  [ "$got" = "$WB_VERSION" ] || fail "wasm-bindgen on PATH is ${got:-missing}, expected $WB_VERSION" \
    "put \$HOME/.cargo/bin first on PATH (another wasm-bindgen shadows it: $(command -v wasm-bindgen || echo none))"
  ok "wasm-bindgen $WB_VERSION (and wasm-bindgen-test-runner) at $(command -v wasm-bindgen)"
fi

# --- Node + npm devDependencies (binaryen's wasm-opt, playwright-core) --------------------------
command -v node >/dev/null || fail "node not found" "install Node.js >= 20"
command -v npm >/dev/null || fail "npm not found" "install npm (comes with Node.js)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail "Node.js $(node --version) is too old" "install Node.js >= 20"
ok "node $(node --version), npm $(npm --version 2>/dev/null)"

if [ ! -f package-lock.json ]; then
  say "installing npm devDependencies (npm install: no package-lock.json yet) …"
  npm install --no-audit --no-fund || fail "npm install" "read npm's error above; check access to registry.npmjs.org"
elif [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing npm devDependencies (npm ci: node_modules missing or older than package-lock.json) …"
  npm ci --no-audit --no-fund || fail "npm ci" \
    "if package.json changed, run \`npm install\` to update package-lock.json; check access to registry.npmjs.org"
else
  ok "node_modules up to date with package-lock.json"
fi
[ -x node_modules/.bin/wasm-opt ] || fail "node_modules/.bin/wasm-opt missing" "rm -rf node_modules && npm ci"
wasm_opt_version="$(node_modules/.bin/wasm-opt --version | awk '{print $3}')"
[ "${wasm_opt_version:-0}" -ge 120 ] 2>/dev/null || fail "wasm-opt from npm binaryen is version ${wasm_opt_version:-?}, need >= 120" \
  "pin binaryen >= 120 in package.json and run npm install"
ok "wasm-opt $wasm_opt_version (npm binaryen)"

# --- Chromium + chromedriver (only with --browser) ---------------------------------------------
if [ "$WITH_BROWSER" = 1 ]; then
  find_chromium() { command -v chromium || command -v chromium-browser || command -v google-chrome || true; }
  if [ -n "$(find_chromium)" ] && command -v chromedriver >/dev/null; then
    :
  else
    command -v apt-get >/dev/null || fail "Chromium/chromedriver missing and apt-get not available" \
      "install Chromium and a matching chromedriver and put both on PATH (or set CHROMEDRIVER=/path/to/chromedriver)"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || fail "need root to apt-get install chromium" "run as root or install sudo"
      SUDO="sudo"
    fi
    # Another apt run (unattended upgrades, a parallel setup) holds the lock: wait for it.
    for _ in $(seq 1 120); do
      pgrep -x apt-get >/dev/null || pgrep -x apt >/dev/null || pgrep -x dpkg >/dev/null || break
      [ "${waited:-}" ] || { say "waiting for another apt/dpkg run to finish …"; waited=1; }
      sleep 5
    done
    say "installing chromium + chromium-driver (apt-get) …"
    $SUDO apt-get update -qq || fail "apt-get update" "check access to the Debian mirrors"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver \
      || fail "apt-get install chromium chromium-driver" "read apt's error above"
  fi
  chromium_bin="$(find_chromium)"
  [ -n "$chromium_bin" ] || fail "chromium not on PATH after install" "apt-get install -y chromium"
  command -v chromedriver >/dev/null || fail "chromedriver not on PATH after install" "apt-get install -y chromium-driver"
  # The Debian wrapper script prints noise on stderr; keep only the version line.
  ok "$("$chromium_bin" --version 2>/dev/null | head -1) at $chromium_bin"
  ok "$(chromedriver --version 2>/dev/null | awk '{print $1, $2}') at $(command -v chromedriver)"
fi
exit
}
