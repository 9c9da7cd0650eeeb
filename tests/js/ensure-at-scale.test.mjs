// The built package in Node against the sandbox: a lost booking answer is `outcome: "unknown"` and
// its booking adopted by the next ensure, expiry is the platform's clock, the clean-up deletes
// orphans only, and ensure's coordinator is checked before anything is sent.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { loadPackage, useSandboxAndReceiver, sandboxClient, failure } from "./helpers.mjs";

const { ProximusClient } = await loadPackage();
const ctx = useSandboxAndReceiver({ before, after, beforeEach });
const newClient = (extra = {}) => sandboxClient(ProximusClient, ctx.box, extra);
const BOOKINGS = "/rentednumbers/1.0.0/bookings";
const HOUR_MS = 3_600_000;

/** A store like Workers KV (what `ensure` and `cleanUp` are given). */
function memoryStore() {
  const map = new Map();
  return { map, get: async (key) => map.get(key) ?? null, put: async (key, value) => void map.set(key, value) };
}

const options = (store, key = "listing:42") => ({
  key, store, destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: `${ctx.receiver.url}/calls`,
});
const posts = async () => (await ctx.box.requests(BOOKINGS)).filter((r) => r.method === "POST").length;
const held = async () => (await ctx.box.state()).bookings.filter((b) => b.deletedAt == null);

test("a lost booking answer: outcome unknown, not retryable; the next ensure adopts that booking", async () => {
  const client = newClient();
  const store = memoryStore();
  await ctx.box.addFault({ path: BOOKINGS, method: "POST", drop: "after" });
  const error = await failure(client.bookings.ensure(options(store)));
  assert.equal(error.code, "network");
  assert.equal(error.outcome, "unknown");
  assert.equal(error.retryable, false);
  assert.match(error.message, /a booking may exist/);
  assert.equal(error.toJSON().outcome, "unknown");
  const [made] = await held();
  assert.ok(made, "the platform booked");

  const adopted = await client.bookings.ensure(options(store));
  assert.equal(adopted.action, "adopted");
  assert.equal(adopted.id, made.id);
  assert.equal(await posts(), 1, "no second POST /bookings");
  assert.equal(store.map.get("listing:42"), made.id);
  assert.equal(store.map.get(`proximus:booking:${made.id}`), "listing:42");
});

test("a plain create whose answer is lost says the booking may exist", async () => {
  await ctx.box.addFault({ path: BOOKINGS, method: "POST", drop: "after" });
  const error = await failure(newClient().bookings.create({ destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: `${ctx.receiver.url}/calls` }));
  assert.deepEqual([error.outcome, error.retryable], ["unknown", false]);
  await ctx.box.addFault({ path: BOOKINGS, method: "POST", status: 503 });
  const refused = await failure(newClient({ maxRetries: 0 }).bookings.create({ destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: `${ctx.receiver.url}/calls` }));
  assert.deepEqual([refused.code, refused.outcome, refused.retryable], ["unavailable", undefined, true], "a 503 did not book");
});

test("expiry is the platform's: eight days on the sandbox's clock, ensure books anew", async () => {
  const client = newClient();
  const store = memoryStore();
  const first = await client.bookings.ensure(options(store));
  assert.equal((await client.bookings.ensure(options(store))).action, "reused");
  await ctx.box.advance(8 * 86_400); // this machine's clock has not moved
  const again = await client.bookings.ensure(options(store));
  assert.equal(again.action, "booked");
  assert.notEqual(again.id, first.id);
});

test("cleanUp: an orphan waits out the grace time, then only it is deleted; a dry run deletes nothing", async () => {
  const client = newClient();
  const store = memoryStore();
  const kept = await Promise.all(["a", "b"].map((k) => client.bookings.ensure(options(store, `listing:${k}`))));
  const orphan = await client.bookings.create({ destination: "0471 12 12 12", usagePlan: "SMALL", callbackUrl: `${ctx.receiver.url}/calls` });

  const first = await client.bookings.cleanUp({ store, graceMs: HOUR_MS });
  assert.deepEqual([first.checked, first.referenced, first.deleted, first.failed], [3, 2, [], []]);
  assert.deepEqual(first.waiting.map((b) => b.id), [orphan.id]);
  assert.ok(first.waiting[0].endTime instanceof Date);

  await ctx.box.advance(2 * 3600);
  const dry = await client.bookings.cleanUp({ store, graceMs: HOUR_MS, dryRun: true });
  assert.deepEqual(dry.deleted.map((b) => b.id), [orphan.id]);
  assert.equal((await held()).length, 3, "a dry run deletes nothing");

  const second = await client.bookings.cleanUp({ store, graceMs: HOUR_MS, timeoutMs: 5000 });
  assert.deepEqual(second.deleted.map((b) => b.id), [orphan.id]);
  assert.deepEqual((await held()).map((b) => b.id).sort(), kept.map((b) => b.id).sort());
});

test("cleanUp refuses bad options before any request", async () => {
  const client = newClient();
  const store = memoryStore();
  for (const [bad, message] of [
    [{ store, graceMs: -1 }, /graceMs must be a whole number/],
    [{ store, graceMs: 1.5 }, /graceMs/],
    [{ store, dryRun: "yes" }, /dryRun/],
    [{ graceMs: 0 }, /store must have get/],
    [{ store, gracems: 0 }, /gracems/],
  ]) {
    const error = await failure(client.bookings.cleanUp(bad));
    assert.equal(error.code, "invalid_argument", JSON.stringify(Object.keys(bad)));
    assert.match(error.message, message);
  }
  assert.deepEqual(await ctx.box.requests(BOOKINGS), []);
});

test("ensure's coordinator: the request is checked here, before the Durable Object is asked", async () => {
  const client = newClient();
  const asked = [];
  const namespace = {
    idFromName: (name) => ({ name }),
    get: (id) => ({ fetch: async (url, init) => { asked.push({ id, init }); return Response.json({ booking: { id: "bk_1", service: "3278000100", endTime: "2026-12-01T00:00:00Z" }, }); } }),
  };
  const coordinated = { ...options(undefined), coordinator: namespace };
  delete coordinated.store;
  for (const [bad, message] of [
    [{ ...coordinated, destination: "not a number" }, /destination|number/i],
    [{ ...coordinated, key: "" }, /key/],
    [{ ...coordinated, store: memoryStore() }, /store or a coordinator, not both/],
    [{ ...coordinated, coordinator: {} }, /Durable Object namespace/],
  ]) {
    const error = await failure(client.bookings.ensure(bad));
    assert.equal(error.code, "invalid_argument", error.message);
    assert.match(error.message, message);
  }
  assert.equal(asked.length, 0, "nothing reached the coordinator");
  const booking = await client.bookings.ensure({ ...coordinated, timeoutMs: 2000 });
  assert.ok(booking.endTime instanceof Date);
  assert.equal(asked.length, 1);
  assert.equal(asked[0].id.name, "listing:42", "one object per key");
  const sent = JSON.parse(asked[0].init.body);
  assert.equal(sent.timeoutMs, 2000);
  assert.equal(sent.coordinator, undefined);

  const aborted = new AbortController();
  aborted.abort();
  assert.equal((await failure(client.bookings.ensure({ ...coordinated, signal: aborted.signal }))).code, "aborted");
  assert.deepEqual(await ctx.box.requests(BOOKINGS), [], "the client itself sent nothing");
});
