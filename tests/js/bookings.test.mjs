// The built package in Node against the sandbox: the life of a booking, signed callbacks,
// lazy listing, call records.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { loadPackage, useSandboxAndReceiver, sandboxClient } from "./helpers.mjs";

const { ProximusClient, ProximusError, parseCallEvent, signCallbackUrl, verifyCallbackUrl } = await loadPackage();
const SECRET = "a-long-enough-callback-secret";
const ctx = useSandboxAndReceiver({ before, after, beforeEach });
const newClient = (extra = {}) => sandboxClient(ProximusClient, ctx.box, extra);

test("the life of a booking: create, a verified call event, top-up, expiry, delete", async () => {
  const client = newClient();
  const callbackUrl = signCallbackUrl(`${ctx.receiver.url}/calls?listing=42`, SECRET, { context: "listing-42" });
  const booking = await client.bookings.create({ destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl });
  assert.match(booking.id, /^bk_/);
  assert.equal(booking.destination, "32477121212");
  assert.equal(booking.usagePlan, "SMALL");
  assert.equal(booking.secondsRemaining, 3600);
  assert.equal(booking.callsRemaining, 25);
  assert.ok(booking.endTime instanceof Date);
  const days = (booking.endTime.getTime() - Date.now()) / 86_400_000;
  assert.ok(days > 6.9 && days <= 7.01, `${days} days`);
  const [post] = await ctx.box.requests("/rentednumbers/1.0.0/bookings");
  assert.deepEqual(JSON.parse(post.body), { destination: "32477121212", usagePlan: "SMALL", callback: callbackUrl });

  // A buyer calls the temporary number: the callback reaches us, signed URL intact.
  await ctx.box.call(booking.service, 42);
  const [delivered] = await ctx.receiver.waitFor(1);
  const verified = verifyCallbackUrl(`${ctx.receiver.url}${delivered.path}`, SECRET);
  assert.equal(verified.context, "listing-42");
  const event = parseCallEvent(delivered.text);
  assert.equal(event.kind, "completed");
  assert.equal(event.bookingId, booking.id);
  assert.equal(event.duration, 42);
  assert.equal(event.destination, "32477121212");
  assert.ok(event.timestamp instanceof Date);
  // A forged callback (wrong secret or tampered URL) is refused.
  assert.throws(() => verifyCallbackUrl(`${ctx.receiver.url}${delivered.path}`, "another-secret-of-length"), (e) => e.code === "unauthorized");
  assert.throws(() => verifyCallbackUrl(`${ctx.receiver.url}${delivered.path.replace("listing=42", "listing=43")}`, SECRET), (e) => e.code === "unauthorized");

  const afterCall = await client.bookings.get(booking.id);
  assert.equal(afterCall.secondsRemaining, 3600 - 42);
  assert.equal(afterCall.callsRemaining, 24);

  const toppedUp = await client.bookings.update(booking.id, { usagePlan: "MEDIUM" });
  assert.equal(toppedUp.secondsRemaining, 3600 - 42 + 18000);
  assert.equal(toppedUp.callsRemaining, 24 + 100);
  assert.equal(toppedUp.usagePlan, "MEDIUM");

  // Past its end time the booking is expired: listed only with includeExpired during the grace period.
  await ctx.box.advance(31 * 86_400);
  assert.deepEqual((await client.bookings.listPage({ includeExpired: false })).items, []);
  const withExpired = await client.bookings.listPage({ includeExpired: true });
  assert.deepEqual(withExpired.items.map((b) => b.id), [booking.id]);
  await ctx.box.call(booking.service, 10);
  const [, expiredCall] = await ctx.receiver.waitFor(2);
  const expired = parseCallEvent(JSON.parse(expiredCall.text));
  assert.equal(expired.kind, "expired");
  assert.equal(expired.message, "Incoming call for expired booking");

  await client.bookings.delete(booking.id);
  await assert.rejects(client.bookings.get(booking.id), (e) => e instanceof ProximusError && e.code === "not_found" && e.status === 404);
});

test("after the 7-day grace period a booking is gone", async () => {
  const client = newClient();
  const booking = await client.bookings.create({ destination: "32477121212", usagePlan: "SMALL", callbackUrl: `${ctx.receiver.url}/c` });
  await ctx.box.advance(7 * 86_400 + 7 * 86_400 + 60);
  await assert.rejects(client.bookings.get(booking.id), (e) => e.code === "not_found");
});

test("45 bookings are listed lazily in pages of 20, and an early break fetches one page", async () => {
  const client = newClient();
  const created = [];
  for (let i = 0; i < 45; i++) {
    created.push((await client.bookings.create({ destination: `3247712${String(i).padStart(4, "0")}`, usagePlan: "SMALL", callbackUrl: `${ctx.receiver.url}/c` })).id);
  }
  await ctx.box.clearRequests();
  const listed = [];
  for await (const b of client.bookings.list({ pageSize: 20 })) {
    assert.ok(b.endTime instanceof Date && !Number.isNaN(b.endTime.getTime()), `${b.id}: endTime ${b.endTime}`);
    listed.push(b.id);
  }
  assert.deepEqual(listed, created);
  const pages = (await ctx.box.requests("/rentednumbers/1.0.0/bookings")).map((r) => r.query ?? r.path);
  assert.equal(pages.length, 3);

  await ctx.box.clearRequests();
  let seen = 0;
  for await (const b of client.bookings.list({ pageSize: 20 })) {
    assert.ok(b.id);
    if (++seen === 3) break;
  }
  assert.equal((await ctx.box.requests("/rentednumbers/1.0.0/bookings")).length, 1);

  const page = await client.bookings.listPage({ page: 2, size: 20 });
  assert.equal(page.items.length, 5);
  assert.ok(page.items.every((b) => b.endTime instanceof Date && !Number.isNaN(b.endTime.getTime())));
  assert.equal(page.totalElements, 45);
  assert.equal(page.totalPages, 3);
  assert.equal(page.page, 2);
});

