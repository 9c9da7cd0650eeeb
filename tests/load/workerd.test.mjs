// Load (issue 9), workerd: the same wave of 1,000 concurrent calls (wave.mjs) run inside workerd by
// miniflare (tests/load/worker/worker.mjs, which imports the package's `workerd` entry with the
// .wasm as a CompiledWasm module), one client for the isolate's life, several waves in a row.
// workerd keeps at most 6 connections open per request and queues the rest: they must still
// complete. Checks as in load.test.mjs: one /token, no untyped error, exact request count, faults
// consumed, no unhandled rejection, and the wasm linear memory (reached through the glue's
// initSync(), which returns the instantiated exports) does not grow after the warm-up, nor does
// the isolate's JS heap, read through workerd's inspector after the full GC a heap snapshot
// starts with (the Worker itself cannot see it). The workerd process's RSS is reported, not
// asserted: without a GC per wave V8 lets it climb, and it flattens when garbage is collected.
//
//   node --test tests/load/workerd.test.mjs       (LOAD_WAVES=N to change the number of waves)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "../js/workerd.mjs";
import { spawnSandbox, preparePlan, armWave, sandboxAdmin, childRss, freePort, workerHeap, mb, DEFAULT_CREDENTIALS } from "./harness.mjs";
import { WAVE_SIZE } from "./wave.mjs";

const WAVES = Number(process.env.LOAD_WAVES ?? 4);
const WARMUP = 2;
const WASM_BOUND = 1048576;
/** The isolate's JS heap growth allowed after the warm-up (after the GC a heap snapshot starts with). */
const HEAP_BOUND = 1048576;

let sb;
let mf;
let plan;
let inspectorPort;
before(async () => {
  inspectorPort = await freePort();
  sb = await spawnSandbox();
  plan = await preparePlan(sb.url, await import("../../pkg/node.js"));
  mf = await startWorker(new URL("./worker/worker.mjs", import.meta.url), {
    inspectorPort, // to read the isolate's JS heap (workerHeap)
    bindings: { SANDBOX_URL: sb.url, CLIENT_ID: DEFAULT_CREDENTIALS.clientId, CLIENT_SECRET: DEFAULT_CREDENTIALS.clientSecret },
  });
});
after(async () => {
  await mf?.dispose();
  await sb?.close();
});

test(`workerd: ${WAVES} waves of ${WAVE_SIZE} concurrent calls from one client in one isolate`, async (t) => {
  const box = sandboxAdmin(sb.url);
  const rows = [];
  let tokenRequests = 0;
  const rssStart = await childRss("workerd");
  const heapStart = await workerHeap(inspectorPort);
  for (let wave = 1; wave <= WAVES; wave++) {
    await armWave(sb.url, plan);
    const response = await mf.dispatchFetch("http://load.test/", { method: "POST", body: JSON.stringify(plan) });
    const text = await response.text();
    assert.equal(response.status, 200, text.slice(0, 2000));
    const summary = JSON.parse(text);
    const sent = await box.requests();
    const tokens = sent.filter((r) => r.path === "/token").length;
    tokenRequests += tokens;
    rows.push({ wave, ms: summary.durationMs, callsPerS: Math.round(WAVE_SIZE / (summary.durationMs / 1000)), requests: sent.length, tokens, ...summary.byCode, values: summary.values, retries: Object.values(summary.retries.byCode).reduce((a, b) => a + b, 0), wasmBefore: summary.wasmBefore, wasmAfter: summary.wasmAfter, workerdRss: await childRss("workerd"), jsHeap: (await workerHeap(inspectorPort))?.usedSize ?? null });

    const label = `wave ${wave}`;
    assert.equal(summary.created, wave === 1, `${label}: the isolate kept its client`);
    assert.equal(summary.syncThrows, 0, `${label}: calls threw synchronously instead of rejecting`);
    assert.equal(summary.untypedCount, 0, `${label}: errors that are not a ProximusError with a known code: ${JSON.stringify(summary.untyped)}`);
    assert.equal(summary.mismatchCount, 0, `${label}: unexpected outcomes: ${JSON.stringify(summary.mismatches, null, 1)}`);
    assert.equal(summary.values + summary.errors, WAVE_SIZE);
    assert.equal(summary.byCode.invalid_argument, 100);
    assert.equal(sent.length - tokens, summary.expectedRequests, `${label}: requests the sandbox received; retries no fault explains: ${JSON.stringify(summary.unexplainedRetries)} ${JSON.stringify(summary.retries.samples.slice(0, 3))}`);
    if (Object.keys(summary.unexplainedRetries).length) t.diagnostic(`${label}: retries no fault explains (a loaded machine?): ${JSON.stringify(summary.unexplainedRetries)}`);
    assert.deepEqual(await box.faults(), [], `${label}: injected faults left unconsumed`);
    assert.deepEqual(summary.unhandled, [], `${label}: unhandled rejections in the Worker`);
  }
  assert.equal(tokenRequests, 1, "one client in one isolate: one /token request");

  console.log(`\nLoad (workerd via miniflare, one client per isolate, ${WAVE_SIZE} concurrent calls per wave)`);
  console.table(rows.map((r) => ({ ...r, wasmBefore: mb(r.wasmBefore), wasmAfter: mb(r.wasmAfter), workerdRss: mb(r.workerdRss), jsHeap: mb(r.jsHeap) })));
  const total = rows.reduce((n, r) => n + r.ms, 0);
  const base = rows[WARMUP - 1].wasmAfter;
  const last = rows.at(-1).wasmAfter;
  const figures = {
    waves: WAVES, calls: WAVES * WAVE_SIZE, totalMs: total, callsPerS: Math.round((WAVES * WAVE_SIZE) / (total / 1000)), tokenRequests,
    wasmBefore: mb(rows[0].wasmBefore), wasmAfterWarmup: mb(base), wasmAfterLast: mb(last), wasmBound: mb(WASM_BOUND),
    workerdRssBefore: mb(rssStart), workerdRssAfterWarmup: mb(rows[WARMUP - 1].workerdRss), workerdRssAfterLast: mb(rows.at(-1).workerdRss),
    jsHeapBefore: mb(heapStart?.usedSize ?? null), jsHeapAfterWarmup: mb(rows[WARMUP - 1].jsHeap), jsHeapAfterLast: mb(rows.at(-1).jsHeap), jsHeapBound: mb(HEAP_BOUND),
  };
  console.log("figures:", figures);
  t.diagnostic(JSON.stringify(figures));
  const heapBase = rows[WARMUP - 1].jsHeap;
  const heapLast = rows.at(-1).jsHeap;
  if (heapBase === null || heapLast === null) {
    t.diagnostic("the isolate's JS heap is not reachable through the inspector: not checked");
  } else {
    assert.ok(heapLast - heapBase <= HEAP_BOUND, `the isolate's JS heap grew ${mb(heapLast - heapBase)} after the warm-up (bound ${mb(HEAP_BOUND)})`);
  }
  if (base === null || last === null) {
    t.diagnostic("wasm memory not reachable inside workerd: not checked");
  } else {
    assert.ok(last - base <= WASM_BOUND, `wasm memory grew ${mb(last - base)} after the warm-up (bound ${mb(WASM_BOUND)})`);
  }
});
