// A call's own `timeoutMs` and `maxRetries` override the client's for that call only, on single
// calls (last argument) and on methods with an options object (inside it); the per-call options
// are as strict as every other options object: a misspelled or ill-typed one is
// `invalid_argument` and nothing is sent.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { failure, loadPackage, ownSandbox, sandboxClient, DEFAULT_CREDENTIALS } from "./helpers.mjs";

const { ProximusClient, ProximusError, parseCallEvent } = await loadPackage();

const STATUS = "/fmu/1.0.0/status";
const BOOKINGS = "/rentednumbers/1.0.0/bookings";
const NUMBER = "0477 12 12 12";
const PER_CALL = "signal, timeoutMs, maxRetries";
const EVENT = parseCallEvent({ id: "cdr_1", timestamp: "2026-11-23T10:00:00Z", duration: 42, source: "32470000001", destination: "32477121212", bookingId: "bk_1" });

/** A client of the sandbox that logs nothing (the failures here are on purpose). */
const newClient = (box, extra = {}) => sandboxClient(ProximusClient, box, { logLevel: "off", ...extra });

/** Every item of an async iterable (a `list`). */
async function drain(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Every method, called with `extra` as its per-call options (merged into its options object where it has one). */
function everyMethod(client, extra) {
  const callbackUrl = "http://127.0.0.1:9/never";
  const booking = { destination: NUMBER, usagePlan: "SMALL", callbackUrl };
  return {
    "tokens.get": { own: true, run: () => client.tokens.get(extra) },
    "tokens.revoke": { own: true, run: () => client.tokens.revoke(extra) },
    "fmu.getStatus": { own: true, run: () => client.fmu.getStatus(NUMBER, extra) },
    "fmu.setStatus": { own: true, run: () => client.fmu.setStatus(NUMBER, "ON_DUTY", extra) },
    "fmu.setCallbackUrl": { own: true, run: () => client.fmu.setCallbackUrl(callbackUrl, extra) },
    "bookings.create": { own: true, run: () => client.bookings.create(booking, extra) },
    "bookings.get": { own: true, run: () => client.bookings.get("bk_1", extra) },
    "bookings.update": { own: true, run: () => client.bookings.update("bk_1", { usagePlan: "MEDIUM" }, extra) },
    "bookings.delete": { own: true, run: () => client.bookings.delete("bk_1", extra) },
    "cdrs.get": { own: true, run: () => client.cdrs.get("cdr_1", extra) },
    "fmu.getStatuses": { run: () => client.fmu.getStatuses([NUMBER], { callbackUrl, ...extra }) },
    "fmu.setStatuses": { run: () => client.fmu.setStatuses([NUMBER], "PRIVATE", { callbackUrl, ...extra }) },
    "bookings.listPage": { run: () => client.bookings.listPage({ pageSize: 5, ...extra }) },
    // async: list throws bad options at once, the others reject.
    "bookings.list": { run: async () => drain(client.bookings.list({ pageSize: 5, ...extra })) },
    "bookings.ensure": { run: () => client.bookings.ensure({ ...booking, key: "k", store: new Map(), ...extra }) },
    "cdrs.listPage": { run: () => client.cdrs.listPage({ ...extra }) },
    "cdrs.list": { run: async () => drain(client.cdrs.list({ ...extra })) },
    "cdrs.confirm": { run: () => client.cdrs.confirm(EVENT, { ...extra }) },
  };
}

describe("per-call options", { concurrency: true }, () => {
  test("a per-call timeoutMs shorter than the client's applies to that call only", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box); // default timeoutMs: 10 s
    await client.tokens.get();
    await box.addFault({ path: STATUS, latencyMs: 1000, count: 1 });
    const started = Date.now();
    const error = await failure(client.fmu.getStatus(NUMBER, { timeoutMs: 100, maxRetries: 0 }));
    assert.equal(error.code, "timeout", error.message);
    assert.ok(Date.now() - started < 900, `timed out after ${Date.now() - started} ms`);
    assert.equal((await box.requests(STATUS)).length, 1);
    // The next call, without options, has the client's 10 s again.
    await box.addFault({ path: STATUS, latencyMs: 1000, count: 1 });
    assert.equal((await client.fmu.getStatus(NUMBER)).status, "PRIVATE");
  });

  test("a per-call timeoutMs longer than the client's applies to that call only", async (t) => {
    const box = await ownSandbox(t);
    // A permanent token: no /token, which keeps the client's 200 ms whatever the call says.
    const client = new ProximusClient({ accessToken: DEFAULT_CREDENTIALS.permanentToken, baseUrl: box.url, timeoutMs: 200, maxRetries: 0, logLevel: "off" });
    await box.addFault({ path: STATUS, latencyMs: 1000, count: 1 });
    assert.equal((await client.fmu.getStatus(NUMBER, { timeoutMs: 5000 })).status, "PRIVATE");
    await box.addFault({ path: STATUS, latencyMs: 1000, count: 1 });
    assert.equal((await failure(client.fmu.getStatus(NUMBER))).code, "timeout");
  });

  test("a per-call maxRetries overrides the client's, down and up, for that call only", async (t) => {
    const box = await ownSandbox(t);
    const attempts = async (client, options) => {
      await box.clearFaults();
      await box.clearRequests();
      await box.addFault({ path: STATUS, status: 503, retryAfter: 0, count: 5 });
      const error = await failure(client.fmu.getStatus(NUMBER, options));
      assert.equal(error.code, "unavailable");
      return (await box.requests(STATUS)).length;
    };
    const client = newClient(box); // default maxRetries: 2
    await client.tokens.get();
    assert.equal(await attempts(client, { maxRetries: 0 }), 1);
    assert.equal(await attempts(client, undefined), 3);
    const never = newClient(box, { maxRetries: 0 });
    await never.tokens.get();
    assert.equal(await attempts(never, { maxRetries: 3 }), 4);
    assert.equal(await attempts(never, undefined), 1);
  });

  // The call that starts the shared /token request lends it its timeout and retries (never its
  // signal: other callers may be waiting for the same token).
  test("tokens.get's own timeoutMs and maxRetries apply to the /token request it starts", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    await box.addFault({ path: "/token", status: 503, retryAfter: 0, count: 5 });
    assert.equal((await failure(client.tokens.get({ maxRetries: 0 }))).code, "unavailable");
    assert.equal((await box.requests("/token")).length, 1);
    await box.clearFaults();
    await box.addFault({ path: "/token", latencyMs: 1000, count: 1 });
    const started = Date.now();
    assert.equal((await failure(client.tokens.get({ timeoutMs: 100, maxRetries: 0 }))).code, "timeout");
    assert.ok(Date.now() - started < 900, `timed out after ${Date.now() - started} ms`);
  });

  test("tokens.revoke's own maxRetries applies", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    await client.tokens.get();
    await box.addFault({ path: "/revoke", status: 503, retryAfter: 0, count: 5 });
    assert.equal((await failure(client.tokens.revoke({ maxRetries: 0 }))).code, "unavailable");
    assert.equal((await box.requests("/revoke")).length, 1);
  });

  test("per-call options inside an options object reach the call (listPage, list, cdrs.listPage, bulk, ensure)", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    await client.tokens.get();
    const fast = { timeoutMs: 100, maxRetries: 0 };

    await box.addFault({ path: BOOKINGS, method: "GET", latencyMs: 1000, count: 1 });
    assert.equal((await failure(client.bookings.listPage({ pageSize: 5, ...fast }))).code, "timeout");
    await box.addFault({ path: BOOKINGS, method: "GET", latencyMs: 1000, count: 1 });
    assert.equal((await failure(drain(client.bookings.list({ pageSize: 5, ...fast })))).code, "timeout");
    await box.addFault({ path: "/rentednumbers/1.0.0/cdr", latencyMs: 1000, count: 1 });
    assert.equal((await failure(client.cdrs.listPage(fast))).code, "timeout");

    await box.clearRequests();
    await box.addFault({ path: STATUS, method: "GET", status: 503, retryAfter: 0, count: 3 });
    const bulk = await client.fmu.getStatuses([NUMBER, "0471 12 12 12"], { callbackUrl: "http://127.0.0.1:9/never", maxRetries: 0 });
    assert.equal(bulk.failedChunks, 1);
    assert.equal(bulk.chunks[0].error.code, "unavailable");
    assert.equal((await box.requests(STATUS)).length, 1, "the chunk was not retried");
    await box.clearFaults();

    // ensure with a stored booking reads it (GET /bookings/{id}): that GET gets the 100 ms.
    const booked = await client.bookings.create({ destination: NUMBER, usagePlan: "SMALL", callbackUrl: "https://example.com/c" });
    const store = new Map([["k", booked.id]]);
    await box.addFault({ path: `${BOOKINGS}/${booked.id}`, method: "GET", latencyMs: 1000, count: 1 });
    const ensure = { key: "k", store, destination: NUMBER, usagePlan: "SMALL", callbackUrl: "https://example.com/c" };
    assert.equal((await failure(client.bookings.ensure({ ...ensure, ...fast }))).code, "timeout");
    assert.equal((await client.bookings.ensure(ensure)).action, "reused");
  });

  test("a misspelled per-call option is invalid_argument naming it, on every method, and nothing is sent", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    for (const [label, { own, run }] of Object.entries(everyMethod(client, { signall: AbortSignal.abort() }))) {
      const error = await failure(run());
      assert.ok(error instanceof ProximusError, `${label}: ${error}`);
      assert.equal(error.code, "invalid_argument", label);
      if (own) assert.equal(error.message, `unknown option "signall"; known options: ${PER_CALL}`, label);
      else assert.match(error.message, /^unknown option "signall"; known options: /, label);
    }
    assert.deepEqual(await box.requests(), []);
  });

  // A method with an options object takes the per-call options in it too: its list of known
  // options must name them, or the message sends the user away from the right spelling.
  test("the known options of a method with an options object include signal, timeoutMs and maxRetries", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    for (const [label, { own, run }] of Object.entries(everyMethod(client, { signall: AbortSignal.abort() }))) {
      if (own) continue;
      const error = await failure(run());
      const known = error.message.split("known options: ")[1]?.split(", ") ?? [];
      for (const name of ["signal", "timeoutMs", "maxRetries"]) assert.ok(known.includes(name), `${label}: ${error.message}`);
    }
  });

  test("ill-typed per-call options are invalid_argument naming the option, and nothing is sent", async (t) => {
    const box = await ownSandbox(t);
    const client = newClient(box);
    const cases = [
      [{ signal: {} }, /^signal must be an AbortSignal/],
      [{ signal: "abort" }, /^signal must be an AbortSignal/],
      [{ signal: null }, /^signal must be an AbortSignal/],
      [{ signal: new AbortController() }, /^signal must be an AbortSignal/],
      [{ timeoutMs: "100" }, /^timeoutMs must be/],
      [{ timeoutMs: 0 }, /^timeoutMs must be/],
      [{ timeoutMs: -1 }, /^timeoutMs must be/],
      [{ timeoutMs: 1.5 }, /^timeoutMs must be/],
      [{ maxRetries: -1 }, /^maxRetries must be/],
      [{ maxRetries: 1.5 }, /^maxRetries must be/],
      [{ maxRetries: "2" }, /^maxRetries must be/],
    ];
    for (const [options, pattern] of cases) {
      const label = JSON.stringify(options, (_, v) => (v instanceof AbortController ? "AbortController" : v));
      const methods = everyMethod(client, options);
      for (const name of ["fmu.getStatus", "bookings.create", "bookings.listPage", "fmu.setStatuses", "bookings.ensure"]) {
        const error = await failure(methods[name].run());
        assert.ok(error instanceof ProximusError, `${name} ${label}: ${error}`);
        assert.equal(error.code, "invalid_argument", `${name} ${label}`);
        assert.match(error.message, pattern, `${name} ${label}`);
      }
    }
    for (const options of ["fast", 42, []]) {
      const error = await failure(client.fmu.getStatus(NUMBER, options));
      assert.equal(error.code, "invalid_argument", JSON.stringify(options));
      assert.match(error.message, /^options must be an object/);
    }
    assert.deepEqual(await box.requests(), []);
  });
});
