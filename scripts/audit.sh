#!/usr/bin/env bash
# Supply-chain checks (CI: `scripts/test.sh audit`):
#
#   scripts/audit.sh
#
# 1. cargo deny (policy: deny.toml) on Cargo.lock, every target and dev-dependency included:
#    - bans (no wildcard versions), licenses (MIT, Apache-2.0, Unicode-3.0 only), sources
#      (crates.io only: no git, no other registry): always, offline;
#    - advisories (RustSec: vulnerable, unsound, unmaintained or yanked crates): the database is
#      fetched from GitHub. When it cannot be fetched the step says so loudly and does not count
#      as a pass: it is reported SKIPPED, and fails when AUDIT_REQUIRE_ADVISORIES=1 (set it in a
#      CI that has network access).
# 2. npm audit --omit=dev on the published package (pkg-template/package.json: what
#    `npm install proximus-api` installs). Its dependencies are listed first; with none there
#    is nothing an advisory could name. Otherwise it runs in a temporary copy with a lockfile and
#    fails on any advisory; an unreachable audit endpoint is SKIPPED (fails with
#    AUDIT_REQUIRE_ADVISORIES=1), never a pass.
#
# Installs cargo-deny (pinned, `cargo install --locked`, ~3-8 min once) when it is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_DENY_VERSION="0.20.2"
REQUIRE="${AUDIT_REQUIRE_ADVISORIES:-0}"
# The manifest of what is published (overridable to test this script).
PACKAGE_JSON="${AUDIT_PACKAGE_JSON:-$ROOT/pkg-template/package.json}"
say() { printf '==> [audit] %s\n' "$*"; }
skipped=()

# --- cargo deny --------------------------------------------------------------------------------
if ! cargo deny --version >/dev/null 2>&1; then
  say "cargo-deny is missing: installing cargo-deny $CARGO_DENY_VERSION (cargo install, a few minutes) …"
  cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked \
    || cargo install cargo-deny --version "$CARGO_DENY_VERSION"
fi
say "$(cargo deny --version)"

# cargo deny reads `cargo metadata` offline: every crate of Cargo.lock (all targets, dev ones
# included) must be in cargo's cache first, which a fresh machine has not filled yet.
say "cargo fetch --locked (every crate in Cargo.lock, so cargo deny can read them offline)"
cargo fetch --locked
say "cargo deny check bans licenses sources"
cargo deny --offline check bans licenses sources

say "cargo deny check advisories (fetching the RustSec database from GitHub) …"
if timeout 120 cargo deny fetch db >/dev/null 2>&1; then
  cargo deny --offline check advisories
else
  db="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/advisory-dbs/*/ 2>/dev/null | head -1 || true)"
  if [ -n "$db" ] && [ -n "$(ls -A "$db" 2>/dev/null)" ]; then
    say "NOTICE: could not update the advisory database; checking against the copy in $db"
    say "        (last updated: $(git -C "$db" log -1 --format=%cs 2>/dev/null || echo unknown))"
    cargo deny --offline check advisories
  else
    say "NOTICE: advisories NOT CHECKED: the RustSec database (github.com/rustsec/advisory-db)"
    say "        cannot be fetched from here and there is no local copy."
    skipped+=("cargo deny advisories")
  fi
fi

# --- npm audit on the published package ---------------------------------------------------------
say "npm audit --omit=dev on the published package (${PACKAGE_JSON#"$ROOT/"})"
deps="$(node -e '
  const p = require(process.argv[1]);
  const names = new Set();
  for (const k of ["dependencies", "optionalDependencies", "peerDependencies"])
    for (const n of Object.keys(p[k] || {})) names.add(n);
  for (const n of [].concat(p.bundleDependencies || p.bundledDependencies || [])) names.add(n);
  console.log([...names].join(" "));
' "$PACKAGE_JSON")"
if [ -z "$deps" ]; then
  say "the package has no dependencies (nor optional, peer or bundled ones): npm installs nothing"
  say "with it, so no advisory can apply. ok"
else
  say "the package depends on: $deps"
  work="$(mktemp -d "${TMPDIR:-/tmp}/proximus-audit.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  cp "$PACKAGE_JSON" "$work/package.json"
  (cd "$work" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund >/dev/null)
  rc=0
  (cd "$work" && npm audit --omit=dev) >"$work/audit.log" 2>&1 || rc=$?
  cat "$work/audit.log"
  if [ "$rc" -ne 0 ] && grep -qiE 'audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|405 Method Not Allowed' "$work/audit.log"; then
    say "NOTICE: npm audit NOT RUN: the registry's audit endpoint cannot be reached from here."
    skipped+=("npm audit")
  elif [ "$rc" -ne 0 ]; then
    say "npm audit found advisories in the package's dependencies"
    exit 1
  fi
fi

if [ "${#skipped[@]}" -gt 0 ]; then
  say "SKIPPED (no network): ${skipped[*]}"
  if [ "$REQUIRE" = 1 ]; then
    say "AUDIT_REQUIRE_ADVISORIES=1: a skipped check is a failure"
    exit 1
  fi
  say "everything else ok"
else
  say "ok"
fi
