// Cancelling a call with the per-call option `signal`, through the built package in Node against
// the sandbox: wherever the call waits (the answer, a backoff, a Retry-After, a place behind
// maxConcurrentRequests, the shared /token), an abort rejects it with `aborted` at once and nothing
// more is sent; what the platform already did is not lost (ensure's booking, bulk's accepted chunks).
// Every test has a sandbox of its own, so that their waits overlap.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { loadPackage, ownSandbox, sandboxClient, callbackReceiver, sleep, waitForRequests } from "./helpers.mjs";

const { ProximusClient, ProximusError } = await loadPackage();

/** An abort must end the call within this; the waits it interrupts last 3 s or more. */
const PROMPT_MS = 1000;
const STATUS = "/fmu/1.0.0/status";
const BOOKINGS = "/rentednumbers/1.0.0/bookings";
const NUMBER = "0477 12 12 12";

/** How a promise ended, and when. */
async function settle(promise) {
  try {
    return { value: await promise, at: Date.now() };
  } catch (error) {
    return { error, at: Date.now() };
  }
}

function assertAborted(error, label = "") {
  assert.ok(error instanceof ProximusError, `${label} expected a ProximusError, got ${error}`);
  assert.equal(error.code, "aborted", `${label} ${error.message}`);
  assert.equal(error.retryable, false, label);
}

function assertPrompt(settledAt, abortedAt, label = "the call") {
  const took = settledAt - abortedAt;
  assert.ok(took < PROMPT_MS, `${label} settled ${took} ms after the abort`);
}

