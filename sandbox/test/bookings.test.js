import { test } from "node:test";
import assert from "node:assert/strict";
import { RN, T0, call, makeSandbox } from "./helpers.js";

const P = "sandbox-permanent-token";
const DAY = 86_400_000;
const CB = "https://example.com/calls";
const book = (f, body) => call(f, "POST", `${RN}/bookings`, { token: P, body });
const small = (f, destination = "32477121212") => book(f, { destination, usagePlan: "SMALL", callback: CB });
const isoS = (ms) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

test("POST /bookings → 201 with the documented fields and each plan's limits", async () => {
  const { fetch } = makeSandbox();
  const plans = { SMALL: [7, 3600, 25], MEDIUM: [30, 18000, 100], LARGE: [90, 60000, 500] };
  let expectedService = 3278000100;
  for (const [usagePlan, [days, seconds, calls]] of Object.entries(plans)) {
    const r = await book(fetch, { destination: "32477121212", usagePlan, callback: CB });
    assert.equal(r.status, 201);
    assert.match(r.body.id, /^bk_[0-9a-z]{12}$/);
    assert.deepEqual(r.body, {
      id: r.body.id, service: String(expectedService++), endTime: isoS(T0 + days * DAY),
      secondsRemaining: seconds, callsRemaining: calls, destination: "32477121212", usagePlan,
    });
  }
  // loopback http callbacks are fine for local demos; international destinations of 8–15 digits
  assert.equal((await book(fetch, { destination: "12345678", usagePlan: "SMALL", callback: "http://127.0.0.1:1/cb" })).status, 201);
  assert.equal((await book(fetch, { destination: "123456789012345", usagePlan: "SMALL", callback: "http://localhost/cb" })).status, 201);
});

test("POST /bookings validation → 400 VALIDATION_ERROR, nothing booked", async () => {
  const { fetch, sandbox } = makeSandbox();
  const base = { destination: "32477121212", usagePlan: "SMALL", callback: CB };
  const bad = [
    undefined, "", "{", "[]", "null", "1",
    { ...base, destination: undefined }, { ...base, destination: 32477121212 }, { ...base, destination: "+32477121212" },
    { ...base, destination: "1234567" }, { ...base, destination: "1234567890123456" }, { ...base, destination: "0477 12 12 12" },
    { ...base, usagePlan: undefined }, { ...base, usagePlan: "small" }, { ...base, usagePlan: "HUGE" }, { ...base, usagePlan: 1 },
    { ...base, usagePlan: "toString" },
    { ...base, callback: undefined }, { ...base, callback: "" }, { ...base, callback: "http://example.com/cb" },
    { ...base, callback: "example.com/cb" }, { ...base, callback: "ftp://example.com" }, { ...base, callback: ["https://x"] },
  ];
  for (const body of bad) {
    const r = await book(fetch, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.code, "VALIDATION_ERROR");
    assert.equal(typeof r.body.message, "string");
  }
  assert.equal(sandbox.state.bookings.length, 0);
  assert.equal((await call(fetch, "PATCH", `${RN}/bookings`, { token: P })).status, 405);
  assert.equal((await call(fetch, "POST", `${RN}/bookings`, { body: base })).status, 401);
});

test("GET /bookings/{id} and 404 for unknown ids", async () => {
  const { fetch } = makeSandbox();
  const b = (await small(fetch)).body;
  const r = await call(fetch, "GET", `${RN}/bookings/${b.id}`, { token: P });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, b);
  for (const id of ["bk_000000000000", "nope", "%E2%82%AC"]) {
    const nf = await call(fetch, "GET", `${RN}/bookings/${id}`, { token: P });
    assert.equal(nf.status, 404);
    assert.equal(nf.body.code, "NOT_FOUND");
  }
  assert.equal((await call(fetch, "POST", `${RN}/bookings/${b.id}`, { token: P, body: {} })).status, 405);
});

test("list: pages in creation order, size and page validated", async () => {
  const { fetch } = makeSandbox();
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await small(fetch, `3247712121${i}`)).body.id);
  const all = await call(fetch, "GET", `${RN}/bookings`, { token: P });
  assert.equal(all.status, 200);
  assert.deepEqual({ ...all.body, content: all.body.content.map((b) => b.id) }, { content: ids, page: 0, size: 20, totalElements: 5, totalPages: 1 });
  const p1 = await call(fetch, "GET", `${RN}/bookings?includeExpired=false&page=1&size=2`, { token: P });
  assert.deepEqual(p1.body.content.map((b) => b.id), ids.slice(2, 4));
  assert.equal(p1.body.totalPages, 3);
  assert.equal(p1.body.totalElements, 5);
  const past = await call(fetch, "GET", `${RN}/bookings?page=9&size=2`, { token: P });
  assert.deepEqual(past.body.content, []);
  const max = await call(fetch, "GET", `${RN}/bookings?size=100`, { token: P });
  assert.equal(max.status, 200);
  for (const q of ["size=0", "size=101", "size=-1", "size=abc", "size=1.5", "page=-1", "page=x", "includeExpired=yes", "includeExpired=1"]) {
    const r = await call(fetch, "GET", `${RN}/bookings?${q}`, { token: P });
    assert.equal(r.status, 400, q);
    assert.equal(r.body.code, "VALIDATION_ERROR");
  }
});

