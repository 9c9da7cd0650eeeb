import { test } from "node:test";
import assert from "node:assert/strict";
import { startSandbox } from "../index.js";
import { RN, call, getToken, makeSandbox, silent, startReceiver } from "./helpers.js";

const P = "sandbox-permanent-token";
const CB = "https://example.com/calls";
const book = (f, body) => call(f, "POST", `${RN}/bookings`, { token: P, body });
const dial = (f, body) => call(f, "POST", "/_sandbox/calls", { body });

test("a completed call counts down the booking, writes a record and POSTs the documented callback", async () => {
  const { fetch, sandbox, delivered } = makeSandbox();
  const b = (await book(fetch, { destination: "32477121212", usagePlan: "SMALL", callback: CB })).body;
  const r = await dial(fetch, { service: b.service, source: "32470000001", duration: 42 });
  assert.equal(r.status, 200);
  assert.equal(r.body.outcome, "completed");
  assert.match(r.body.cdr.id, /^cdr_[0-9a-z]+$/);
  assert.deepEqual(r.body.cdr, { id: r.body.cdr.id, timestamp: "2026-11-23T10:00:00Z", duration: 42, source: "32470000001", service: b.service });
  assert.equal(r.body.booking.secondsRemaining, 3558);
  assert.equal(r.body.booking.callsRemaining, 24);
  await sandbox.idle();
  assert.deepEqual(delivered, [{
    url: CB,
    headers: delivered[0].headers,
    body: { id: r.body.cdr.id, timestamp: "2026-11-23T10:00:00Z", duration: 42, source: "32470000001", destination: "32477121212", bookingId: b.id },
  }]);
  // defaults: source 32470000001, 42 s
  const d = await dial(fetch, { service: b.service });
  assert.equal(d.body.cdr.duration, 42);
  assert.equal(d.body.cdr.source, "32470000001");
  const got = await call(fetch, "GET", `${RN}/bookings/${b.id}`, { token: P });
  assert.equal(got.body.secondsRemaining, 3516);
  assert.equal(got.body.callsRemaining, 23);
});

test("running out of seconds or calls expires the booking; the next call gets the expired callback", async () => {
  const { fetch, sandbox, delivered } = makeSandbox();
  const b = (await book(fetch, { destination: "32477121212", usagePlan: "SMALL", callback: CB })).body;
  const long = await dial(fetch, { service: b.service, duration: 5000 });
  assert.equal(long.body.outcome, "completed");
  assert.equal(long.body.cdr.duration, 3600, "a call is cut when the plan's seconds run out");
  assert.equal(long.body.booking.secondsRemaining, 0);
  assert.equal((await call(fetch, "GET", `${RN}/bookings`, { token: P })).body.totalElements, 0);
  const r = await dial(fetch, { service: b.service, source: "32470000002" });
  assert.equal(r.status, 200);
  assert.equal(r.body.outcome, "expired");
  await sandbox.idle();
  assert.deepEqual(delivered[1].body, {
    timestamp: "2026-11-23T10:00:00Z", source: "32470000002", destination: "32477121212", bookingId: b.id,
    message: "Incoming call for expired booking",
  });
  assert.equal(sandbox.state.cdrs.length, 1, "a refused call writes no record");

  const c = (await book(fetch, { destination: "32477121212", usagePlan: "SMALL", callback: CB })).body;
  for (let i = 0; i < 25; i++) assert.equal((await dial(fetch, { service: c.service, duration: 1 })).body.outcome, "completed");
  assert.equal((await dial(fetch, { service: c.service })).body.outcome, "expired");
});

test("a call after endTime gets the expired callback; unknown or free numbers → 404; bad input → 400", async () => {
  const { fetch, sandbox, delivered } = makeSandbox();
  const b = (await book(fetch, { destination: "32477121212", usagePlan: "SMALL", callback: CB })).body;
  await call(fetch, "POST", "/_sandbox/clock", { body: { advanceSeconds: 8 * 86400 } });
  assert.equal((await dial(fetch, { service: b.service })).body.outcome, "expired");
  await sandbox.idle();
  assert.equal(delivered[0].body.message, "Incoming call for expired booking");
  assert.equal(delivered[0].body.timestamp, "2026-12-01T10:00:00Z");
  for (const service of ["3278000199", "32999999"]) {
    const r = await dial(fetch, { service });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, "NOT_FOUND");
  }
  for (const body of [{}, { service: 3278000100 }, { service: b.service, duration: -1 }, { service: b.service, duration: 1.5 },
    { service: b.service, duration: "42" }, { service: b.service, source: 32470000001 }, "nope"]) {
    assert.equal((await dial(fetch, body)).status, 400, JSON.stringify(body));
  }
  assert.equal((await call(fetch, "GET", "/_sandbox/calls")).status, 405);
});

