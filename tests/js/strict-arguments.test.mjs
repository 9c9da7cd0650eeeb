// Every options object is strict: a misspelled option is a ProximusError `invalid_argument` that
// names it the way the constructor does, and nothing reaches the platform. `list` and `listPage`
// name the page size the same way. The two ways of handing a body to parseCallEvent agree.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { loadPackage, useSandboxAndReceiver, sandboxClient } from "./helpers.mjs";

const { ProximusClient, ProximusError, parseCallEvent, parseFmuCallback, signCallbackUrl } = await loadPackage();
const ctx = useSandboxAndReceiver({ before, after, beforeEach });
const newClient = (extra = {}) => sandboxClient(ProximusClient, ctx.box, extra);
const SECRET = "a-long-enough-callback-secret";

/** Resolves to what `run` threw or rejected with. */
async function failure(run) {
  try {
    await run();
  } catch (error) {
    return error;
  }
  assert.fail("expected a failure");
}

/** A misspelled option: `invalid_argument`, named as the constructor names one, and nothing sent. */
async function refusesTypo(label, run, typo) {
  await ctx.box.clearRequests();
  const error = await failure(run);
  assert.ok(error instanceof ProximusError, `${label}: ${error}`);
  assert.equal(error.code, "invalid_argument", label);
  assert.match(error.message, new RegExp(`^unknown option "${typo}"; known options: `), label);
  assert.deepEqual(await ctx.box.requests(), [], `${label}: a request was sent`);
}

test("a misspelled option is invalid_argument naming it, on every method that takes options", async () => {
  const client = newClient();
  const callbackUrl = `${ctx.receiver.url}/calls`;
  const store = new Map();
  const booking = { destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl };
  const cases = [
    ["new ProximusClient", () => newClient({ clientID: "x" }), "clientID"],
    ["bookings.list", () => client.bookings.list({ pagesize: 2 }), "pagesize"],
    ["bookings.listPage", () => client.bookings.listPage({ includeExpire: true }), "includeExpire"],
    ["bookings.create", () => client.bookings.create({ ...booking, callbackURL: callbackUrl }), "callbackURL"],
    ["bookings.update", () => client.bookings.update("bk_1", { plan: "SMALL" }), "plan"],
    ["bookings.ensure", () => client.bookings.ensure({ ...booking, key: "k", store, renew: {} }), "renew"],
    ["bookings.ensure renewBelow", () => client.bookings.ensure({ ...booking, key: "k", store, renewBelow: { minutes: 5 } }), "minutes"],
    ["fmu.setStatuses", () => client.fmu.setStatuses(["0477 12 12 12"], "PRIVATE", { callbackURL: callbackUrl }), "callbackURL"],
    ["fmu.getStatuses", () => client.fmu.getStatuses(["0477 12 12 12"], { concurency: 2 }), "concurency"],
    ["cdrs.list", () => client.cdrs.list({ since: new Date() }), "since"],
    ["cdrs.listPage", () => client.cdrs.listPage({ form: new Date() }), "form"],
    ["signCallbackUrl", () => signCallbackUrl("https://example.com/cb", SECRET, { expires: Date.now() }), "expires"],
  ];
  for (const [label, run, typo] of cases) await refusesTypo(label, run, typo);
  assert.equal(store.size, 0, "ensure stored nothing");
});

test("a wrongly typed option names the option and sends nothing", async () => {
  const client = newClient();
  await ctx.box.clearRequests();
  const wrong = [
    [() => client.bookings.listPage({ pageSize: "5" }), /^pageSize must be a number$/],
    [() => client.bookings.create({ destination: 32477121212, usagePlan: "SMALL", callbackUrl: "https://x.example/c" }), /^destination must be a string$/],
    [() => client.cdrs.listPage({ from: {} }), /^from must be a Date, epoch milliseconds or an ISO string$/],
    [() => client.fmu.getStatuses(["0477 12 12 12", 5]), /^numbers\[1\] must be a string$/],
    [() => client.fmu.setStatuses(["0477 12 12 12"], "PRIVATE", { onProgress: "nope" }), /^onProgress must be a function$/],
  ];
  for (const [run, pattern] of wrong) {
    const error = await failure(run);
    assert.equal(error.code, "invalid_argument", error.message);
    assert.match(error.message, pattern);
  }
  assert.deepEqual(await ctx.box.requests(), []);
});

test("list and listPage both take pageSize (and size, the name listPage had)", async () => {
  const client = newClient();
  const callbackUrl = `${ctx.receiver.url}/calls`;
  for (let i = 0; i < 3; i++) await client.bookings.create({ destination: `0477 12 12 1${i}`, usagePlan: "SMALL", callbackUrl });
  const page = await client.bookings.listPage({ pageSize: 2 });
  assert.equal(page.size, 2);
  assert.equal(page.items.length, 2);
  assert.equal((await client.bookings.listPage({ size: 1 })).items.length, 1);
  await ctx.box.clearRequests();
  const seen = [];
  for await (const b of client.bookings.list({ pageSize: 2 })) seen.push(b.id);
  assert.equal(seen.length, 3);
  const sizes = (await ctx.box.requests("/rentednumbers/1.0.0/bookings")).map((r) => r.query.size);
  assert.deepEqual(sizes, ["2", "2"]);
  const both = await failure(() => client.bookings.listPage({ pageSize: 2, size: 3 }));
  assert.equal(both.code, "invalid_argument");
});

test("parseCallEvent reads a repeated key the same from the text and from JSON.parse of it: the last one", () => {
  const text = '{"id":"c1","timestamp":"2026-11-23T10:00:00Z","duration":5,"duration":42,"source":"32470000001",' +
    '"destination":"32477121212","bookingId":"bk_first","bookingId":"bk_last"}';
  const fromText = parseCallEvent(text);
  const fromObject = parseCallEvent(JSON.parse(text));
  assert.deepEqual(fromText, fromObject);
  assert.equal(fromText.bookingId, "bk_last");
  assert.equal(fromText.duration, 42);
  const fmu = '{"requestId":"r1","requestId":"r2","type":"GET_STATUS","results":[{"msisdn":"32477121212","status":"PRIVATE","status":"ON_DUTY"}]}';
  assert.deepEqual(parseFmuCallback(fmu), parseFmuCallback(JSON.parse(fmu)));
  assert.equal(parseFmuCallback(fmu).requestId, "r2");
  assert.equal(parseFmuCallback(fmu).results[0].status, "ON_DUTY");
});
