import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_CREDENTIALS } from "../index.js";
import { FMU, FORM_HEADERS, call, form, getToken, makeSandbox } from "./helpers.js";

const GOOD = { grant_type: "client_credentials", client_id: "sandbox-client", client_secret: "sandbox-secret" };
const tokenCall = (f, params, headers = FORM_HEADERS) => call(f, "POST", "/token", { headers, body: form(params) });
const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

test("DEFAULT_CREDENTIALS are the documented seed values", () => {
  assert.deepEqual({ ...DEFAULT_CREDENTIALS }, {
    clientId: "sandbox-client", clientSecret: "sandbox-secret", permanentToken: "sandbox-permanent-token",
  });
});

test("client credentials in the form body issue a bearer token of the documented shape", async () => {
  const { fetch } = makeSandbox();
  const r = await tokenCall(fetch, GOOD);
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ["access_token", "expires_in", "scope", "token_type"]);
  assert.equal(r.body.scope, "openid");
  assert.equal(r.body.token_type, "Bearer");
  assert.equal(r.body.expires_in, 3600);
  assert.match(r.body.access_token, /^[0-9a-f]{32}$/);
  assert.equal(r.headers.get("cache-control"), "no-store");
});

test("HTTP Basic client authentication is accepted", async () => {
  const { fetch } = makeSandbox();
  const r = await tokenCall(fetch, { grant_type: "client_credentials" }, { ...FORM_HEADERS, authorization: basic("sandbox-client", "sandbox-secret") });
  assert.equal(r.status, 200);
  assert.match(r.body.access_token, /^[0-9a-f]{32}$/);
});

test("single active token: asking again returns the same token with the remaining lifetime", async () => {
  const { fetch, clock } = makeSandbox();
  const first = (await tokenCall(fetch, GOOD)).body;
  clock.advance(600_000);
  const second = (await tokenCall(fetch, GOOD)).body;
  assert.equal(second.access_token, first.access_token);
  assert.equal(second.expires_in, 3000);
  // Basic and body authentication share the one active token.
  const third = (await tokenCall(fetch, { grant_type: "client_credentials" }, { ...FORM_HEADERS, authorization: basic("sandbox-client", "sandbox-secret") })).body;
  assert.equal(third.access_token, first.access_token);
});

test("an expired token is refused and the next /token issues a new one", async () => {
  const { fetch, clock } = makeSandbox();
  const token = await getToken(fetch);
  clock.advance(3600_000);
  const refused = await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token });
  assert.equal(refused.status, 401);
  assert.equal(refused.body.fault.code, 900901);
  assert.equal(refused.body.fault.message, "Invalid Credentials");
  assert.match(refused.body.fault.description, /expired/);
  const fresh = (await tokenCall(fetch, GOOD)).body;
  assert.notEqual(fresh.access_token, token);
  assert.equal(fresh.expires_in, 3600);
});

test("the admin clock expires tokens too", async () => {
  const { fetch } = makeSandbox();
  const token = await getToken(fetch);
  const moved = await call(fetch, "POST", "/_sandbox/clock", { body: { advanceSeconds: 3599 } });
  assert.equal(moved.status, 200);
  assert.equal(moved.body.now, "2026-11-23T10:59:59.000Z");
  assert.equal((await tokenCall(fetch, GOOD)).body.expires_in, 1);
  assert.equal((await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token })).status, 200);
  await call(fetch, "POST", "/_sandbox/clock", { body: { advanceSeconds: 1 } });
  assert.equal((await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token })).status, 401);
});

test("tokenLifetimeSeconds and custom credentials are options", async () => {
  const { fetch } = makeSandbox({ clientId: "me", clientSecret: "pw", tokenLifetimeSeconds: 60 });
  assert.equal((await tokenCall(fetch, GOOD)).status, 401);
  const r = await tokenCall(fetch, { grant_type: "client_credentials", client_id: "me", client_secret: "pw" });
  assert.equal(r.status, 200);
  assert.equal(r.body.expires_in, 60);
});

