// Cold start: import + instantiate + first call, in fresh Node processes and in fresh workerd
// instances (miniflare), the library against the hand-written fetch client doing the same first
// call. Samples alternate library / baseline; medians are reported, and the verdict's delta is the
// median of each pair's difference (a pair shares the machine's load of its moment, which on a
// shared machine moves both by tens of ms from one pair to the next).
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { median } from "./stats.mjs";

const run = promisify(execFile);
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

async function nodeSample(script, box) {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, [here(script), box.url, box.credentials.clientId, box.credentials.clientSecret]);
  return { wallMs: performance.now() - t0, ...JSON.parse(stdout) };
}

function medians(samples) {
  const out = { samples: samples.length };
  for (const key of Object.keys(samples[0])) out[key] = median(samples.map((s) => s[key]));
  return out;
}

/** The median over the pairs of `samples[i][key] − baseline[i][key]`. */
function pairedDelta(samples, baseline, key) {
  return median(samples.map((s, i) => s[key] - baseline[i][key]));
}

export async function nodeColdStart(box, { samples }) {
  const lib = [];
  const base = [];
  await nodeSample("./cold/node-library.mjs", box); // warm the OS file cache
  await nodeSample("./cold/node-baseline.mjs", box);
  for (let i = 0; i < samples; i++) {
    lib.push(await nodeSample("./cold/node-library.mjs", box));
    base.push(await nodeSample("./cold/node-baseline.mjs", box));
  }
  return { library: medians(lib), baseline: medians(base), pairedDeltaMs: pairedDelta(lib, base, "sinceProcessStartMs") };
}

async function workerdSample(Miniflare, options, box, expected = "PRIVATE") {
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: true,
    compatibilityDate: "2026-04-01",
    bindings: { SANDBOX_URL: box.url, CLIENT_ID: box.credentials.clientId, CLIENT_SECRET: box.credentials.clientSecret },
    ...options,
  });
  try {
    await mf.ready;
    const t1 = performance.now();
    const res = await mf.dispatchFetch("http://bench.test/");
    const body = await res.json();
    const t2 = performance.now();
    if (res.status !== 200 || body.status !== expected) throw new Error(`workerd answered ${res.status} ${JSON.stringify(body)}`);
    return { readyMs: t1 - t0, firstCallMs: t2 - t1, totalMs: t2 - t0 };
  } finally {
    await mf.dispose();
  }
}

/**
 * A Worker that only imports the library's `.wasm` (workerd compiles it as the script loads) and
 * answers without instantiating it: its `ready` over the baseline's is what compiling the module
 * alone costs, the part of a cold start that only a smaller module reduces.
 */
function wasmOnlyWorker(bundledScript) {
  const dir = fileURLToPath(new URL("../target/bench/wasm-only/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const wasm = readdirSync(dirname(bundledScript)).find((f) => f.endsWith(".wasm"));
  copyFileSync(join(dirname(bundledScript), wasm), join(dir, "module.wasm"));
  writeFileSync(join(dir, "index.js"), [
    'import module from "./module.wasm";',
    'export default { fetch: () => Response.json({ status: WebAssembly.Module.exports(module).length > 0 ? "compiled" : "empty" }) };',
    "",
  ].join("\n"));
  return modulesOf(dir, ["index.js", "module.wasm"]);
}

/**
 * A Worker's modules handed to workerd as they are, the first one its entry. Given only a script
 * path, Miniflare would first parse the JavaScript itself (acorn, in Node) to find its imports:
 * about 25 ms more for the library's bundle than for the baseline's few KB, and no part of a
 * Worker's cold start.
 */
function modulesOf(root, files) {
  return {
    modulesRoot: root,
    modules: files.map((file) => ({
      type: file.endsWith(".wasm") ? "CompiledWasm" : "ESModule",
      path: join(root, file),
      contents: readFileSync(join(root, file)),
    })),
  };
}

/** @param {string} bundledScript wrangler's dist/index.js (the library Worker) */
export async function workerdColdStart(box, { samples, bundledScript }) {
  const { Miniflare } = await import("miniflare");
  const bundle = dirname(bundledScript);
  const library = modulesOf(bundle, [basename(bundledScript), readdirSync(bundle).find((f) => f.endsWith(".wasm"))]);
  const baseline = modulesOf(here("./"), ["worker/src/baseline.js", "hand-written-client.mjs"]);
  const wasmOnly = wasmOnlyWorker(bundledScript);
  const lib = [];
  const base = [];
  const compile = [];
  await workerdSample(Miniflare, library, box); // warm-up
  await workerdSample(Miniflare, baseline, box);
  for (let i = 0; i < samples; i++) {
    lib.push(await workerdSample(Miniflare, library, box));
    base.push(await workerdSample(Miniflare, baseline, box));
    compile.push(await workerdSample(Miniflare, wasmOnly, box, "compiled"));
  }
  return {
    library: medians(lib),
    baseline: medians(base),
    wasmOnly: medians(compile),
    pairedDeltaMs: pairedDelta(lib, base, "totalMs"),
    compilingDeltaMs: pairedDelta(compile, base, "readyMs"),
  };
}
