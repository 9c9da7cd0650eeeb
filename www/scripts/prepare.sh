#!/usr/bin/env bash
# Gets www/ ready to run (used by `make demo`; pkg/ must be built): packs pkg/ into target/pack/
# unless that tarball is current, installs www's devDependencies from the committed lock (npm ci)
# plus the tarball (npm install --no-save), copies the package's browser files into
# www/dist-assets/pkg/ and bundles the Worker into www/dist/ (wrangler deploy --dry-run, no
# account). Each install step is skipped when nothing changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
[ -f pkg/proximus_api_bg.wasm ] || { echo "pkg/ is not built: run make pkg" >&2; exit 1; }

pack="target/pack"
tgz="$(ls "$pack"/proximus-api-*.tgz 2>/dev/null | head -n1 || true)"
if [ -z "$tgz" ] || [ -n "$(find pkg -type f -newer "$tgz" | head -n1)" ]; then
  echo "--> npm pack pkg/ → $pack/"
  rm -rf "$pack"; mkdir -p "$pack"
  tgz="$pack/$(npm pack ./pkg --pack-destination "$pack" --json 2>/dev/null | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)')"
fi

dir=www
lock_sum="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
tgz_sum="$(sha256sum "$tgz" | cut -d' ' -f1)"
if [ "$(cat "$dir/node_modules/.consumer-lock.sha256" 2>/dev/null)" != "$lock_sum" ]; then
  echo "--> www: npm ci"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$dir/node_modules/.consumer-lock.sha256"
  rm -f "$dir/node_modules/.consumer-tgz.sha256"
fi
if [ "$(cat "$dir/node_modules/.consumer-tgz.sha256" 2>/dev/null)" != "$tgz_sum" ]; then
  echo "--> www: npm install --no-save $(basename "$tgz")"
  (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error "$ROOT/$tgz")
  echo "$tgz_sum" > "$dir/node_modules/.consumer-tgz.sha256"
fi

(cd "$dir" && node scripts/pkg-assets.mjs)
echo "--> www: wrangler deploy --dry-run --outdir dist"
(cd "$dir" && rm -rf dist && WRANGLER_SEND_METRICS=false node_modules/.bin/wrangler deploy --dry-run --outdir dist >wrangler.log 2>&1 \
   || { cat wrangler.log >&2; exit 1; }; rm -f wrangler.log)