test("/token errors follow RFC 6749 §5.2", async () => {
  const { fetch } = makeSandbox();
  const cases = [
    [{ ...GOOD, client_secret: "wrong" }, FORM_HEADERS, 401, "invalid_client"],
    [{ ...GOOD, client_id: "nobody" }, FORM_HEADERS, 401, "invalid_client"],
    [{ client_id: GOOD.client_id, client_secret: GOOD.client_secret }, FORM_HEADERS, 400, "invalid_request"],
    [{ grant_type: "client_credentials", client_id: "sandbox-client" }, FORM_HEADERS, 400, "invalid_request"],
    [{ grant_type: "client_credentials" }, FORM_HEADERS, 400, "invalid_request"],
    [{ ...GOOD, grant_type: "password" }, FORM_HEADERS, 400, "unsupported_grant_type"],
    [{ ...GOOD, grant_type: "authorization_code" }, FORM_HEADERS, 400, "unsupported_grant_type"],
    [GOOD, { "content-type": "application/json" }, 400, "invalid_request"],
    [{ grant_type: "client_credentials" }, { ...FORM_HEADERS, authorization: basic("sandbox-client", "nope") }, 401, "invalid_client"],
    [{ grant_type: "client_credentials" }, { ...FORM_HEADERS, authorization: "Basic %%%not-base64" }, 401, "invalid_client"],
    [{ grant_type: "client_credentials" }, { ...FORM_HEADERS, authorization: `Basic ${btoa("no-colon")}` }, 401, "invalid_client"],
    [{ grant_type: "client_credentials", client_id: "other" }, { ...FORM_HEADERS, authorization: basic("sandbox-client", "sandbox-secret") }, 400, "invalid_request"],
  ];
  for (const [params, headers, status, error] of cases) {
    const r = await tokenCall(fetch, params, headers);
    assert.equal(r.status, status, `${JSON.stringify(params)} ${JSON.stringify(headers)}`);
    assert.equal(r.body.error, error);
    assert.equal(typeof r.body.error_description, "string");
  }
  const basicFail = await tokenCall(fetch, { grant_type: "client_credentials" }, { ...FORM_HEADERS, authorization: basic("x", "y") });
  assert.match(basicFail.headers.get("www-authenticate"), /^Basic/);
  const get = await call(fetch, "GET", "/token");
  assert.equal(get.status, 405);
  assert.equal(get.body.error, "invalid_request");
  assert.equal(get.headers.get("allow"), "POST");
  // none of the failures issued a token
  assert.equal((await call(fetch, "GET", "/_sandbox/state")).body.tokens.issued, 0);
});

test("revoke (form body): 200 empty, token refused afterwards, next /token is new", async () => {
  const { fetch } = makeSandbox();
  const token = await getToken(fetch);
  const r = await call(fetch, "POST", "/revoke", { headers: FORM_HEADERS, body: form({ token, client_id: "sandbox-client", client_secret: "sandbox-secret" }) });
  assert.equal(r.status, 200);
  assert.equal(r.text, "");
  const refused = await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token });
  assert.equal(refused.status, 401);
  assert.equal(refused.body.fault.code, 900901);
  assert.match(refused.body.fault.description, /revoked/);
  const next = await getToken(fetch);
  assert.notEqual(next, token);
  assert.equal((await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token: next })).status, 200);
});

test("revoke with HTTP Basic, unknown token, bad client, missing token", async () => {
  const { fetch } = makeSandbox();
  const token = await getToken(fetch);
  const viaBasic = await call(fetch, "POST", "/revoke", { headers: { ...FORM_HEADERS, authorization: basic("sandbox-client", "sandbox-secret") }, body: form({ token }) });
  assert.equal(viaBasic.status, 200);
  assert.equal((await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token })).status, 401);
  const unknown = await call(fetch, "POST", "/revoke", { headers: FORM_HEADERS, body: form({ token: "nope", client_id: "sandbox-client", client_secret: "sandbox-secret" }) });
  assert.equal(unknown.status, 200);
  const bad = await call(fetch, "POST", "/revoke", { headers: FORM_HEADERS, body: form({ token, client_id: "sandbox-client", client_secret: "x" }) });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.error, "invalid_client");
  const missing = await call(fetch, "POST", "/revoke", { headers: FORM_HEADERS, body: form({ client_id: "sandbox-client", client_secret: "sandbox-secret" }) });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error, "invalid_request");
  assert.equal((await call(fetch, "GET", "/revoke")).status, 405);
});

test("permanent tokens work as bearers, never expire, and cannot be revoked by the API", async () => {
  const { fetch, clock } = makeSandbox({ permanentTokens: ["second-permanent"] });
  clock.advance(10 * 365 * 86_400_000);
  for (const token of ["sandbox-permanent-token", "second-permanent"]) {
    const r = await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token });
    assert.equal(r.status, 200);
  }
  await call(fetch, "POST", "/revoke", { headers: FORM_HEADERS, body: form({ token: "sandbox-permanent-token", client_id: "sandbox-client", client_secret: "sandbox-secret" }) });
  assert.equal((await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token: "sandbox-permanent-token" })).status, 200);
});

test("bearer check: missing, malformed, unknown → 401 with the gateway fault body", async () => {
  const { fetch } = makeSandbox();
  const token = await getToken(fetch);
  const variants = [
    {},
    { authorization: "" },
    { authorization: token },
    { authorization: `Bearer  ${token}` },
    { authorization: `Bearer ${token} extra` },
    { authorization: `Basic ${token}` },
    { authorization: "Bearer not-a-token" },
    { authorization: "Bearer sandbox-permanent-tokenX" },
  ];
  for (const headers of variants) {
    for (const path of [`${FMU}/status?msisdn=32477121212`, "/rentednumbers/1.0.0/bookings", "/rentednumbers/1.0.0/cdr"]) {
      const r = await call(fetch, "GET", path, { headers });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.body.fault.code, 900901);
      assert.equal(r.body.fault.message, "Invalid Credentials");
      assert.equal(typeof r.body.fault.description, "string");
    }
  }
  // the documented form, exactly one space
  assert.equal((await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
});
