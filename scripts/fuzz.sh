#!/usr/bin/env bash
# Fuzzes every parser of untrusted data in the core for a bounded time (CI: `scripts/test.sh fuzz`).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]
#
#   SECONDS_PER_TARGET   how long each target runs (default: $FUZZ_SECONDS, else 30)
#   TARGET               only these targets (default: every target in fuzz/fuzz_targets)
#
# Environment:
#   FUZZ_SECONDS              default seconds per target (30)
#   FUZZ_SANITIZER            address (default) or none; `none` if AddressSanitizer does not work
#   FUZZ_SEED                 libFuzzer's seed (default 1, so that a CI run explores the same
#                             paths each time; 0 = a random seed, for runs by hand)
#   FUZZ_JOBS                 targets run at once (default: the number of cores, at most 4;
#                             libFuzzer uses one core per target)
#
# What it does:
# - installs cargo-fuzz (`cargo install cargo-fuzz`, ~1 min, once) when it is missing;
# - builds the targets with the stable toolchain (cargo-fuzz needs nightly flags: RUSTC_BOOTSTRAP=1
#   unlocks them on stable), into fuzz/target; ~3 min the first time on 2 cores, seconds after;
# - runs each target on a temporary copy of its committed seed corpus (fuzz/corpus/TARGET), so
#   the repo is never dirtied; crashes go to fuzz/artifacts/TARGET/ (ignored by git);
# - prints a table of executions per target and fails if any target crashed, with the reproducer
#   path and the command to replay it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"
export PATH="$HOME/.cargo/bin:$PATH"

SECONDS_PER_TARGET="${FUZZ_SECONDS:-30}"
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then SECONDS_PER_TARGET="$1"; shift; fi
SANITIZER="${FUZZ_SANITIZER:-address}"
CORES="$(nproc 2>/dev/null || echo 2)"
JOBS="${FUZZ_JOBS:-$((CORES > 4 ? 4 : CORES))}"
CARGO_FUZZ_VERSION="0.13.2"

say() { printf '==> [fuzz] %s\n' "$*"; }

# --- cargo-fuzz --------------------------------------------------------------------------------
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "cargo-fuzz is missing: installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install, ~1 min) …"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked \
    || cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi
say "$(cargo fuzz --version)"

# cargo-fuzz passes -Z flags (sanitizers, coverage): allowed on the stable compiler this way.
export RUSTC_BOOTSTRAP=1

if [ $# -gt 0 ]; then
  TARGETS=("$@")
else
  mapfile -t TARGETS < <(cargo fuzz list)
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/proximus-fuzz.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# --- build -------------------------------------------------------------------------------------
start=$SECONDS
say "building the targets (sanitizer: $SANITIZER) …"
cargo fuzz build -s "$SANITIZER" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
say "built in $((SECONDS - start))s"

# --- run ---------------------------------------------------------------------------------------
run_one() {
  local target="$1" corpus="$WORK/corpus/$1" log="$WORK/$1.log"
  mkdir -p "$corpus" "$ROOT/fuzz/artifacts/$target"
  [ -d "$ROOT/fuzz/corpus/$target" ] && cp -R "$ROOT/fuzz/corpus/$target/." "$corpus/"
  local rc=0
  # -rss_limit_mb: ASan's shadow memory counts; -timeout: one input must not take a second.
  cargo fuzz run -s "$SANITIZER" "$target" "$corpus" -- \
    -seed="${FUZZ_SEED:-1}" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$ROOT/fuzz/artifacts/$target/" \
    >"$log" 2>&1 || rc=$?
  echo "$rc" >"$WORK/$target.rc"
}

say "running each target for ${SECONDS_PER_TARGET}s, $JOBS at a time …"
running=0
for target in "${TARGETS[@]}"; do
  run_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true

# --- report ------------------------------------------------------------------------------------
failed=0
printf '\n%-18s %14s %10s %8s  %s\n' TARGET EXECUTIONS EXEC/S CORPUS RESULT
for target in "${TARGETS[@]}"; do
  log="$WORK/$target.log"
  rc="$(cat "$WORK/$target.rc" 2>/dev/null || echo 1)"
  execs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)"
  [ -n "$execs" ] || execs="$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)"
  rate="$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)"
  corpus="$(find "$WORK/corpus/$target" -type f | wc -l)"
  if [ "$rc" = 0 ]; then
    result=ok
  else
    result="FAILED (exit $rc)"
    failed=1
  fi
  printf '%-18s %14s %10s %8s  %s\n' "$target" "${execs:-?}" "${rate:-?}" "$corpus" "$result"
done

if [ "$failed" != 0 ]; then
  for target in "${TARGETS[@]}"; do
    [ "$(cat "$WORK/$target.rc" 2>/dev/null || echo 1)" = 0 ] && continue
    printf '\n==> [fuzz] %s FAILED; the end of its log:\n' "$target" >&2
    grep -vE '^#[0-9]+' "$WORK/$target.log" | tail -40 >&2
    artifact="$(grep -oE "Test unit written to [^ ]+" "$WORK/$target.log" | tail -1 | sed 's/Test unit written to //' || true)"
    if [ -n "$artifact" ]; then
      printf '\n    reproducer: %s\n    replay:     (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -s %s %s %s)\n' \
        "$artifact" "$SANITIZER" "$target" "$artifact" >&2
    fi
  done
  exit 1
fi
say "all ${#TARGETS[@]} targets ran ${SECONDS_PER_TARGET}s each without a failure"
