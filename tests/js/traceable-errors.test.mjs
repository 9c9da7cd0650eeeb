// Errors that say where they come from: a network failure names the request (method, path, host)
// and the runtime's reason, and keeps the runtime's error as `cause`; a stack starts at the
// application's line, not in the glue or the wasm; JSON.stringify shows message and code; FMU
// messages mask the number (the `msisdn` property has it). None of it carries a secret.
// Also: getToken may hand over the OAuth answer as a backend forwards it.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { closedPort, failure, loadPackage, sandbox } from "./helpers.mjs";
import { findLeaks } from "./leaks.mjs";

const { ProximusClient, ProximusError, maskMsisdn } = await loadPackage();

const CLIENT_ID = `trace-client-${randomBytes(4).toString("hex")}`;
const CLIENT_SECRET = `trace-secret-${randomBytes(12).toString("hex")}`;
const PERMANENT_TOKEN = `trace-permanent-${randomBytes(12).toString("hex")}`;
const HERE = fileURLToPath(import.meta.url);

let box;
before(async () => (box = await sandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, permanentToken: PERMANENT_TOKEN, logger: null })));
after(() => box.close());
beforeEach(() => box.reset());

const quiet = { logLevel: "off" };
const credentials = (baseUrl, extra = {}) => new ProximusClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl, ...quiet, ...extra });
const permanent = (baseUrl, extra = {}) => new ProximusClient({ accessToken: PERMANENT_TOKEN, baseUrl, ...quiet, ...extra });

/** Every string a caller can print from an error, labelled. */
const printable = (error) => [
  ["message", error.message],
  ["String", String(error)],
  ["stack", error.stack],
  ["JSON", JSON.stringify(error)],
  ["util.inspect", util.inspect(error, { depth: 10, showHidden: true })],
  ["cause", `${error.cause} ${error.cause?.stack} ${error.cause?.cause}`],
];

test("a network failure names the method, the path, the host and the runtime's reason, with the runtime's error as cause", async () => {
  const port = await closedPort();
  const host = `127.0.0.1:${port}`;
  const token = await failure(credentials(`http://${host}`, { maxRetries: 0 }).tokens.get());
  assert.ok(token instanceof ProximusError);
  assert.equal(token.code, "network");
  assert.equal(token.retryable, true);
  assert.equal(token.message, `POST /token to ${host}: connect ECONNREFUSED`);
  assert.ok(token.cause instanceof Error, `cause: ${token.cause}`);
  assert.equal(token.cause.message, "fetch failed");
  assert.equal(token.cause.cause?.code, "ECONNREFUSED");

  const status = await failure(permanent(`http://${host}`, { maxRetries: 0 }).fmu.getStatus("+32 477 12 12 12"));
  assert.equal(status.code, "network");
  assert.equal(status.message, `GET /fmu/1.0.0/status?msisdn=•••••••••12 to ${host}: connect ECONNREFUSED`);
  assert.equal(status.cause?.cause?.code, "ECONNREFUSED");

  const leaks = findLeaks([...printable(token), ...printable(status)], { secrets: [CLIENT_SECRET, PERMANENT_TOKEN], numbers: ["32477121212"] });
  assert.deepEqual(leaks, []);
});

/** `file:line` of the first frame of a stack (the line after the message). */
function firstFrame(stack) {
  const frame = String(stack).split("\n")[1] ?? "";
  const at = frame.match(/([^\s(]+):(\d+):\d+\)?$/);
  return { frame, where: at ? `${at[1].replace(/^file:\/\//, "")}:${at[2]}` : null };
}

/** Asserts that `promise` fails with a stack whose first frame is the line of `site`. */
async function startsAt(label, site, promise) {
  const error = await failure(promise);
  assert.ok(error instanceof ProximusError, `${label}: ${error}`);
  const expected = firstFrame(site.stack);
  const actual = firstFrame(error.stack);
  assert.ok(expected.where?.startsWith(`${HERE}:`), `${label}: the site is in this file (${expected.frame})`);
  assert.equal(actual.where, expected.where, `${label}: first frame ${actual.frame}\n${error.stack}`);
  assert.ok(error.stack.startsWith(`ProximusError: ${error.message}\n`), `${label}: ${error.stack}`);
  assert.doesNotMatch(actual.frame, /proximus_api|api\.js|wasm/, label);
}