/** Every item of an async iterable (a `list`). */
async function drain(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A client of the sandbox that logs nothing (the retries here are on purpose). */
const newClient = (box, extra = {}) => sandboxClient(ProximusClient, box, { logLevel: "off", ...extra });

const fleet = (n) => Array.from({ length: n }, (_, i) => `+32 478 ${String(i + 1).padStart(6, "0")}`);

describe("abort", { concurrency: true }, () => {
  test("an already-aborted signal rejects every method at once, and nothing is sent (not even /token)", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    const signal = AbortSignal.abort();
    const callbackUrl = "http://127.0.0.1:9/never";
    const booking = { destination: NUMBER, usagePlan: "SMALL", callbackUrl };
    const calls = {
      "tokens.get": () => client.tokens.get({ signal }),
      "tokens.revoke": () => client.tokens.revoke({ signal }),
      "fmu.getStatus": () => client.fmu.getStatus(NUMBER, { signal }),
      "fmu.setStatus": () => client.fmu.setStatus(NUMBER, "ON_DUTY", { signal }),
      "fmu.setCallbackUrl": () => client.fmu.setCallbackUrl(callbackUrl, { signal }),
      "fmu.getStatuses": () => client.fmu.getStatuses([NUMBER, "0471 12 12 12"], { callbackUrl, signal }),
      "fmu.setStatuses": () => client.fmu.setStatuses([NUMBER, "0471 12 12 12"], "PRIVATE", { callbackUrl, signal }),
      "bookings.create": () => client.bookings.create(booking, { signal }),
      "bookings.get": () => client.bookings.get("bk_1", { signal }),
      "bookings.update": () => client.bookings.update("bk_1", { usagePlan: "MEDIUM" }, { signal }),
      "bookings.delete": () => client.bookings.delete("bk_1", { signal }),
      "bookings.listPage": () => client.bookings.listPage({ pageSize: 5, signal }),
      "bookings.list": () => drain(client.bookings.list({ pageSize: 5, signal })),
      "bookings.ensure": () => client.bookings.ensure({ ...booking, key: "listing-1", store: new Map(), signal }),
      "cdrs.get": () => client.cdrs.get("cdr_1", { signal }),
      "cdrs.listPage": () => client.cdrs.listPage({ signal }),
      "cdrs.list": () => drain(client.cdrs.list({ signal })),
    };
    for (const [label, call] of Object.entries(calls)) {
      const started = Date.now();
      const { error, at } = await settle(call());
      assertAborted(error, label);
      assertPrompt(at, started, label);
    }
    assert.deepEqual(await box.requests(), []);
  });

  for (const [waitingFor, fault] of [["a slow answer", { latencyMs: 3000 }], ["a server that never answers", { hang: true }]]) {
    test(`an abort while waiting for ${waitingFor} rejects at once, and the request is not retried`, async (t) => {
      const box = await ownSandbox(t);
      const client = newClient(box);
      await client.tokens.get();
      await box.addFault({ path: STATUS, count: 3, ...fault });
      const controller = new AbortController();
      const call = settle(client.fmu.getStatus(NUMBER, { signal: controller.signal }));
      await waitForRequests(box, STATUS, 1);
      const abortedAt = Date.now();
      controller.abort();
      const { error, at } = await call;
      assertAborted(error);
      assertPrompt(at, abortedAt);
      await sleep(400); // longer than the first backoff (250 ms at most): a retry would show
      assert.equal((await box.requests(STATUS)).length, 1);
    });
  }

  test("an abort during the backoff before a retry ends the call, and the retry is never sent", async (t) => {
    const box = await ownSandbox(t);
    const controller = new AbortController();
    // onRetry runs just before the backoff starts: the abort lands in it.
    const client = newClient(box, { onRetry: () => controller.abort() });
    await client.tokens.get();
    await box.addFault({ path: STATUS, status: 503, count: 3 });
    const { error } = await settle(client.fmu.getStatus(NUMBER, { signal: controller.signal }));
    assertAborted(error);
    await sleep(400); // longer than the first backoff (250 ms at most)
    assert.equal((await box.requests(STATUS)).length, 1);
  });

  test("an abort while waiting out a Retry-After of 5 s rejects at once, and the retry is never sent", async (t) => {
    const box = await ownSandbox(t);
    const controller = new AbortController();
    const delays = [];
    let abortedAt;
    const client = newClient(box, {
      onRetry: ({ delayMs }) => {
        delays.push(delayMs);
        setTimeout(() => ((abortedAt = Date.now()), controller.abort()), 200);
      },
    });
    await client.tokens.get();
    await box.addFault({ path: STATUS, status: 503, retryAfter: 5, count: 3 });
    const { error, at } = await settle(client.fmu.getStatus(NUMBER, { signal: controller.signal }));
    assertAborted(error);
    assert.deepEqual(delays, [5000], "the client was waiting out the Retry-After");
    assertPrompt(at, abortedAt);
    assert.equal((await box.requests(STATUS)).length, 1);
  });

  test("an abort while queued behind maxConcurrentRequests rejects at once; the call holding the place is unaffected", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box, { maxConcurrentRequests: 1 });
    await client.tokens.get();
    await box.addFault({ path: STATUS, latencyMs: 3000, count: 1 });
    const holder = settle(client.fmu.getStatus(NUMBER)); // holds the only place for 3 s
    await waitForRequests(box, STATUS, 1);
    const controller = new AbortController();
    const queued = settle(client.bookings.get("bk_missing", { signal: controller.signal }));
    await sleep(200);
    const abortedAt = Date.now();
    controller.abort();
    const { error, at } = await queued;
    assertAborted(error);
    assertPrompt(at, abortedAt);
    const held = await holder;
    assert.ok(held.at > at, "the holder was still in flight when the queued call rejected");
    assert.deepEqual(held.value, { msisdn: "32477121212", status: "PRIVATE" });
    assert.deepEqual(await box.requests(BOOKINGS), [], "the queued call never went out");
    // Its place in the queue was given back: the next call goes through.
    await assert.rejects(client.bookings.get("bk_missing"), (e) => e.code === "not_found");
  });

  test("an abort while waiting for the shared /token rejects that caller only; one /token is sent", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    await box.addFault({ path: "/token", latencyMs: 3000, count: 1 });
    const controller = new AbortController();
    const patient = settle(client.tokens.get());
    const hasty = settle(client.fmu.getStatus(NUMBER, { signal: controller.signal }));
    await waitForRequests(box, "/token", 1);
    await sleep(100);
    const abortedAt = Date.now();
    controller.abort();
    const { error, at } = await hasty;
    assertAborted(error);
    assertPrompt(at, abortedAt);
    const { value: token } = await patient;
    assert.ok(token?.accessToken, "the other caller of the same /token got the token");
    assert.deepEqual(await client.fmu.getStatus(NUMBER), { msisdn: "32477121212", status: "PRIVATE" });
    assert.equal((await box.requests("/token")).length, 1);
    assert.equal((await box.requests(STATUS)).length, 1, "the aborted getStatus was never sent");
  });

  test("an abort mid-walk of bookings.list rejects the page being fetched at once", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    for (let i = 0; i < 3; i++) await client.bookings.create({ destination: `324771200${i}0`, usagePlan: "SMALL", callbackUrl: "https://example.com/c" });
    const controller = new AbortController();
    const walk = client.bookings.list({ pageSize: 1, signal: controller.signal })[Symbol.asyncIterator]();
    assert.equal((await walk.next()).done, false);
    await box.clearRequests();
    await box.addFault({ path: BOOKINGS, method: "GET", latencyMs: 3000, count: 1 });
    const second = settle(walk.next());
    await waitForRequests(box, BOOKINGS, 1);
    const abortedAt = Date.now();
    controller.abort();
    const { error, at } = await second;
    assertAborted(error);
    assertPrompt(at, abortedAt);
    await sleep(300);
    assert.equal((await box.requests(BOOKINGS)).length, 1, "no page after the aborted one");
  });

  test("ensure aborted mid-POST waits for the booking, stores its id, then rejects; the next ensure reuses it", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    await client.tokens.get();
    const kv = new Map();
    const store = { get: (key) => kv.get(key) ?? null, set: (key, id) => void kv.set(key, id) };
    const input = { key: "listing-9", store, destination: NUMBER, usagePlan: "SMALL", callbackUrl: "https://example.com/c" };
    await box.addFault({ path: BOOKINGS, method: "POST", latencyMs: 3000, count: 1 });
    const controller = new AbortController();
    const started = Date.now();
    const call = settle(client.bookings.ensure({ ...input, signal: controller.signal }));
    await waitForRequests(box, BOOKINGS, 1, { method: "POST" });
    controller.abort();
    const { error, at } = await call;
    assertAborted(error);
    // The platform answered the POST (3 s after it was sent) before the call gave up.
    assert.ok(at - started >= 2900, `rejected after ${at - started} ms, before the POST's answer`);
    const booked = kv.get("listing-9");
    assert.match(booked ?? "", /^bk_/, "the store holds the booking the POST made");
    const { bookings } = await box.state();
    assert.deepEqual(bookings.map((b) => b.id), [booked]);

    const again = await client.bookings.ensure(input);
    assert.equal(again.action, "reused");
    assert.equal(again.id, booked);
    assert.equal((await box.requests(BOOKINGS)).filter((r) => r.method === "POST").length, 1);
  });

  test("an aborted bulk call stops sending chunks and rejects with what the platform accepted so far", async (t) => {
    const box = await ownSandbox(t);
    const receiver = await callbackReceiver();
    t.after(() => receiver.close());
    const client = newClient(box);
    await client.tokens.get();
    await box.addFault({ path: STATUS, method: "GET", latencyMs: 1000, count: 5 });
    const controller = new AbortController();
    let abortedAt;
    let progressAfterAbort = 0;
    const call = settle(client.fmu.getStatuses(fleet(250), {
      callbackUrl: `${receiver.url}/fmu`,
      concurrency: 1,
      signal: controller.signal,
      // The first chunk settled: abort once the second one reached the sandbox (it takes 1 s there).
      onProgress: ({ done }) => {
        if (abortedAt !== undefined) progressAfterAbort++;
        if (done !== 50) return;
        waitForRequests(box, STATUS, 2).then(() => ((abortedAt = Date.now()), controller.abort()));
      },
    }));
    const { error, at } = await call;
    assertAborted(error);
    assertPrompt(at, abortedAt);
    const { partial } = error;
    assert.ok(partial, "error.partial holds the bulk result so far");
    assert.equal(partial.total, 250);
    assert.equal(partial.chunks.length, 5);
    const [first, ...rest] = partial.chunks;
    assert.equal(typeof first.requestId, "string", "the accepted chunk keeps its requestId");
    assert.equal(first.error, undefined);
    for (const chunk of rest) {
      assert.equal(chunk.requestId, undefined, `chunk ${chunk.index}`);
      assertAborted(chunk.error, `chunk ${chunk.index}`);
    }
    assert.equal(partial.failedChunks, 4);
    assert.equal(partial.failedNumbers, 200);
    assert.equal(progressAfterAbort, 0, "chunks failed by the abort are no progress");
    await sleep(300);
    assert.equal((await box.requests(STATUS)).length, 2, "chunks 3 to 5 were never sent");
  });

  test("a long-lived signal keeps no listener of finished calls, and aborting it later changes nothing", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    const controller = new AbortController(); // as a Worker's request.signal, shared by many calls
    const { signal } = controller;
    for (let i = 0; i < 10; i++) {
      await client.fmu.getStatus(NUMBER, { signal });
      await assert.rejects(client.bookings.get("bk_missing", { signal }), (e) => e.code === "not_found");
      await client.bookings.listPage({ signal });
    }
    assert.equal(getEventListeners(signal, "abort").length, 0);
    controller.abort();
    await sleep(50);
    assert.deepEqual(await client.fmu.getStatus(NUMBER), { msisdn: "32477121212", status: "PRIVATE" });
  });
});

