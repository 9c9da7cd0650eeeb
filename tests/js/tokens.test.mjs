// The built package in Node against the sandbox: tokens, retries, options, secrets.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { loadPackage, sandbox, DEFAULT_CREDENTIALS } from "./helpers.mjs";

const { ProximusClient, ProximusError } = await loadPackage();
let box;
before(async () => (box = await sandbox()));
after(() => box.close());
beforeEach(() => box.reset());

const credentials = () => ({
  clientId: DEFAULT_CREDENTIALS.clientId,
  clientSecret: DEFAULT_CREDENTIALS.clientSecret,
  baseUrl: box.url,
});

test("tokens.get returns the sandbox token and caches it", async () => {
  const client = new ProximusClient(credentials());
  const before = Date.now();
  const token = await client.tokens.get();
  assert.equal(token.tokenType, "Bearer");
  assert.equal(token.scope, "openid");
  assert.match(token.accessToken, /^\S{16,}$/);
  assert.ok(token.expiresAt instanceof Date);
  const lifetime = token.expiresAt.getTime() - before;
  assert.ok(lifetime > 3_590_000 && lifetime <= 3_601_000, `lifetime ${lifetime}`);
  const again = await client.tokens.get();
  assert.equal(again.accessToken, token.accessToken);
  const sent = await box.requests("/token");
  assert.equal(sent.length, 1);
  assert.equal(sent[0].method, "POST");
  assert.match(sent[0].headers["content-type"], /application\/x-www-form-urlencoded/);
  const form = new URLSearchParams(sent[0].body);
  assert.equal(form.get("grant_type"), "client_credentials");
  assert.equal(form.get("client_id"), DEFAULT_CREDENTIALS.clientId);
  assert.equal(form.get("client_secret"), DEFAULT_CREDENTIALS.clientSecret);
});

test("HTTP Basic client authentication is accepted", async () => {
  const client = new ProximusClient({ ...credentials(), clientAuth: "basic" });
  await client.tokens.get();
  const [sent] = await box.requests("/token");
  assert.match(sent.headers.authorization, /^Basic /);
  assert.equal(new URLSearchParams(sent.body).get("client_secret"), null);
});

test("50 concurrent calls share one /token request", async () => {
  const client = new ProximusClient(credentials());
  const tokens = await Promise.all(Array.from({ length: 50 }, () => client.tokens.get()));
  assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
  assert.equal((await box.requests("/token")).length, 1);
});

test("revoke posts the revoke form, and the next get issues a new token", async () => {
  const client = new ProximusClient(credentials());
  const first = await client.tokens.get();
  await client.tokens.revoke();
  const [sent] = await box.requests("/revoke");
  const form = new URLSearchParams(sent.body);
  assert.equal(form.get("token"), first.accessToken);
  assert.equal(form.get("client_id"), DEFAULT_CREDENTIALS.clientId);
  const second = await client.tokens.get();
  assert.notEqual(second.accessToken, first.accessToken);
  assert.equal((await box.requests("/token")).length, 2);
});

test("a 503 with Retry-After on /token is retried once and reported to onRetry", async () => {
  await box.addFault({ path: "/token", status: 503, retryAfter: 0, count: 1 });
  const retries = [];
  const client = new ProximusClient({ ...credentials(), onRetry: (info) => retries.push(info) });
  const token = await client.tokens.get();
  assert.ok(token.accessToken);
  assert.equal(retries.length, 1);
  assert.equal(retries[0].attempt, 1);
  assert.equal(retries[0].delayMs, 0);
  assert.ok(retries[0].error instanceof ProximusError);
  assert.equal(retries[0].error.code, "unavailable");
  assert.equal(retries[0].error.status, 503);
  assert.equal((await box.requests("/token")).length, 2);
});

test("a token endpoint that keeps failing gives up after maxRetries with the right code", async () => {
  await box.addFault({ path: "/token", status: 502, retryAfter: 0, count: 10 });
  const client = new ProximusClient({ ...credentials(), maxRetries: 2 });
  await assert.rejects(client.tokens.get(), (e) => e instanceof ProximusError && e.code === "unavailable" && e.status === 502 && e.retryable);
  assert.equal((await box.requests("/token")).length, 3);
});

test("a hanging server times out with code timeout", async () => {
  await box.addFault({ path: "/token", hang: true, count: 1 });
  const client = new ProximusClient({ ...credentials(), timeoutMs: 200, maxRetries: 0 });
  await assert.rejects(client.tokens.get(), (e) => e.code === "timeout" && e.retryable === true);
});