test("an error's stack starts at the application's line that made the call, whenever it fails", async () => {
  const client = credentials(box.url);
  const offline = credentials(`http://127.0.0.1:${await closedPort()}`, { maxRetries: 0 });
  // Each call is on the line of an Error made there: both stacks must name that line.
  await startsAt("network", new Error(), offline.tokens.get());
  await startsAt("not_found (the server's answer)", new Error(), client.bookings.get("bk_missing"));
  await startsAt("invalid_argument", new Error(), client.fmu.getStatus("not a number"));
  await startsAt("aborted", new Error(), client.fmu.getStatus("0477 12 12 12", { signal: AbortSignal.abort() }));
  await startsAt("fmu_error", new Error(), client.fmu.getStatus("0470 00 00 99"));
  await box.addFault({ path: "/fmu/1.0.0/status", latencyMs: 1000, count: 1 });
  await startsAt("timeout", new Error(), client.fmu.getStatus("0477 12 12 12", { timeoutMs: 100, maxRetries: 0 }));
  // A lazy walk fails later, at a page: its stack names the line that asked for the walk.
  const [site, walk] = [new Error(), client.bookings.list({ pageSize: 5, timeoutMs: 100, maxRetries: 0 })];
  await box.addFault({ path: "/rentednumbers/1.0.0/bookings", latencyMs: 1000, count: 1 });
  await startsAt("a page of list", site, (async () => {
    for await (const b of walk) assert.fail(`no booking expected, got ${b.id}`);
  })());
});

test("JSON.stringify of an error holds its name, code and message (and status where the server answered)", async () => {
  const client = credentials(box.url);
  for (const error of [
    await failure(client.bookings.get("bk_missing")),
    await failure(client.fmu.getStatus("not a number")),
    await failure(client.fmu.getStatus("0477 12 12 12", { signal: AbortSignal.abort() })),
  ]) {
    const json = JSON.parse(JSON.stringify(error));
    assert.equal(json.name, "ProximusError");
    assert.equal(json.code, error.code);
    assert.equal(json.message, error.message);
    assert.ok(json.message.length > 0);
    assert.equal(json.status, error.status);
  }
  assert.equal(JSON.parse(JSON.stringify(await failure(client.bookings.get("bk_missing")))).status, 404);
});

test("an FMU error's message shows the number masked; its msisdn property holds it whole", async () => {
  const client = credentials(box.url);
  for (const call of [() => client.fmu.getStatus("0470 00 00 99"), () => client.fmu.setStatus("+32 470 00 00 99", "PRIVATE")]) {
    const error = await failure(call());
    assert.equal(error.code, "fmu_error");
    assert.equal(error.msisdn, "32470000099");
    assert.ok(error.message.includes(maskMsisdn("32470000099")), error.message);
    const shown = [["message", error.message], ["String", String(error)], ["stack", error.stack]];
    assert.deepEqual(findLeaks(shown, { numbers: ["32470000099"] }), []);
  }
});

test("getToken may return the OAuth answer ({ access_token, expires_in }) as a backend forwards it", async () => {
  const lifetime = 120;
  const client = new ProximusClient({
    getToken: async () => ({ access_token: PERMANENT_TOKEN, expires_in: lifetime, token_type: "Bearer" }),
    baseUrl: box.url,
    ...quiet,
  });
  const before = Date.now();
  const token = await client.tokens.get();
  assert.equal(token.accessToken, PERMANENT_TOKEN);
  assert.ok(token.expiresAt instanceof Date);
  const ms = token.expiresAt.getTime() - before;
  assert.ok(ms > (lifetime - 5) * 1000 && ms <= (lifetime + 5) * 1000, `expires in ${ms} ms`);
  assert.equal((await client.fmu.getStatus("0477 12 12 12")).status, "PRIVATE");
  const [sent] = await box.requests("/fmu/1.0.0/status");
  assert.equal(sent.headers.authorization, `Bearer ${PERMANENT_TOKEN}`);
});
