// Call control in workerd (miniflare) with the package's `workerd` entry: a Worker passes its
// `request.signal` to the client, and a caller that disconnects mid-call ends the call there and
// then: no request reaches the sandbox after it, even where the client would have retried or
// fetched more pages. Also in workerd: an already-aborted signal sends nothing, an abort in a
// Retry-After wait rejects at once, a per-call timeoutMs applies, and log lines hold no secret.
//
// How the disconnect gets to the Worker: workerd aborts `request.signal` (with the compatibility
// flag enable_request_signal) when the caller's connection is reset. Neither dispatchFetch with a
// signal (miniflare's entry Worker sits in between) nor aborting Node's fetch (a plain close,
// which workerd notices only when it writes the answer) reaches it: the test talks to the
// Worker's own loopback socket (unsafeDirectSockets) and resets the connection.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { startWorker } from "./workerd.mjs";
import { ownSandbox, sleep, waitForRequests } from "./helpers.mjs";
import { findLeaks } from "./leaks.mjs";

const STATUS = "/fmu/1.0.0/status";
const BOOKINGS = "/rentednumbers/1.0.0/bookings";
/** An abort must end the call within this; what it interrupts lasts 2 s or more. */
const PROMPT_MS = 1000;
const CLIENT_ID = `wd-client-${randomBytes(4).toString("hex")}`;
const CLIENT_SECRET = `wd-secret-${randomBytes(12).toString("hex")}`;
const credentials = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, logger: null };

let mf;
let direct;
before(async () => {
  mf = await startWorker(new URL("./workerd-call-control.worker.mjs", import.meta.url), {
    compatibilityFlags: ["enable_request_signal"],
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    bindings: { CLIENT_ID, CLIENT_SECRET },
  });
  direct = await mf.unsafeGetDirectURL();
});
after(() => mf?.dispose());

let ids = 0;
const route = (path, box) => {
  const id = `${path.slice(1)}-${++ids}`;
  return { id, path: `${path}?id=${id}&box=${encodeURIComponent(box.url)}` };
};

/** Runs a route through dispatchFetch and answers the Worker's record of the call. */
async function run(path, box) {
  const { path: target } = route(path, box);
  const response = await mf.dispatchFetch(`http://worker.test${target}`);
  assert.equal(response.status, 200);
  return response.json();
}

/** Starts a route over the Worker's own socket; `disconnect()` resets the connection, as a caller gone away. */
function openCall(path, box) {
  const { id, path: target } = route(path, box);
  const request = http.request(new URL(target, direct), { agent: false });
  request.on("error", () => {}); // our own reset
  request.end();
  return { id, disconnect: () => request.socket.resetAndDestroy() };
}

/** The Worker's record of call `id` once it settled (polled); rejects after `ms`. */
async function settled(id, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const outcome = await (await mf.dispatchFetch(`http://worker.test/outcome?id=${id}`)).json();
    if (outcome?.settled) return { outcome, seenAt: Date.now() };
    if (Date.now() > deadline) throw new Error(`call ${id} had not settled after ${ms} ms: ${JSON.stringify(outcome)}`);
    await sleep(25);
  }
}

function assertAbortedByDisconnect(outcome, seenAt, disconnectedAt) {
  assert.equal(outcome.sawAbort, true, "request.signal aborted when the caller went away");
  assert.equal(outcome.settled, "rejected", JSON.stringify(outcome));
  assert.equal(outcome.error.isProximusError, true);
  assert.equal(outcome.error.code, "aborted", outcome.error.message);
  assert.equal(outcome.error.retryable, false);
  assert.ok(seenAt - disconnectedAt < PROMPT_MS, `settled ${seenAt - disconnectedAt} ms after the disconnect`);
}