// A signal of another realm or a polyfill is not the runtime's AbortSignal: api.js bridges it to
// one, so it works alike, and the wasm never touches the application's object.
test("a signal shaped like an AbortSignal (another realm's, a polyfill's) aborts the call too", async (t) => {
  const box = await ownSandbox(t);
  const client = newClient(box);
  await client.tokens.get();
  const foreign = {
    aborted: false,
    listeners: [],
    addEventListener(type, listener) { if (type === "abort") this.listeners.push(listener); },
    removeEventListener() {},
    abort() { this.aborted = true; for (const listener of this.listeners) listener(); },
  };
  await box.addFault({ path: STATUS, latencyMs: 3000, count: 1 });
  const started = Date.now();
  const call = client.fmu.getStatus(NUMBER, { signal: foreign });
  setTimeout(() => foreign.abort(), 100);
  await assert.rejects(call, (e) => e instanceof ProximusError && e.code === "aborted");
  assert.ok(Date.now() - started < PROMPT_MS + 100, "rejected soon after the abort");
  const already = { ...foreign, aborted: true, listeners: [] };
  await assert.rejects(client.fmu.getStatus(NUMBER, { signal: already }), (e) => e.code === "aborted");
  await assert.rejects(client.fmu.getStatus(NUMBER, { signal: { aborted: "no" } }), (e) => e.code === "invalid_argument");
});
