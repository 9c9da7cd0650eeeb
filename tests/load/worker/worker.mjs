// The load wave inside workerd: POST / with the plan (JSON) runs one wave of 1,000 concurrent calls
// against env.SANDBOX_URL with a client kept for the isolate's life, and answers the summary.
import { ProximusClient, ProximusError } from "../../../pkg/workerd.js";
import { initSync } from "../../../pkg/proximus_api.js";
import { operations, runWave, retryRecorder } from "../wave.mjs";

let client = null;
const retries = retryRecorder();
const unhandled = [];
addEventListener("unhandledrejection", (event) => {
  unhandled.push(String(event.reason?.stack ?? event.reason).slice(0, 300));
  event.preventDefault();
});

function wasmBytes() {
  try {
    const memory = initSync()?.memory; // already initialized by workerd.js: returns its exports
    return memory instanceof WebAssembly.Memory ? memory.buffer.byteLength : null;
  } catch {
    return null;
  }
}

/**
 * Controls for telling the library's memory from workerd's (`/raw`: the same number of plain
 * fetches, no library; `/offline`: 1,000 library calls that send nothing, invalid input).
 */
async function control(path, env) {
  const started = Date.now();
  let n = 0;
  if (path === "/raw") {
    await Promise.all(Array.from({ length: 1090 }, async (_, i) => {
      const response = await fetch(`${env.SANDBOX_URL}/rentednumbers/1.0.0/bookings/bk_raw_${i}`, { headers: { authorization: "Bearer sandbox-permanent-token" } });
      await response.text();
      n += 1;
    }));
  } else if (path === "/raw-signal") {
    // As the library's transport does: a Request with an AbortController's signal, a timer.
    await Promise.all(Array.from({ length: 1090 }, async (_, i) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 60_000);
      try {
        const req = new Request(`${env.SANDBOX_URL}/rentednumbers/1.0.0/bookings/bk_raw_${i}`, { headers: { authorization: "Bearer sandbox-permanent-token" }, signal: controller.signal });
        const response = await fetch(req);
        await response.text();
        n += 1;
      } finally {
        clearTimeout(timer);
      }
    }));
  } else if (path === "/latency") {
    // 1,000 concurrent getStatus from a client with the default options (10 s per attempt): with
    // workerd's 6 connections per request, calls wait in its queue and the wait counts.
    const fresh = new ProximusClient({ clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, baseUrl: env.SANDBOX_URL, logLevel: "off" });
    await fresh.tokens.get();
    const codes = {};
    await Promise.all(Array.from({ length: 1000 }, () => fresh.fmu.getStatus("0477 12 12 12").then(
      () => { codes.value = (codes.value ?? 0) + 1; },
      (e) => { const k = e instanceof ProximusError ? e.code : "untyped"; codes[k] = (codes[k] ?? 0) + 1; },
    )));
    return Response.json({ codes, durationMs: Date.now() - started, wasmAfter: wasmBytes() });
  } else {
    client ??= new ProximusClient({ clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, baseUrl: env.SANDBOX_URL, logLevel: "off" });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => client.fmu.getStatus(`not a number ${i}`).catch((e) => { if (e instanceof ProximusError) n += 1; })));
  }
  return Response.json({ n, durationMs: Date.now() - started, wasmAfter: wasmBytes() });
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (["/raw", "/raw-signal", "/offline", "/latency"].includes(pathname)) return control(pathname, env);
    const plan = await request.json();
    const created = client === null;
    // 60 s per attempt: workerd queues all but 6 connections, and a loaded machine is slow.
    client ??= new ProximusClient({ clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, baseUrl: env.SANDBOX_URL, timeoutMs: 60_000, onRetry: retries.onRetry, logLevel: "off" });
    const wasmBefore = wasmBytes();
    const summary = await runWave(client, ProximusError, operations(plan), { retries });
    return Response.json({ ...summary, created, wasmBefore, wasmAfter: wasmBytes(), unhandled: unhandled.splice(0) });
  },
};