describe("call control in workerd", { concurrency: true }, () => {
  test("a caller disconnecting mid-request aborts getStatus through request.signal", async (t) => {
    const box = await ownSandbox(t, credentials);
    await box.addFault({ path: STATUS, latencyMs: 3000, count: 3 });
    const call = openCall("/get-status", box);
    await waitForRequests(box, STATUS, 1);
    const disconnectedAt = Date.now();
    call.disconnect();
    const { outcome, seenAt } = await settled(call.id);
    assertAbortedByDisconnect(outcome, seenAt, disconnectedAt);
    await sleep(500); // a retry would come within 250 ms
    assert.equal((await box.requests(STATUS)).length, 1);
  });

  test("a caller disconnecting while the client waits out a Retry-After: the retry never reaches the sandbox", async (t) => {
    const box = await ownSandbox(t, credentials);
    await box.addFault({ path: STATUS, status: 503, retryAfter: 2, count: 5 });
    const call = openCall("/get-status", box);
    await waitForRequests(box, STATUS, 1);
    await sleep(200);
    const disconnectedAt = Date.now();
    call.disconnect();
    const { outcome, seenAt } = await settled(call.id);
    assertAbortedByDisconnect(outcome, seenAt, disconnectedAt);
    await sleep(Math.max(0, disconnectedAt + 3000 - Date.now())); // past the retry's time (2 s after the 503)
    assert.equal((await box.requests(STATUS)).length, 1);
  });

  test("a caller disconnecting mid-walk of bookings.list: no page is fetched after it", async (t) => {
    const box = await ownSandbox(t, credentials);
    // 300 pages of one booking, 100 ms each: the walk would run for 30 s.
    await box.config({ syntheticBookings: 300, latencyMs: 100 });
    const call = openCall("/list", box);
    await waitForRequests(box, BOOKINGS, 4, { ms: 10_000 });
    const disconnectedAt = Date.now();
    call.disconnect();
    const { outcome, seenAt } = await settled(call.id);
    assertAbortedByDisconnect(outcome, seenAt, disconnectedAt);
    assert.ok(outcome.items >= 3, `the walk was under way (${outcome.items} items)`);
    const pages = (await box.requests(BOOKINGS)).length;
    await sleep(1000); // ten pages' time
    assert.equal((await box.requests(BOOKINGS)).length, pages, "pages fetched after the call settled");
    assert.ok(pages <= outcome.items + 1, `${pages} pages for ${outcome.items} items: at most the one in flight is extra`);
  });

  test("an already-aborted signal rejects with aborted and sends nothing (not even /token)", async (t) => {
    const box = await ownSandbox(t, credentials);
    const outcome = await run("/already-aborted", box);
    assert.equal(outcome.settled, "rejected");
    assert.equal(outcome.error.code, "aborted");
    assert.equal(outcome.error.isProximusError, true);
    assert.deepEqual(await box.requests(), []);
  });

  test("an abort while waiting out a Retry-After of 5 s rejects at once; no retry is sent", async (t) => {
    const box = await ownSandbox(t, credentials);
    await box.addFault({ path: STATUS, status: 503, retryAfter: 5, count: 3 });
    const outcome = await run("/abort-in-backoff", box);
    assert.equal(outcome.delayMs, 5000, "the client was waiting out the Retry-After");
    assert.equal(outcome.error?.code, "aborted", JSON.stringify(outcome));
    assert.ok(outcome.settledAt - outcome.abortedAt < PROMPT_MS, `settled ${outcome.settledAt - outcome.abortedAt} ms after the abort`);
    assert.equal((await box.requests(STATUS)).length, 1);
  });

  test("a per-call timeoutMs shorter than the client's applies", async (t) => {
    const box = await ownSandbox(t, credentials);
    await box.addFault({ path: STATUS, latencyMs: 1000, count: 1 });
    const outcome = await run("/timeout-override", box);
    assert.equal(outcome.error?.code, "timeout", JSON.stringify(outcome));
    assert.ok(outcome.settledAt - outcome.callStartedAt < 900, `timed out after ${outcome.settledAt - outcome.callStartedAt} ms`);
    assert.equal((await box.requests(STATUS)).length, 1);
  });

  test("log lines at every level hold no secret, token or full phone number", async (t) => {
    const box = await ownSandbox(t, credentials);
    const said = `echo-marker client_secret=${CLIENT_SECRET} msisdn=32477121212 national=0477121212`;
    await box.addFault({ path: STATUS, method: "GET", status: 503, retryAfter: 0, count: 3, contentType: "application/json", body: JSON.stringify({ code: "SERVER_ERROR", message: said }) });
    await box.addFault({ path: BOOKINGS, method: "GET", status: 401, count: 1 });
    const outcome = await run("/logging", box);
    assert.equal(outcome.settled, "resolved", JSON.stringify(outcome.error));
    const { lines } = outcome;
    for (const level of ["debug", "info", "warn", "error"]) assert.ok(lines.some((l) => l.level === level), `no ${level} line`);
    assert.ok(lines.every((l) => l.line.startsWith("proximus-api: ")));
    assert.ok(lines.some((l) => l.line.includes("echo-marker")), "the server's echo reached the log (what is checked)");
    const tokens = (await box.requests()).map((r) => r.headers.authorization?.replace(/^Bearer /i, "")).filter(Boolean);
    const leaks = findLeaks(lines.map((l, i) => [`${l.level} line ${i}`, l.line]), {
      secrets: [CLIENT_SECRET, outcome.accessToken, ...tokens],
      numbers: ["32477121212", "32479123987"],
    });
    assert.deepEqual(leaks, []);
  });
});
