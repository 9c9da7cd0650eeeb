// The benchmark knob: POST /_sandbox/config {"syntheticBookings": N} lists N generated bookings
// after the real ones, page by page, without storing them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RN, call, makeSandbox } from "./helpers.js";

const P = "sandbox-permanent-token";
const BOOKING = { destination: "32477121212", usagePlan: "SMALL", callback: "https://example.com/cb" };

test("syntheticBookings: N generated bookings follow the real ones in GET /bookings, then off again", async () => {
  const { fetch } = makeSandbox();
  const real = (await call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING })).body;
  const cfg = await call(fetch, "POST", "/_sandbox/config", { body: { syntheticBookings: 250_000 } });
  assert.equal(cfg.status, 200);
  assert.equal(cfg.body.syntheticBookings, 250_000);

  const first = (await call(fetch, "GET", `${RN}/bookings?page=0&size=100`, { token: P })).body;
  assert.equal(first.totalElements, 250_001);
  assert.equal(first.totalPages, 2501);
  assert.equal(first.content.length, 100);
  assert.deepEqual(first.content[0], real);
  assert.deepEqual(Object.keys(first.content[1]).sort(), Object.keys(real).sort());
  assert.equal(first.content[1].id, "bk_syn00000000");
  assert.equal(first.content[1].usagePlan, "SMALL");
  assert.match(first.content[1].destination, /^\d{8,15}$/);
  const ids = new Set(first.content.map((b) => b.id));
  assert.equal(ids.size, 100, "ids are distinct");

  const last = (await call(fetch, "GET", `${RN}/bookings?page=2500&size=100`, { token: P })).body;
  assert.deepEqual(last.content.map((b) => b.id), ["bk_syn00249999"]);
  const beyond = (await call(fetch, "GET", `${RN}/bookings?page=2501&size=100`, { token: P })).body;
  assert.deepEqual(beyond.content, []);
  // Only the listing sees them.
  assert.equal((await call(fetch, "GET", `${RN}/bookings/bk_syn00000000`, { token: P })).status, 404);
  assert.equal((await call(fetch, "GET", "/_sandbox/state")).body.bookings.length, 1);

  assert.equal((await call(fetch, "POST", "/_sandbox/config", { body: { syntheticBookings: 0 } })).body.syntheticBookings, undefined);
  assert.equal((await call(fetch, "GET", `${RN}/bookings`, { token: P })).body.totalElements, 1);
  await call(fetch, "POST", "/_sandbox/config", { body: { syntheticBookings: 5 } });
  await call(fetch, "POST", "/_sandbox/reset");
  assert.deepEqual((await call(fetch, "GET", "/_sandbox/config")).body, { latencyMs: 0, rateLimit: null }, "a reset clears it");
});

test("syntheticBookings: validation", async () => {
  const { fetch } = makeSandbox();
  for (const syntheticBookings of [-1, 1.5, "10", 10_000_001, true]) {
    const r = await call(fetch, "POST", "/_sandbox/config", { body: { syntheticBookings } });
    assert.equal(r.status, 400, JSON.stringify(syntheticBookings));
    assert.equal(r.body.code, "VALIDATION_ERROR");
  }
  assert.equal((await call(fetch, "POST", "/_sandbox/config", { body: { syntheticBookings: null } })).status, 200);
});
