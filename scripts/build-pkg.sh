#!/usr/bin/env bash
# Builds the npm package into pkg/:
#   1. cargo build --lib --release --target wasm32-unknown-unknown
#   2. wasm-bindgen --target web            (JS glue + proximus_api_bg.wasm)
#   3. wasm-opt -Oz (npm binaryen)          with the wasm features rustc enables by default
#   4. copy pkg-template/* over it          (package.json, README, runtime entry files), and LICENSE
#   5. check the optimized module instantiates in Node, print raw/gzip sizes
# Tools come from scripts/ensure-tools.sh (`make pkg` runs it first).
set -euo pipefail

# One compound command: bash parses it all before running, so editing this file (or a git
# checkout) while it runs cannot change what runs.
{
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

OUT="pkg"
STAGE="target/pkg-stage"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WASM_IN="$TARGET_DIR/wasm32-unknown-unknown/release/proximus_api.wasm"
WASM_OPT="node_modules/.bin/wasm-opt"
# What rustc >= 1.87 enables by default for wasm32-unknown-unknown
# (`rustc --print cfg --target wasm32-unknown-unknown | grep target_feature`). Binaryen must be
# told, or it rejects/unlowers the code; and its own defaults must not add anything beyond them.
WASM_FEATURES=(--enable-bulk-memory --enable-bulk-memory-opt --enable-sign-ext --enable-mutable-globals
               --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue
               --enable-call-indirect-overlong)

step() { printf '==> %s\n' "$*"; }
fail() { printf '\nbuild-pkg: FAILED: %s\n' "$1" >&2; [ $# -gt 1 ] && printf '  fix: %s\n' "$2" >&2; exit 1; }

command -v wasm-bindgen >/dev/null || fail "wasm-bindgen not found" "run scripts/ensure-tools.sh (or make pkg)"
[ -x "$WASM_OPT" ] || fail "$WASM_OPT not found" "run scripts/ensure-tools.sh (it runs npm ci)"

# Panic locations name their files: shorten the toolchain's and the registry's long prefixes
# (about 1 KB gz). Only for this build: RUSTFLAGS set here do not touch the test builds' cache.
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
REMAP=(--remap-path-prefix="/rustc/$(rustc -vV | sed -n 's/^commit-hash: //p')=rustc")
for registry in "$CARGO_HOME_DIR"/registry/src/*/; do
  [ -d "$registry" ] && REMAP+=(--remap-path-prefix="${registry%/}=crates")
done
# sha2's compact software rounds instead of the unrolled ones: 1.5 KB gz less, and a callback URL
# is signed in a block or two.
SHA2_COMPACT='--cfg sha2_backend_soft="compact"'
export RUSTFLAGS="${RUSTFLAGS:-} ${REMAP[*]} $SHA2_COMPACT"

step "cargo build --lib --release --target wasm32-unknown-unknown"
cargo build --lib --release --target wasm32-unknown-unknown \
  || fail "cargo build (wasm32-unknown-unknown, release)" "fix the compile errors above"
[ -f "$WASM_IN" ] || fail "$WASM_IN was not produced" "is crate-type = [\"cdylib\", …] still in Cargo.toml?"

rm -rf "$STAGE"
mkdir -p "$STAGE"

step "wasm-bindgen $(wasm-bindgen --version | awk '{print $2}') --target web → $STAGE"
wasm-bindgen --target web --out-dir "$STAGE" --out-name proximus_api "$WASM_IN" \
  || fail "wasm-bindgen" "the wasm-bindgen CLI must be exactly the version in Cargo.lock: run scripts/ensure-tools.sh"

step "wasm-opt -Oz ($("$WASM_OPT" --version | awk '{print $1, $3}'))"
before=$(wc -c < "$STAGE/proximus_api_bg.wasm")
# Functions with one caller are inlined only up to 100 bytes (binaryen's default: any size): the
# merged giants compress worse. 7.4 KB gz less for about 2 % more CPU per call at most (issue 14).
"$WASM_OPT" -Oz --one-caller-inline-max-function-size=100 "${WASM_FEATURES[@]}" \
  "$STAGE/proximus_api_bg.wasm" -o "$STAGE/proximus_api_bg.opt.wasm" \
  || fail "wasm-opt -Oz" "if it complains about a feature, rustc enabled a new one: add its --enable-… flag in scripts/build-pkg.sh"
mv "$STAGE/proximus_api_bg.opt.wasm" "$STAGE/proximus_api_bg.wasm"
after=$(wc -c < "$STAGE/proximus_api_bg.wasm")
echo "    $before → $after bytes"

if [ -d pkg-template ]; then
  step "copy pkg-template/ → pkg/"
  cp -R pkg-template/. "$STAGE/"
else
  echo "    notice: no pkg-template/ directory: pkg/ holds only the wasm-bindgen output"
fi
# The licence ships with the package; its one copy is the repository's.
cp LICENSE "$STAGE/LICENSE"

# Swap the finished package in at once: nothing ever sees a half-built pkg/.
rm -rf "$OUT.old"
[ -d "$OUT" ] && mv "$OUT" "$OUT.old"
mv "$STAGE" "$OUT"
rm -rf "$OUT.old"

step "check: the optimized module instantiates in Node"
node --input-type=module -e '
  import { readFileSync, existsSync } from "node:fs";
  import { pathToFileURL } from "node:url";
  const dir = process.argv[1];
  const glue = await import(pathToFileURL(`${dir}/proximus_api.js`));
  const bytes = readFileSync(`${dir}/proximus_api_bg.wasm`);
  const module = new WebAssembly.Module(bytes);       // validates with V8
  const exports = glue.initSync({ module });          // instantiates + runs the start function
  const names = Object.keys(exports).filter((n) => !n.startsWith("__"));
  console.log(`    ok: proximus_api_bg.wasm instantiates (${Object.keys(exports).length} wasm exports, e.g. ${names.slice(0, 4).join(", ")})`);
  if (typeof glue.__version === "function") console.log(`    ok: __version() = ${glue.__version()}`);
  if (existsSync(`${dir}/node.js`)) {
    const entry = await import(pathToFileURL(`${dir}/node.js`));
    console.log(`    ok: pkg/node.js loads (exports: ${Object.keys(entry).sort().join(", ")})`);
  }
' "$ROOT/$OUT" || fail "the built package does not load in Node" \
  "see the error above; a wasm validation error after wasm-opt means WASM_FEATURES in scripts/build-pkg.sh is wrong"

step "sizes (raw / gzip -9)"
mapfile -t shipped < <(find "$OUT" -type f \( -name '*.wasm' -o -name '*.js' \) | sort)
for f in "${shipped[@]}"; do
  printf '    %-28s %9s B %9s B gz\n' "$(basename "$f")" "$(wc -c < "$f")" "$(gzip -9c "$f" | wc -c)"
done
total_gz=$(cat "${shipped[@]}" | gzip -9c | wc -c)
printf '    %-28s %9s   %9s B gz (wasm + js, one stream)\n' "total" "" "$total_gz"
step "pkg/ ready"
exit
}
