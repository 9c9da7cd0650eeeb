// cdrs.confirm against the sandbox: a signed callback URL is a capability, so whoever learns it
// posts events that pass verifyCallbackUrl; only the platform's own call record tells a real
// call from a forged one.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { loadPackage, useSandboxAndReceiver, sandboxClient } from "./helpers.mjs";

const { ProximusClient, ProximusError, parseCallEvent, signCallbackUrl, verifyCallbackUrl } = await loadPackage();
const SECRET = "a-long-enough-callback-secret";
const CDR = "/rentednumbers/1.0.0/cdr";
const ctx = useSandboxAndReceiver({ before, after, beforeEach });

/** A booking whose events reach the receiver at a signed URL; returns it and that URL. */
async function signedBooking(client) {
  const callbackUrl = signCallbackUrl(`${ctx.receiver.url}/calls?listing=42`, SECRET, { context: "listing-42" });
  const booking = await client.bookings.create({ destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl });
  return { booking, callbackUrl };
}

/** What a receiver does with the `n`th body it got: the signature checked, the event read. */
async function received(n) {
  const delivered = (await ctx.receiver.waitFor(n))[n - 1];
  const { context } = verifyCallbackUrl(`${ctx.receiver.url}${delivered.path}`, SECRET);
  assert.equal(context, "listing-42", "the signed URL passes");
  return parseCallEvent(delivered.text);
}

/** Someone who learned the signed URL posts `body` to it. */
async function forge(callbackUrl, body) {
  const response = await fetch(callbackUrl, { method: "POST", body: JSON.stringify(body) });
  assert.equal(response.status, 204);
}

test("a real call's event is confirmed by the platform's record", async () => {
  const client = sandboxClient(ProximusClient, ctx.box);
  const { booking } = await signedBooking(client);
  await ctx.box.call(booking.service, 42);
  const event = await received(1);

  const found = await client.cdrs.confirm(event);
  assert.equal(found.confirmed, true);
  assert.equal(found.record.id, event.id);
  assert.equal(found.record.duration, 42);
  assert.equal(found.record.source, event.source);
  assert.equal(found.record.service, booking.service);
  assert.ok(found.record.timestamp instanceof Date);
  assert.deepEqual((await ctx.box.requests(CDR)).map((r) => r.path), [`${CDR}/${event.id}`]);

  // Bound to the booking the receiver expects, written any usual way.
  assert.equal((await client.cdrs.confirm(event, { service: booking.service, timeoutMs: 5_000 })).confirmed, true);
  const elsewhere = await client.cdrs.confirm(event, { service: "3278000199" });
  assert.deepEqual({ ...elsewhere, message: undefined }, { confirmed: false, reason: "mismatch", field: "service", message: undefined });
  // An event kept as JSON (its timestamp an ISO string) is confirmed too.
  assert.equal((await client.cdrs.confirm(JSON.parse(JSON.stringify(event)))).confirmed, true);
});

test("forged events sent to the valid signed URL pass the signature but are refused", async () => {
  const client = sandboxClient(ProximusClient, ctx.box);
  const { booking, callbackUrl } = await signedBooking(client);
  await ctx.box.call(booking.service, 42);
  const real = await received(1);
  const wire = { id: real.id, timestamp: real.timestamp.toISOString(), duration: real.duration,
    source: real.source, destination: real.destination, bookingId: real.bookingId };

  const forgeries = [
    [{ ...wire, duration: 3_000 }, { reason: "mismatch", field: "duration" }],
    [{ ...wire, source: "32475000001" }, { reason: "mismatch", field: "source" }],
    [{ ...wire, timestamp: new Date(real.timestamp.getTime() - 3_600_000).toISOString() }, { reason: "mismatch", field: "timestamp" }],
    [{ ...wire, id: "cdr_made_up_0000" }, { reason: "no_record" }],
  ];
  for (const [i, [body, expected]] of forgeries.entries()) {
    await forge(callbackUrl, body);
    const forged = await received(i + 2);
    const found = await client.cdrs.confirm(forged);
    const { message, ...rest } = found;
    assert.deepEqual(rest, { confirmed: false, ...expected }, JSON.stringify(body));
    assert.equal(typeof message, "string");
    assert.doesNotMatch(message, /\d{8}/, "no phone number in the message");
  }
});

test("an expired booking's event is refused as expired_booking, with no request", async () => {
  const client = sandboxClient(ProximusClient, ctx.box);
  const { booking } = await signedBooking(client);
  await ctx.box.advance(8 * 86_400);
  await ctx.box.call(booking.service, 10);
  const event = await received(1);
  assert.equal(event.kind, "expired");
  const found = await client.cdrs.confirm(event);
  assert.equal(found.confirmed, false);
  assert.equal(found.reason, "expired_booking");
  assert.deepEqual(await ctx.box.requests(CDR), []);
});

test("what is no call event is invalid_argument and nothing is sent", async () => {
  const client = sandboxClient(ProximusClient, ctx.box);
  const event = parseCallEvent({ id: "cdr_1", timestamp: "2026-11-23T10:00:00Z", duration: 42,
    source: "32470000001", destination: "32477121212", bookingId: "bk_1" });
  const bad = [
    [undefined],
    ['{"id":"cdr_1"}'],
    [{ kind: "completed", id: "cdr_1" }],
    [{ ...event, kind: "expired" }],
    [{ ...event, kind: undefined }],
    [event, { servise: "3278000100" }],
    [event, { service: "not a number" }],
  ];
  for (const args of bad) {
    await assert.rejects(client.cdrs.confirm(...args), (e) => e instanceof ProximusError && e.code === "invalid_argument", JSON.stringify(args));
  }
  assert.deepEqual(await ctx.box.requests(), []);
});

test("a platform that cannot answer is an error, not a refusal", async () => {
  const client = sandboxClient(ProximusClient, ctx.box, { logLevel: "off" });
  const { booking } = await signedBooking(client);
  await ctx.box.call(booking.service, 42);
  const event = await received(1);
  await ctx.box.addFault({ path: `${CDR}/${event.id}`, status: 503, count: 1 });
  await assert.rejects(client.cdrs.confirm(event, { maxRetries: 0 }), (e) => e instanceof ProximusError && e.code === "unavailable");
  const stop = new AbortController();
  stop.abort();
  await assert.rejects(client.cdrs.confirm(event, { signal: stop.signal }), (e) => e.code === "aborted");
});
