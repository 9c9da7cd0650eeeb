// The built package in Node against the sandbox: FMU calls, bulk chunking with callbacks,
// number helpers.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { loadPackage, useSandboxAndReceiver, sandboxClient } from "./helpers.mjs";

const { ProximusClient, ProximusError, normalizeMsisdn, formatMsisdn, maskMsisdn, parseFmuCallback } = await loadPackage();
const ctx = useSandboxAndReceiver({ before, after, beforeEach });
const newClient = (extra = {}) => sandboxClient(ProximusClient, ctx.box, extra);

const fleet = (n) => Array.from({ length: n }, (_, i) => `+32 478 ${String(i + 1).padStart(6, "0")}`);

test("getStatus and setStatus of one number, typed as people type it", async () => {
  const client = newClient();
  assert.deepEqual(await client.fmu.getStatus("0477 12 12 12"), { msisdn: "32477121212", status: "PRIVATE" });
  assert.deepEqual(await client.fmu.setStatus("+32 477 12 12 12", "ON_DUTY"), { msisdn: "32477121212", success: true });
  assert.deepEqual(await client.fmu.getStatus("0032477121212"), { msisdn: "32477121212", status: "ON_DUTY" });
  const [put] = await ctx.box.requests("/fmu/1.0.0/status").then((r) => r.filter((x) => x.method === "PUT"));
  assert.deepEqual(JSON.parse(put.body), { msisdn: ["32477121212"], status: "ON_DUTY" });
  assert.match(put.headers.authorization, /^Bearer \S+$/);
});

test("an in-band error becomes fmu_error carrying the number", async () => {
  const client = newClient();
  const error = await client.fmu.getStatus("0470 00 00 99").catch((e) => e);
  assert.ok(error instanceof ProximusError);
  assert.equal(error.code, "fmu_error");
  assert.equal(error.msisdn, "32470000099");
  assert.match(error.message, /FMU option not active/);
  await assert.rejects(client.fmu.setStatus("32470000099", "PRIVATE"), (e) => e.code === "fmu_error" && e.msisdn === "32470000099");
});

test("bad input is rejected before anything is sent", async () => {
  const client = newClient();
  await ctx.box.clearRequests();
  const cases = [
    () => client.fmu.getStatus("not a number"),
    () => client.fmu.getStatus("+33 6 12 34 56 78"),
    () => client.fmu.getStatus(32477121212),
    () => client.fmu.setStatus("32477121212", "AWAY"),
    () => client.fmu.setStatus("32477121212", "private"),
    () => client.fmu.setCallbackUrl("http://example.com/fmu"),
    () => client.fmu.setStatuses(["32477121212", "32471121212"], "PRIVATE", { concurrency: 0 }),
    () => client.fmu.getStatuses("32477121212"),
  ];
  for (const call of cases) {
    await assert.rejects(call(), (e) => e instanceof ProximusError && e.code === "invalid_argument", call.toString());
  }
  assert.equal((await ctx.box.requests("/")).length, 0);
});

test("setCallbackUrl registers the default callback", async () => {
  const client = newClient();
  await client.fmu.setCallbackUrl(`${ctx.receiver.url}/fmu`);
  const [sent] = await ctx.box.requests("/fmu/1.0.0/callback");
  assert.deepEqual(JSON.parse(sent.body), { url: `${ctx.receiver.url}/fmu` });
  // With the default registered, a bulk call needs no callbackUrl.
  const result = await client.fmu.getStatuses(["32477121212", "32471121212"]);
  assert.equal(result.failedChunks, 0);
  const [callback] = await ctx.receiver.waitFor(1);
  assert.equal(JSON.parse(callback.text).requestId, result.chunks[0].requestId);
});