test("call records are listed and fetched", async () => {
  const client = newClient();
  const booking = await client.bookings.create({ destination: "32477121212", usagePlan: "LARGE", callbackUrl: `${ctx.receiver.url}/c` });
  const from = new Date(Date.now() - 2000); // the sandbox stamps records to the second
  for (const duration of [10, 20, 30]) await ctx.box.call(booking.service, duration);
  const records = [];
  for await (const r of client.cdrs.list({ from, pageSize: 2 })) records.push(r);
  assert.deepEqual(records.map((r) => r.duration), [10, 20, 30]);
  assert.ok(records.every((r) => r.service === booking.service && r.timestamp instanceof Date));
  const one = await client.cdrs.get(records[1].id);
  assert.deepEqual(one, records[1]);
  const future = await client.cdrs.listPage({ from: new Date(Date.now() + 86_400_000) });
  assert.deepEqual(future.items, []);
  await assert.rejects(client.cdrs.get("cdr_missing"), (e) => e.code === "not_found");
});

test("bad booking input is rejected before anything is sent", async () => {
  const client = newClient();
  await client.tokens.get();
  await ctx.box.clearRequests();
  const good = { destination: "32477121212", usagePlan: "SMALL", callbackUrl: "https://example.com/c" };
  for (const bad of [
    { ...good, destination: "call me" },
    { ...good, usagePlan: "HUGE" },
    { ...good, usagePlan: undefined },
    { ...good, callbackUrl: "http://example.com/c" },
    { ...good, callbackUrl: undefined },
    "nope",
  ]) {
    await assert.rejects(client.bookings.create(bad), (e) => e instanceof ProximusError && e.code === "invalid_argument", JSON.stringify(bad));
  }
  await assert.rejects(client.bookings.get(""), (e) => e.code === "invalid_argument");
  await assert.rejects(client.bookings.update("bk_1", { usagePlan: "XL" }), (e) => e.code === "invalid_argument");
  await assert.rejects(client.bookings.listPage({ size: 101 }), (e) => e.code === "invalid_argument");
  assert.throws(() => client.bookings.list({ pageSize: 0 }), (e) => e.code === "invalid_argument");
  assert.equal((await ctx.box.requests("/rentednumbers")).length, 0);
});

test("a booking is not repeated after a dropped connection", async () => {
  const client = newClient();
  await ctx.box.addFault({ path: "/rentednumbers/1.0.0/bookings", method: "POST", drop: "after", count: 1 });
  await assert.rejects(client.bookings.create({ destination: "32477121212", usagePlan: "SMALL", callbackUrl: `${ctx.receiver.url}/c` }), (e) => e.code === "network");
  assert.equal((await ctx.box.requests("/rentednumbers/1.0.0/bookings")).filter((r) => r.method === "POST").length, 1);
  // The client is usable afterwards.
  const page = await client.bookings.listPage({});
  assert.equal(page.items.length, 1);
});

test("parseCallEvent rejects junk with bad_response", () => {
  for (const junk of ["", "{", "[]", "42", { kind: "completed" }, { timestamp: "x", source: 1 }, null]) {
    assert.throws(() => parseCallEvent(junk), (e) => e instanceof ProximusError && e.code === "bad_response", String(junk));
  }
});

test("bookings.ensure reuses, tops up, and books anew when expired or deleted", async () => {
  const client = newClient();
  const kv = new Map();
  const store = { get: async (k) => kv.get(k) ?? null, put: async (k, v) => void kv.set(k, v) };
  const ask = (extra = {}) => client.bookings.ensure({ key: "listing-7", store, destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: `${ctx.receiver.url}/c`, ...extra });
  const posts = async () => (await ctx.box.requests("/rentednumbers/1.0.0/bookings")).filter((r) => r.method === "POST").length;

  const concurrent = await Promise.all(Array.from({ length: 5 }, () => ask()));
  assert.equal(new Set(concurrent.map((b) => b.id)).size, 1);
  assert.equal(concurrent[0].action, "booked");
  assert.equal(await posts(), 1);
  assert.equal(kv.get("listing-7"), concurrent[0].id);

  const reused = await ask();
  assert.equal(reused.action, "reused");
  assert.equal(reused.id, concurrent[0].id);
  assert.equal(await posts(), 1);

  const toppedUp = await ask({ renewBelow: { seconds: 4000 } });
  assert.equal(toppedUp.action, "topped_up");
  assert.equal(toppedUp.secondsRemaining, 7200);

  await ctx.box.advance(15 * 86_400); // past endTime (7 days + the top-up's 7 days)
  const renewed = await ask();
  assert.equal(renewed.action, "booked");
  assert.notEqual(renewed.id, reused.id);
  assert.equal(kv.get("listing-7"), renewed.id);

  await client.bookings.delete(renewed.id);
  const again = await ask();
  assert.equal(again.action, "booked");
  assert.equal(await posts(), 3);
  await assert.rejects(ask({ store: {} }), (e) => e.code === "invalid_argument");
});
