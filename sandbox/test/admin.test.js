import { test } from "node:test";
import assert from "node:assert/strict";
import { FMU, FORM_HEADERS, RN, call, form, getToken, makeSandbox } from "./helpers.js";

const P = "sandbox-permanent-token";
const BOOKING = { destination: "32477121212", usagePlan: "SMALL", callback: "https://example.com/cb" };

test("reset returns to the seed and clears faults, log, clock, config and callbacks", async () => {
  const { fetch, sandbox } = makeSandbox();
  await call(fetch, "PUT", `${FMU}/status`, { token: P, body: { msisdn: ["32477121212"], status: "ON_DUTY" } });
  await call(fetch, "POST", `${FMU}/callback`, { token: P, body: { url: "https://example.com/fmu" } });
  await call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING });
  const token = await getToken(fetch);
  await call(fetch, "POST", "/_sandbox/faults", { body: { path: "/x", status: 500 } });
  await call(fetch, "POST", "/_sandbox/clock", { body: { advanceSeconds: 100 } });
  await call(fetch, "POST", "/_sandbox/config", { body: { latencyMs: 5, rateLimit: { requests: 100, perSeconds: 1 } } });
  const r = await call(fetch, "POST", "/_sandbox/reset");
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, {});
  const s = (await call(fetch, "GET", "/_sandbox/state")).body;
  assert.equal(s.now, "2026-11-23T10:00:00.000Z");
  assert.equal(s.fmu["32477121212"].status, "PRIVATE");
  assert.equal(s.fmuCallbackUrl, null);
  assert.deepEqual(s.bookings, []);
  assert.deepEqual(s.faults, []);
  assert.deepEqual(s.callbacks, []);
  assert.deepEqual(s.config, { latencyMs: 0, rateLimit: null });
  assert.equal(s.tokens.active, 0);
  assert.deepEqual((await call(fetch, "GET", "/_sandbox/requests")).body.requests, []);
  assert.equal((await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token })).status, 401, "tokens are forgotten");
  assert.equal(sandbox.state.bookings.length, 0);
});

test("clock: GET and POST, validation", async () => {
  const { fetch } = makeSandbox();
  assert.deepEqual((await call(fetch, "GET", "/_sandbox/clock")).body, { now: "2026-11-23T10:00:00.000Z" });
  assert.deepEqual((await call(fetch, "POST", "/_sandbox/clock", { body: { advanceSeconds: 90061.5 } })).body, { now: "2026-11-24T11:01:01.500Z" });
  for (const body of [{}, { advanceSeconds: -1 }, { advanceSeconds: "10" }, { advanceSeconds: null }, "x", [1]]) {
    const r = await call(fetch, "POST", "/_sandbox/clock", { body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.code, "VALIDATION_ERROR");
  }
  assert.equal((await call(fetch, "DELETE", "/_sandbox/clock")).status, 405);
});

test("request log records what clients sent (full Authorization included), filters by path, clears", async () => {
  const { fetch } = makeSandbox();
  const token = await getToken(fetch);
  await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token, headers: { "X-Custom": "yes" } });
  await call(fetch, "POST", `${RN}/bookings`, { token, body: BOOKING });
  const all = (await call(fetch, "GET", "/_sandbox/requests")).body.requests;
  assert.deepEqual(all.map((r) => `${r.method} ${r.path}`), ["POST /token", `GET ${FMU}/status`, `POST ${RN}/bookings`]);
  assert.equal(all[0].body, form({ grant_type: "client_credentials", client_id: "sandbox-client", client_secret: "sandbox-secret" }));
  assert.equal(all[0].headers["content-type"], FORM_HEADERS["content-type"]);
  assert.equal(all[1].headers.authorization, `Bearer ${token}`);
  assert.equal(all[1].headers["x-custom"], "yes");
  assert.deepEqual(all[1].query, { msisdn: "32477121212" });
  assert.equal(all[1].at, "2026-11-23T10:00:00.000Z");
  assert.deepEqual(JSON.parse(all[2].body), BOOKING);
  const only = (await call(fetch, "GET", "/_sandbox/requests?path=/token")).body.requests;
  assert.equal(only.length, 1);
  assert.equal((await call(fetch, "DELETE", "/_sandbox/requests")).status, 204);
  assert.deepEqual((await call(fetch, "GET", "/_sandbox/requests")).body.requests, []);
});

test("request log keeps at most 5,000 entries", async () => {
  const { fetch } = makeSandbox();
  for (let i = 0; i < 5010; i++) await fetch(`http://sandbox.local/nowhere/${i}`);
  const log = (await call(fetch, "GET", "/_sandbox/requests")).body.requests;
  assert.equal(log.length, 5000);
  assert.equal(log[0].path, "/nowhere/10");
  assert.equal(log[4999].path, "/nowhere/5009");
});

