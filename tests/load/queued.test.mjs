// Issue 9 (load, workerd in production): a Worker may keep only 6 connections open at once; the
// other fetches wait in the runtime's queue. Were the per-attempt timeout started when a call is
// handed to that queue, a burst of concurrent calls from one client against a healthy but not
// instant server would time out (and retry, adding to the queue) although nothing is wrong. miniflare's local workerd does not apply the limit (1,000 calls to a
// server answering in 1 s complete in ~4 s), so it is simulated here with a `fetch` that allows 6
// requests in flight and drops a queued request whose signal aborts, as workerd does.
//
// Scaled down to run in a few seconds: 600 calls, 50 ms per answer (5 s of queue at 6 at a
// time), timeoutMs 1,000. Expected: all complete, and nothing is retried (the server is healthy).
// The client keeps at most `maxConcurrentRequests` (6 in Workers) requests in flight and starts an
// attempt's timeout only when it gets a place, so its calls never sit in the runtime's queue.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSandbox, sandboxAdmin, DEFAULT_CREDENTIALS } from "./harness.mjs";

const { ProximusClient, ProximusError } = await import("../../pkg/node.js");

let sb;
before(async () => {
  sb = await spawnSandbox();
  await sandboxAdmin(sb.url).config({ latencyMs: 50 });
});
after(() => sb?.close());

/** A fetch with at most `slots` requests in flight; queued ones leave the queue when aborted. */
function limitedFetch(slots) {
  let active = 0;
  const queue = [];
  return async (request) => {
    if (active >= slots) {
      await new Promise((resolve, reject) => {
        const entry = { resolve };
        queue.push(entry);
        request.signal?.addEventListener("abort", () => {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          reject(request.signal.reason ?? new DOMException("aborted", "AbortError"));
        }, { once: true });
      });
    }
    active += 1;
    try {
      const response = await fetch(request);
      const body = await response.arrayBuffer();
      return new Response(body, response);
    } finally {
      active -= 1;
      queue.shift()?.resolve();
    }
  };
}

test("600 concurrent calls through 6 connections (workerd in production) all complete, none retried", async (t) => {
  const retries = {};
  const client = new ProximusClient({
    clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret, baseUrl: sb.url,
    // 6: the default of the workerd and browser entries (this test runs the Node entry, whose
    // default is 32).
    timeoutMs: 1000, maxConcurrentRequests: 6, fetch: limitedFetch(6), onRetry: ({ error }) => { retries[error.code] = (retries[error.code] ?? 0) + 1; },
    logLevel: "off", // the retries are counted above, not printed
  });
  const outcomes = {};
  const started = Date.now();
  await Promise.all(Array.from({ length: 600 }, () => client.fmu.getStatus("0477 12 12 12").then(
    () => { outcomes.value = (outcomes.value ?? 0) + 1; },
    (e) => { const k = e instanceof ProximusError ? e.code : `untyped ${e}`; outcomes[k] = (outcomes[k] ?? 0) + 1; },
  )));
  const figures = { outcomes, retries, ms: Date.now() - started, sent: (await sandboxAdmin(sb.url).requests("/fmu/1.0.0/status")).length };
  t.diagnostic(JSON.stringify(figures));
  assert.deepEqual({ outcomes, retries }, { outcomes: { value: 600 }, retries: {} }, JSON.stringify(figures));
});
