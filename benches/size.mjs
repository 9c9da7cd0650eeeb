// Size: the published package per entry point (each file gzip -9 on its own, as a server or CDN
// sends it), and a Worker as wrangler's dry run bundles it (benches/worker/).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, constants } from "node:zlib";

const root = fileURLToPath(new URL("../", import.meta.url));
const workerDir = fileURLToPath(new URL("./worker/", import.meta.url));

function sizes(path) {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length };
}

const sum = (list) => list.reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });

/** The relative `import … from "./x.js"` targets of a module, followed transitively. */
function moduleGraph(dir, entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(`${dir}/${file}`, "utf8");
    for (const m of text.matchAll(/(?:import|export)[^"'`;]*?from\s*["']\.\/([^"']+)["']|new URL\(\s*["']\.\/([^"']+)["']/g)) {
      // Relative to the importing module (wasm-bindgen's snippets live in subfolders).
      const target = posix.join(posix.dirname(file), m[1] ?? m[2]);
      if (target.endsWith(".js")) visit(target);
      else seen.add(target);
    }
  };
  visit(entry);
  return [...seen].sort();
}

/** Sizes of pkg/: the wasm, the glue, the wrapper, and what each entry point loads. */
export function packageSizes(pkgDir = `${root}pkg`) {
  const files = {};
  for (const f of readdirSync(pkgDir, { recursive: true })) if (f.endsWith(".js") || f.endsWith(".wasm")) files[f] = sizes(`${pkgDir}/${f}`);
  const entries = {};
  for (const entry of ["node.js", "browser.js", "workerd.js"]) {
    const loaded = moduleGraph(pkgDir, entry);
    const wasm = sum(loaded.filter((f) => f.endsWith(".wasm")).map((f) => files[f]));
    const js = sum(loaded.filter((f) => f.endsWith(".js")).map((f) => files[f]));
    entries[entry] = { files: loaded, wasm, js, total: sum([wasm, js]) };
  }
  return { files, entries };
}

/** Installs benches/worker's pinned wrangler (npm ci, skipped while node_modules matches the lock). */
export function ensureWorkerDeps(log = console.log) {
  const marker = `${workerDir}node_modules/.package-lock.json`;
  const lock = `${workerDir}package-lock.json`;
  if (existsSync(`${workerDir}node_modules/.bin/wrangler`) && existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log("    npm ci in benches/worker (wrangler 4.86.0, pinned)…");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: workerDir, stdio: ["ignore", "ignore", "inherit"] });
}

/** Bundles benches/worker with `wrangler deploy --dry-run --outdir dist`; sizes of what it uploads. */
export function workerBundle() {
  rmSync(`${workerDir}dist`, { recursive: true, force: true });
  execFileSync(`${workerDir}node_modules/.bin/wrangler`, ["deploy", "--dry-run", "--outdir", "dist"], {
    cwd: workerDir,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
  });
  const dist = `${workerDir}dist`;
  const out = readdirSync(dist).filter((f) => f.endsWith(".js") || f.endsWith(".wasm"));
  const js = sum(out.filter((f) => f.endsWith(".js")).map((f) => sizes(`${dist}/${f}`)));
  const wasm = sum(out.filter((f) => f.endsWith(".wasm")).map((f) => sizes(`${dist}/${f}`)));
  return { dir: dist, script: `${dist}/index.js`, files: out, js, wasm, total: sum([js, wasm]) };
}