test("state shows tokens, fmu, bookings with their state, cdrs and callbacks", async () => {
  const { fetch, sandbox } = makeSandbox();
  await getToken(fetch);
  const b = (await call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING })).body;
  await call(fetch, "POST", "/_sandbox/calls", { body: { service: b.service } });
  await sandbox.idle();
  const s = (await call(fetch, "GET", "/_sandbox/state")).body;
  assert.equal(s.tokens.active, 1);
  assert.equal(s.tokens.issued, 1);
  assert.equal(Object.keys(s.fmu).length, 68);
  assert.equal(s.bookings.length, 1);
  assert.equal(s.bookings[0].id, b.id);
  assert.equal(s.bookings[0].state, "active");
  assert.equal(s.bookings[0].callback, BOOKING.callback);
  assert.equal(s.cdrs.length, 1);
  assert.equal(s.callbacks.length, 1);
  assert.equal(s.callbacks[0].url, BOOKING.callback);
  assert.equal(s.callbacks[0].delivered, true);
  assert.equal(s.callbacks[0].attempts, 1);
  assert.equal(s.callbacks[0].body.bookingId, b.id);
  assert.equal((await call(fetch, "POST", "/_sandbox/state")).status, 405);
  assert.equal((await call(fetch, "GET", "/_sandbox/nope")).status, 404);
});

test("throttling: 429, Retry-After and the 900800 fault once the quota is used; the window reopens", async () => {
  const { fetch, clock } = makeSandbox();
  const cfg = await call(fetch, "POST", "/_sandbox/config", { body: { rateLimit: { requests: 3, perSeconds: 10 } } });
  assert.deepEqual(cfg.body, { latencyMs: 0, rateLimit: { requests: 3, perSeconds: 10 } });
  const get = () => call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token: P });
  for (let i = 0; i < 3; i++) assert.equal((await get()).status, 200);
  clock.advance(4000);
  const r = await get();
  assert.equal(r.status, 429);
  assert.equal(r.headers.get("retry-after"), "6");
  assert.deepEqual(r.body.fault.code, 900800);
  assert.equal(r.body.fault.message, "Message throttled out");
  assert.equal((await call(fetch, "GET", "/_sandbox/state")).status, 200, "admin is never throttled");
  clock.advance(6000);
  assert.equal((await get()).status, 200);
  await call(fetch, "POST", "/_sandbox/config", { body: { rateLimit: null } });
  for (let i = 0; i < 10; i++) assert.equal((await get()).status, 200);
  for (const body of [{ rateLimit: { requests: 0 } }, { rateLimit: { requests: 1, perSeconds: 0 } }, { rateLimit: 5 }, { latencyMs: -5 }, "x"]) {
    assert.equal((await call(fetch, "POST", "/_sandbox/config", { body })).status, 400, JSON.stringify(body));
  }
  assert.equal((await call(fetch, "GET", "/_sandbox/config")).status, 200);
});

test("CORS: preflight 204 on every route, Access-Control headers on every answer", async () => {
  const { fetch } = makeSandbox();
  for (const path of ["/token", "/revoke", `${FMU}/status`, `${FMU}/callback`, `${RN}/bookings`, `${RN}/bookings/bk_x`, `${RN}/cdr`, "/_sandbox/state", "/unknown"]) {
    const r = await fetch(`http://sandbox.local${path}`, {
      method: "OPTIONS",
      headers: { origin: "http://app.example", "access-control-request-method": "PUT", "access-control-request-headers": "authorization,content-type" },
    });
    assert.equal(r.status, 204, path);
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    assert.match(r.headers.get("access-control-allow-methods"), /GET.*POST.*PUT.*DELETE/);
    assert.match(r.headers.get("access-control-allow-headers"), /Authorization/);
    assert.match(r.headers.get("access-control-allow-headers"), /Content-Type/);
    assert.equal(r.headers.get("access-control-expose-headers"), "Retry-After, Date");
  }
  const answers = [
    await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token: P }),
    await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`),
    await call(fetch, "POST", "/token"),
    await call(fetch, "GET", "/nowhere"),
    await call(fetch, "GET", "/_sandbox/state"),
  ];
  for (const r of answers) {
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    assert.equal(r.headers.get("access-control-expose-headers"), "Retry-After, Date");
  }
});

test("every answer's Date is the sandbox clock's, so clients judge expiry by the platform's time", async () => {
  const { fetch } = makeSandbox();
  assert.equal((await call(fetch, "GET", "/")).headers.get("date"), "Mon, 23 Nov 2026 10:00:00 GMT");
  await call(fetch, "POST", "/_sandbox/clock", { body: { advanceSeconds: 8 * 86400 } });
  assert.equal((await call(fetch, "GET", "/no-such-route")).headers.get("date"), "Tue, 01 Dec 2026 10:00:00 GMT");
});