test("GET /cdr pages records, filters from (inclusive) / to (exclusive); GET /cdr/{id}", async () => {
  const { fetch, clock } = makeSandbox();
  const b = (await book(fetch, { destination: "32477121212", usagePlan: "MEDIUM", callback: CB })).body;
  const ids = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await dial(fetch, { service: b.service, duration: 10 + i })).body.cdr.id);
    clock.advance(3600_000);
  }
  const all = await call(fetch, "GET", `${RN}/cdr`, { token: P });
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.content.map((c) => c.id), ids);
  assert.deepEqual(Object.keys(all.body).sort(), ["content", "page", "size", "totalElements", "totalPages"]);
  const range = await call(fetch, "GET", `${RN}/cdr?from=2026-11-23T11:00:00Z&to=2026-11-23T13:00:00Z`, { token: P });
  assert.deepEqual(range.body.content.map((c) => c.timestamp), ["2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z"]);
  const offset = await call(fetch, "GET", `${RN}/cdr?from=${encodeURIComponent("2026-11-23T13:00:00+01:00")}`, { token: P });
  assert.equal(offset.body.totalElements, 3, "13:00+01:00 is 12:00Z");
  const paged = await call(fetch, "GET", `${RN}/cdr?page=1&size=2`, { token: P });
  assert.deepEqual(paged.body.content.map((c) => c.id), ids.slice(2, 4));
  assert.equal(paged.body.totalPages, 3);
  const one = await call(fetch, "GET", `${RN}/cdr/${ids[0]}`, { token: P });
  assert.deepEqual(one.body, { id: ids[0], timestamp: "2026-11-23T10:00:00Z", duration: 10, source: "32470000001", service: b.service });
  assert.equal((await call(fetch, "GET", `${RN}/cdr/cdr_nope`, { token: P })).status, 404);
  for (const q of ["from=yesterday", "to=2026-13-45T00:00:00Z", "from=1700000000", "from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", "size=0", "size=101", "page=-1"]) {
    const r = await call(fetch, "GET", `${RN}/cdr?${q}`, { token: P });
    assert.equal(r.status, 400, q);
    assert.equal(r.body.code, "VALIDATION_ERROR");
  }
  assert.equal((await call(fetch, "POST", `${RN}/cdr`, { token: P, body: {} })).status, 405);
  assert.equal((await call(fetch, "GET", `${RN}/cdr`)).status, 401);
});

test("callbacks reach a real loopback receiver over HTTP, and failures are retried then logged", async () => {
  const receiver = await startReceiver({ status: (n) => (n === 1 ? 500 : 204) });
  const warnings = [];
  const sb = await startSandbox({ logger: { warn: (m) => warnings.push(m) }, callbackRetryDelaysMs: [5, 5] });
  try {
    const token = await getToken(fetch, sb.url);
    const b = await call(fetch, "POST", `${RN}/bookings`, { base: sb.url, token, body: { destination: "32477121212", usagePlan: "SMALL", callback: `${receiver.url}/calls?sig=abc` } });
    assert.equal(b.status, 201);
    const r = await call(fetch, "POST", "/_sandbox/calls", { base: sb.url, body: { service: b.body.service, duration: 7 } });
    assert.equal(r.body.outcome, "completed");
    await receiver.waitFor(2);
    await sb.sandbox.idle();
    assert.equal(receiver.received[1].method, "POST");
    assert.equal(receiver.received[1].url, "/calls?sig=abc");
    assert.equal(receiver.received[1].headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(receiver.received[1].body), {
      id: r.body.cdr.id, timestamp: r.body.cdr.timestamp, duration: 7, source: "32470000001", destination: "32477121212", bookingId: b.body.id,
    });
    const state = (await call(fetch, "GET", "/_sandbox/state", { base: sb.url })).body;
    assert.equal(state.callbacks.length, 1);
    assert.equal(state.callbacks[0].delivered, true);
    assert.equal(state.callbacks[0].attempts, 2);

    // a receiver that always fails: 3 attempts, then logged, server still fine
    receiver.setStatus(503);
    await call(fetch, "POST", "/_sandbox/calls", { base: sb.url, body: { service: b.body.service } });
    await sb.sandbox.idle();
    const failed = (await call(fetch, "GET", "/_sandbox/state", { base: sb.url })).body.callbacks[1];
    assert.equal(failed.delivered, false);
    assert.equal(failed.attempts, 3);
    assert.match(failed.error, /503/);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /failed after 3 attempts/);
  } finally {
    await sb.close();
    await receiver.close();
  }
});

test("an unreachable callback never breaks the API answer", async () => {
  const { fetch, sandbox } = makeSandbox({ deliver: async () => { throw new TypeError("fetch failed"); }, logger: silent });
  await call(fetch, "POST", "/fmu/1.0.0/callback", { token: P, body: { url: "https://unreachable.example/x" } });
  const r = await call(fetch, "GET", "/fmu/1.0.0/status?msisdn=32477121212,32471121212", { token: P });
  assert.equal(r.status, 202);
  await sandbox.idle();
  assert.equal(sandbox.state.callbacks[0].delivered, false);
  assert.equal(sandbox.state.callbacks[0].attempts, 4);
  assert.equal(sandbox.state.callbacks[0].error, "fetch failed");
  assert.equal((await call(fetch, "GET", "/fmu/1.0.0/status?msisdn=32477121212", { token: P })).status, 200);
});