test("bad credentials are unauthorized, not retried, and the secret never shows", async () => {
  const secret = "wrong-secret-do-not-print";
  const client = new ProximusClient({ ...credentials(), clientSecret: secret });
  const error = await client.tokens.get().catch((e) => e);
  assert.ok(error instanceof ProximusError && error instanceof Error);
  assert.equal(error.code, "unauthorized");
  assert.equal(error.status, 401);
  assert.equal(error.serviceCode, "invalid_client");
  assert.equal(error.retryable, false);
  for (const shown of [error.message, String(error), JSON.stringify(error), util.inspect(error), error.stack]) {
    assert.ok(!shown.includes(secret), shown);
  }
  assert.equal((await box.requests("/token")).length, 1);
});

test("the client shows no secret through JSON, toString or util.inspect", async () => {
  const client = new ProximusClient(credentials());
  const { accessToken } = await client.tokens.get();
  for (const shown of [JSON.stringify(client), String(client), util.inspect(client, { depth: 10, showHidden: true })]) {
    assert.ok(!shown.includes(DEFAULT_CREDENTIALS.clientSecret), shown);
    assert.ok(!shown.includes(accessToken), shown);
  }
});

test("a permanent token is used as is and never refreshed", async () => {
  const client = new ProximusClient({ accessToken: DEFAULT_CREDENTIALS.permanentToken, baseUrl: box.url });
  const token = await client.tokens.get();
  assert.equal(token.accessToken, DEFAULT_CREDENTIALS.permanentToken);
  assert.equal(token.expiresAt, null);
  await assert.rejects(client.tokens.revoke(), (e) => e.code === "invalid_argument");
  assert.equal((await box.requests("/token")).length, 0);
});

test("getToken may return a string or { accessToken, expiresAt }, and is cached", async () => {
  let calls = 0;
  const expiresAt = new Date(Date.now() + 600_000);
  const client = new ProximusClient({ getToken: async () => (calls++, { accessToken: "from-broker", expiresAt }), baseUrl: box.url });
  const token = await client.tokens.get();
  await client.tokens.get();
  assert.equal(token.accessToken, "from-broker");
  assert.equal(token.expiresAt.getTime(), expiresAt.getTime());
  assert.equal(calls, 1);
  const plain = new ProximusClient({ getToken: () => "plain-token", baseUrl: box.url });
  assert.equal((await plain.tokens.get()).accessToken, "plain-token");
});

test("a throwing getToken becomes a ProximusError", async () => {
  const client = new ProximusClient({ getToken: async () => { throw new Error("broker down"); }, baseUrl: box.url });
  await assert.rejects(client.tokens.get(), (e) => e instanceof ProximusError && e.code === "callback_error" && /broker down/.test(e.message));
});

test("a tokenStore shares one token between clients (isolates)", async () => {
  const kv = new Map();
  const store = {
    async get() { return kv.has("t") ? JSON.parse(kv.get("t")) : null; },
    async set(accessToken, expiresAt) { kv.set("t", JSON.stringify({ accessToken, expiresAt: expiresAt.getTime() })); },
  };
  const a = new ProximusClient({ ...credentials(), tokenStore: store });
  const b = new ProximusClient({ ...credentials(), tokenStore: store });
  const ta = await a.tokens.get();
  const tb = await b.tokens.get();
  assert.equal(ta.accessToken, tb.accessToken);
  assert.equal((await box.requests("/token")).length, 1);
});

test("the fetch option replaces the global fetch", async () => {
  const seen = [];
  const client = new ProximusClient({ ...credentials(), fetch: (request) => (seen.push(request.url), fetch(request)) });
  await client.tokens.get();
  assert.deepEqual(seen, [`${box.url}/token`]);
});

test("invalid options throw invalid_argument naming the option", () => {
  const cases = [
    [undefined, /options must be an object/],
    [{}, /credentials/],
    [{ clientId: "a" }, /clientSecret/],
    [{ clientId: "a", clientSecret: 42 }, /clientSecret must be a string/],
    [{ clientId: "a", clientSecret: "b", accessToken: "c" }, /only one/],
    [{ accessToken: "" }, /accessToken/],
    [{ getToken: "nope" }, /getToken must be a function/],
    [{ accessToken: "t", timeoutMs: "10" }, /timeoutMs must be a number/],
    [{ accessToken: "t", timeoutMs: -1 }, /timeoutMs/],
    [{ accessToken: "t", maxRetries: 1.5 }, /maxRetries/],
    [{ accessToken: "t", baseUrl: "ftp://x" }, /baseUrl/],
    [{ accessToken: "t", tokenStore: {} }, /tokenStore/],
    [{ accessToken: "t", clientID: "typo" }, /unknown option "clientID"/],
  ];
  for (const [options, pattern] of cases) {
    assert.throws(() => new ProximusClient(options), (e) => e instanceof ProximusError && e.code === "invalid_argument" && pattern.test(e.message), JSON.stringify(options));
  }
});