test("120 numbers go out as 50/50/20 and each callback matches its chunk", async () => {
  const client = newClient();
  const progress = [];
  const result = await client.fmu.setStatuses(fleet(120), "PROFESSIONAL", {
    callbackUrl: `${ctx.receiver.url}/fmu-results`,
    concurrency: 2,
    onProgress: (p) => progress.push(p),
  });
  assert.equal(result.total, 120);
  assert.equal(result.failedChunks, 0);
  assert.deepEqual(result.chunks.map((c) => c.msisdns.length), [50, 50, 20]);
  assert.equal(result.chunks[0].msisdns[0], "32478000001");
  const puts = (await ctx.box.requests("/fmu/1.0.0/status")).filter((r) => r.method === "PUT");
  assert.deepEqual(puts.map((r) => JSON.parse(r.body).msisdn.length).sort(), [20, 50, 50]);
  assert.ok(puts.every((r) => JSON.parse(r.body).callbackUrl === `${ctx.receiver.url}/fmu-results`));
  assert.deepEqual(progress.map((p) => p.total), [120, 120, 120]);
  assert.equal(progress.at(-1).done, 120);
  assert.ok(progress.every((p, i) => i === 0 || p.done > progress[i - 1].done));

  const callbacks = (await ctx.receiver.waitFor(3)).map((b) => parseFmuCallback(b.text));
  for (const chunk of result.chunks) {
    const callback = callbacks.find((c) => c.requestId === chunk.requestId);
    assert.ok(callback, `no callback for ${chunk.requestId}`);
    assert.equal(callback.type, "SET_STATUS");
    assert.deepEqual(callback.results.map((r) => r.msisdn), chunk.msisdns);
  }
  assert.deepEqual(await client.fmu.getStatus("32478000007"), { msisdn: "32478000007", status: "PROFESSIONAL" });
});

test("one bad number in a batch of 120 rejects the call and nothing is sent", async () => {
  const client = newClient();
  await client.tokens.get();
  await ctx.box.clearRequests();
  const numbers = fleet(120);
  numbers[57] = "0477 12 12 1x";
  const error = await client.fmu.getStatuses(numbers, { callbackUrl: `${ctx.receiver.url}/x` }).catch((e) => e);
  assert.equal(error.code, "invalid_argument");
  assert.match(error.message, /numbers\[57\]/);
  assert.equal((await ctx.box.requests("/fmu")).length, 0);
});

test("a chunk that fails after retries does not lose the others", async () => {
  const client = newClient({ maxRetries: 1 });
  await client.tokens.get();
  await ctx.box.addFault({ path: "/fmu/1.0.0/status", method: "GET", status: 500, count: 1 });
  const result = await client.fmu.getStatuses(fleet(100), { callbackUrl: `${ctx.receiver.url}/x`, concurrency: 1 });
  assert.equal(result.failedChunks, 1);
  assert.equal(result.failedNumbers, 50);
  const failed = result.chunks.find((c) => c.error);
  assert.ok(failed.error instanceof ProximusError);
  assert.equal(failed.error.code, "server_error");
  assert.ok(result.chunks.find((c) => !c.error).requestId);
});

test("number helpers", () => {
  for (const typed of ["+32 477 12 12 12", "0477/12.12.12", "0477 12 12 12", "0032477121212", "32477121212"]) {
    assert.equal(normalizeMsisdn(typed), "32477121212", typed);
  }
  assert.equal(formatMsisdn("32477121212"), "+32 477 12 12 12");
  assert.equal(maskMsisdn("0477 12 12 12"), "+32 477 •• •• 12");
  for (const bad of ["", "hello", "0477 12", "+32 477 12 12 12 12 12 12", null, 477121212]) {
    assert.throws(() => normalizeMsisdn(bad), (e) => e instanceof ProximusError && e.code === "invalid_argument", String(bad));
  }
});

test("parseFmuCallback reads strings and objects, and rejects junk", () => {
  const body = { requestId: "r1", type: "GET_STATUS", results: [{ msisdn: "32477121212", isError: false, status: "PRIVATE" }, { msisdn: "32477121213", isError: true, errorMessage: "FMU option not active" }] };
  const parsed = parseFmuCallback(JSON.stringify(body));
  assert.deepEqual(parseFmuCallback(body), parsed);
  assert.equal(parsed.requestId, "r1");
  assert.equal(parsed.type, "GET_STATUS");
  assert.equal(parsed.results[0].status, "PRIVATE");
  assert.equal(parsed.results[1].errorMessage, "FMU option not active");
  for (const junk of ["", "{", "[]", "null", '{"requestId":1}', { results: "x" }, 42, undefined]) {
    assert.throws(() => parseFmuCallback(junk), (e) => e instanceof ProximusError && e.code === "bad_response", String(junk));
  }
});
