// Load (issue 9), Node: one client, waves of 1,000 concurrent mixed calls (see wave.mjs) against a
// sandbox in its own process. Checks, per wave: exactly one /token request over all waves, every
// failure a ProximusError with a known code and the expected one, no synchronous throw, no
// unhandled rejection, the sandbox saw exactly the requests the wave should cost, all injected
// faults consumed. Then memory: after a full GC, the JS heap and the wasm linear memory do not
// grow after the warm-up waves (bounds below). Prints the figures.
//
//   node --test tests/load/load.test.mjs          (LOAD_WAVES=N to change the number of waves)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSandbox, preparePlan, armWave, sandboxAdmin, sampleMemory, wasmMemory, mb, DEFAULT_CREDENTIALS } from "./harness.mjs";
import { operations, runWave, retryRecorder, WAVE_SIZE } from "./wave.mjs";

const pkg = await import("../../pkg/node.js");
const { ProximusClient, ProximusError } = pkg;

const WAVES = Number(process.env.LOAD_WAVES ?? 5);
/** Waves before the baseline: the first token, JIT, undici's pool, the wasm heap settling. */
const WARMUP = 2;
/** JS heap growth allowed from the end of the warm-up to the last wave (after a full GC). */
const HEAP_BOUND = 4 * 1048576;
/** Wasm linear memory growth allowed after the warm-up (memory.grow is 64 KiB pages; it never shrinks). */
const WASM_BOUND = 1048576;

const unhandled = [];
const onUnhandled = (reason) => unhandled.push(reason);
process.on("unhandledRejection", onUnhandled);

let sb;
let plan;
before(async () => {
  sb = await spawnSandbox();
  plan = await preparePlan(sb.url, pkg);
});
after(async () => {
  process.off("unhandledRejection", onUnhandled);
  await sb?.close();
});

test(`${WAVES} waves of ${WAVE_SIZE} concurrent calls from one client: one /token, every error typed, bounded memory`, async (t) => {
  const retries = retryRecorder();
  // 60 s per attempt instead of 10: on a loaded CI machine a queued request can wait longer than
  // 10 s for the sandbox, and a `timeout` would be a correct answer but not the expected one.
  const client = new ProximusClient({ clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret, baseUrl: sb.url, timeoutMs: 60_000, onRetry: retries.onRetry, logLevel: "off" }); // retries are counted, not printed
  const box = sandboxAdmin(sb.url);
  const memory = await wasmMemory();
  const rows = [];
  let tokenRequests = 0;
  const start = await sampleMemory(memory);
  for (let wave = 1; wave <= WAVES; wave++) {
    await armWave(sb.url, plan);
    const ops = operations(plan);
    const summary = await runWave(client, ProximusError, ops, { now: () => performance.now(), retries });
    const sent = await box.requests();
    const tokens = sent.filter((r) => r.path === "/token").length;
    tokenRequests += tokens;
    const mem = await sampleMemory(memory);
    rows.push({ wave, ms: Math.round(summary.durationMs), callsPerS: Math.round(WAVE_SIZE / (summary.durationMs / 1000)), requests: sent.length, tokens, ...summary.byCode, values: summary.values, retries: Object.values(summary.retries.byCode).reduce((a, b) => a + b, 0), heap: mb(mem.heapUsed), wasm: mb(mem.wasm), arrayBuffers: mb(mem.arrayBuffers), rss: mb(mem.rss), mem });

    const label = `wave ${wave}`;
    assert.equal(summary.syncThrows, 0, `${label}: calls threw synchronously instead of rejecting`);
    assert.equal(summary.untypedCount, 0, `${label}: errors that are not a ProximusError with a known code: ${JSON.stringify(summary.untyped)}`);
    assert.equal(summary.mismatchCount, 0, `${label}: unexpected outcomes: ${JSON.stringify(summary.mismatches, null, 1)}`);
    assert.equal(summary.values + summary.errors, WAVE_SIZE);
    assert.equal(summary.byCode.invalid_argument, 100, `${label}: invalid input`);
    assert.equal(sent.length - tokens, summary.expectedRequests, `${label}: requests the sandbox received (invalid input must send nothing); retries no fault explains: ${JSON.stringify(summary.unexplainedRetries)} ${JSON.stringify(summary.retries.samples.slice(0, 3))}`);
    if (Object.keys(summary.unexplainedRetries).length) t.diagnostic(`${label}: retries no fault explains (a loaded machine?): ${JSON.stringify(summary.unexplainedRetries)}`);
    assert.deepEqual(await box.faults(), [], `${label}: injected faults left unconsumed`);
    assert.deepEqual(unhandled, [], `${label}: unhandled rejections`);
  }
  assert.equal(tokenRequests, 1, "one client, any number of concurrent calls: one /token request");

  const table = rows.map(({ mem, ...row }) => row);
  console.log(`\nLoad (Node ${process.version}, one client, ${WAVE_SIZE} concurrent calls per wave, sandbox in its own process)`);
  console.table(table);
  const base = rows[WARMUP - 1].mem;
  const last = rows.at(-1).mem;
  const total = rows.reduce((n, r) => n + r.ms, 0);
  const figures = {
    waves: WAVES, calls: WAVES * WAVE_SIZE, totalMs: total, callsPerS: Math.round((WAVES * WAVE_SIZE) / (total / 1000)),
    tokenRequests,
    heapBefore: mb(start.heapUsed), heapAfterWarmup: mb(base.heapUsed), heapAfterLast: mb(last.heapUsed),
    heapGrowthAfterWarmup: mb(last.heapUsed - base.heapUsed), heapBound: mb(HEAP_BOUND),
    wasmBefore: mb(start.wasm), wasmAfterWarmup: mb(base.wasm), wasmAfterLast: mb(last.wasm), wasmBound: mb(WASM_BOUND),
    rssBefore: mb(start.rss), rssAfterLast: mb(last.rss),
  };
  console.log("figures:", figures);
  t.diagnostic(JSON.stringify(figures));

  assert.ok(last.heapUsed - base.heapUsed <= HEAP_BOUND,
    `JS heap grew ${mb(last.heapUsed - base.heapUsed)} after the warm-up (bound ${mb(HEAP_BOUND)})`);
  if (memory) {
    assert.ok(last.wasm - base.wasm <= WASM_BOUND, `wasm memory grew ${mb(last.wasm - base.wasm)} after the warm-up (bound ${mb(WASM_BOUND)})`);
  } else {
    t.diagnostic("wasm memory not reachable through pkg/proximus_api.js initSync(): not checked");
  }
});