test("PUT adds the plan's seconds and calls, moves endTime to now + plan days or keeps a later one", async () => {
  const { fetch, clock } = makeSandbox();
  const b = (await book(fetch, { destination: "32477121212", usagePlan: "LARGE", callback: CB })).body;
  clock.advance(DAY);
  const r = await call(fetch, "PUT", `${RN}/bookings/${b.id}`, { token: P, body: { usagePlan: "SMALL" } });
  assert.equal(r.status, 200);
  assert.equal(r.body.secondsRemaining, 63600);
  assert.equal(r.body.callsRemaining, 525);
  assert.equal(r.body.endTime, isoS(T0 + 90 * DAY), "a later endTime is kept");
  assert.equal(r.body.usagePlan, "SMALL");
  const s = (await small(fetch)).body;
  clock.advance(DAY);
  const m = await call(fetch, "PUT", `${RN}/bookings/${s.id}`, { token: P, body: { usagePlan: "MEDIUM" } });
  assert.equal(m.body.endTime, isoS(T0 + 2 * DAY + 30 * DAY));
  assert.equal(m.body.secondsRemaining, 3600 + 18000);
  assert.equal(m.body.callsRemaining, 125);
  assert.deepEqual((await call(fetch, "GET", `${RN}/bookings/${s.id}`, { token: P })).body, m.body);
  for (const body of [{}, { usagePlan: "XL" }, { usagePlan: null }, "x", undefined]) {
    const bad = await call(fetch, "PUT", `${RN}/bookings/${s.id}`, { token: P, body });
    assert.equal(bad.status, 400, JSON.stringify(body));
  }
  assert.equal((await call(fetch, "PUT", `${RN}/bookings/bk_unknown00000`, { token: P, body: { usagePlan: "SMALL" } })).status, 404);
});

test("DELETE → 204, then 404 everywhere; the number is not handed out again at once", async () => {
  const { fetch } = makeSandbox();
  const b = (await small(fetch)).body;
  const d = await call(fetch, "DELETE", `${RN}/bookings/${b.id}`, { token: P });
  assert.equal(d.status, 204);
  assert.equal(d.text, "");
  for (const [m, body] of [["GET"], ["PUT", { usagePlan: "SMALL" }], ["DELETE"]]) {
    const r = await call(fetch, m, `${RN}/bookings/${b.id}`, { token: P, body });
    assert.equal(r.status, 404, m);
    assert.equal(r.body.code, "NOT_FOUND");
  }
  const list = await call(fetch, "GET", `${RN}/bookings?includeExpired=true`, { token: P });
  assert.equal(list.body.totalElements, 0);
  const next = (await small(fetch)).body;
  assert.notEqual(next.service, b.service);
});

test("expiry and the 7-day grace period, driven by the admin clock", async () => {
  const { fetch, sandbox } = makeSandbox();
  const b = (await small(fetch)).body;
  const advance = (s) => call(fetch, "POST", "/_sandbox/clock", { body: { advanceSeconds: s } });
  const list = (inc) => call(fetch, "GET", `${RN}/bookings?includeExpired=${inc}`, { token: P });

  await advance(7 * 86400 - 1);
  assert.equal((await list(false)).body.totalElements, 1, "still active one second before endTime");
  await advance(1);
  assert.equal((await list(false)).body.totalElements, 0, "expired at endTime");
  const inGrace = await list(true);
  assert.deepEqual(inGrace.body.content.map((x) => x.id), [b.id]);
  assert.equal((await call(fetch, "GET", `${RN}/bookings/${b.id}`, { token: P })).status, 200);
  const st = (await call(fetch, "GET", "/_sandbox/state")).body.bookings[0];
  assert.equal(st.state, "expired");

  await advance(7 * 86400 - 1);
  assert.equal((await list(true)).body.totalElements, 1, "last second of grace");
  await advance(1);
  assert.equal((await list(true)).body.totalElements, 0, "grace over");
  assert.equal((await call(fetch, "GET", `${RN}/bookings/${b.id}`, { token: P })).status, 404);
  assert.equal((await call(fetch, "PUT", `${RN}/bookings/${b.id}`, { token: P, body: { usagePlan: "SMALL" } })).status, 404);
  assert.equal((await call(fetch, "DELETE", `${RN}/bookings/${b.id}`, { token: P })).status, 404);
  assert.equal(sandbox.state.bookings.length, 1);
  assert.equal((await call(fetch, "GET", "/_sandbox/state")).body.bookings[0].state, "gone");
  // the number is back in the pool
  assert.equal((await small(fetch)).body.service, b.service);
});

test("PUT during grace reactivates an expired booking", async () => {
  const { fetch } = makeSandbox();
  const b = (await small(fetch)).body;
  await call(fetch, "POST", "/_sandbox/clock", { body: { advanceSeconds: 10 * 86400 } });
  assert.equal((await call(fetch, "GET", `${RN}/bookings`, { token: P })).body.totalElements, 0);
  const r = await call(fetch, "PUT", `${RN}/bookings/${b.id}`, { token: P, body: { usagePlan: "SMALL" } });
  assert.equal(r.status, 200);
  assert.equal(r.body.endTime, isoS(T0 + 17 * DAY));
  assert.equal(r.body.secondsRemaining, 7200);
  assert.equal(r.body.callsRemaining, 50);
  assert.deepEqual((await call(fetch, "GET", `${RN}/bookings`, { token: P })).body.content.map((x) => x.id), [b.id]);
});

test("an exhausted pool answers 503 NO_NUMBER_AVAILABLE", async () => {
  const { fetch } = makeSandbox();
  const services = new Set();
  for (let i = 0; i < 100; i++) {
    const r = await small(fetch);
    assert.equal(r.status, 201);
    services.add(r.body.service);
  }
  assert.equal(services.size, 100);
  assert.ok([...services].every((s) => /^32780001\d\d$/.test(s)));
  const full = await small(fetch);
  assert.equal(full.status, 503);
  assert.equal(full.body.code, "NO_NUMBER_AVAILABLE");
  assert.equal(typeof full.body.message, "string");
});
