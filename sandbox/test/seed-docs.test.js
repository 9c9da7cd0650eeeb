// Each sample request of the two seed documents (FMU; Rented numbers; their OAuth2 pages),
// replayed as written, against the documented answer shapes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeSandbox } from "./helpers.js";

const BASE = "http://sandbox.local";

async function send(fetchFn, method, path, headers, body) {
  const res = await fetchFn(BASE + path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

test("OAuth2 page: /token with the form body, then /revoke, then a fresh token", async () => {
  const { fetch } = makeSandbox();
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const t = await send(fetch, "POST", "/token", form, "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret");
  assert.equal(t.status, 200);
  assert.deepEqual(Object.keys(t.body), ["scope", "token_type", "expires_in", "access_token"]);
  assert.equal(t.body.scope, "openid");
  assert.equal(t.body.token_type, "Bearer");
  assert.equal(typeof t.body.expires_in, "number");
  assert.equal(typeof t.body.access_token, "string");
  const again = await send(fetch, "POST", "/token", form, "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret");
  assert.equal(again.body.access_token, t.body.access_token, "single active access token");
  const r = await send(fetch, "POST", "/revoke", form, `token=${t.body.access_token}&client_id=sandbox-client&client_secret=sandbox-secret`);
  assert.equal(r.status, 200);
  assert.equal(r.text, "");
  const fresh = await send(fetch, "POST", "/token", form, "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret");
  assert.notEqual(fresh.body.access_token, t.body.access_token);
  // "curl -i -X GET -H "Accept:application/json" -H "Authorization: Bearer <active-access-token>""
  const use = await send(fetch, "GET", "/fmu/1.0.0/status?msisdn=32477121212", { Accept: "application/json", Authorization: `Bearer ${fresh.body.access_token}` });
  assert.equal(use.status, 200);
});

test("FMU document: get one, set one, register the callback, bulk get with callback_url", async () => {
  const { fetch, sandbox, delivered } = makeSandbox();
  const token = (await send(fetch, "POST", "/token", { "Content-Type": "application/x-www-form-urlencoded" },
    "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret")).body.access_token;
  const headers = { Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${token}` };

  const get = await send(fetch, "GET", "/fmu/1.0.0/status?msisdn=32477121212", headers);
  assert.equal(get.status, 200);
  assert.deepEqual(get.body, { msisdn: "32477121212", isError: false, status: "PRIVATE" });

  const set = await send(fetch, "PUT", "/fmu/1.0.0/status", headers, '{"msisdn": ["32471121212"], "status": "PRIVATE"}');
  assert.equal(set.status, 200);
  assert.deepEqual(set.body, { msisdn: "32471121212", success: true });

  const cb = await send(fetch, "POST", "/fmu/1.0.0/callback", headers, '{"url": "https://callback.example/fmu"}');
  assert.equal(cb.status, 204);
  assert.equal(cb.text, "", "this request doesn't return any specific payload");

  const bulk = await send(fetch, "GET", "/fmu/1.0.0/status?msisdn=32471121212,32471121213&callback_url=https://callbackoptional.url",
    { accept: "application/json", Authorization: `Bearer ${token}` });
  assert.equal(bulk.status, 202);
  assert.equal(typeof bulk.body.requestId, "string");
  await sandbox.idle();
  assert.equal(delivered.length, 1);
  assert.equal(delivered[0].url, "https://callbackoptional.url", "the URL is used as given");
  assert.deepEqual(delivered[0].body, {
    requestId: bulk.body.requestId,
    type: "GET_STATUS",
    results: [
      { msisdn: "32471121212", isError: false, status: "PRIVATE" },
      { msisdn: "32471121213", isError: false, status: "PRIVATE" },
    ],
  });
});

test("Rented numbers document: book, list, update, delete, call records and both callbacks", async () => {
  const { fetch, sandbox, delivered } = makeSandbox();
  const headers = { Accept: "application/json", "Content-Type": "application/json", Authorization: "Bearer sandbox-permanent-token" };
  const p = "/rentednumbers/1.0.0";
  const b = await send(fetch, "POST", `${p}/bookings`, headers, JSON.stringify({ destination: "32477121212", usagePlan: "SMALL", callback: "https://seller.example/calls" }));
  assert.equal(b.status, 201);
  assert.deepEqual(Object.keys(b.body).sort(), ["callsRemaining", "destination", "endTime", "id", "secondsRemaining", "service", "usagePlan"]);
  assert.equal(typeof b.body.id, "string");
  assert.equal(typeof b.body.service, "string");
  assert.match(b.body.endTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(b.body.destination, "32477121212");
  assert.equal(b.body.usagePlan, "SMALL");

  const list = await send(fetch, "GET", `${p}/bookings?includeExpired=false&page=0&size=20`, headers);
  assert.deepEqual(list.body, { content: [b.body], page: 0, size: 20, totalElements: 1, totalPages: 1 });

  const call = await send(fetch, "POST", "/_sandbox/calls", { "content-type": "application/json" }, JSON.stringify({ service: b.body.service, duration: 42 }));
  assert.equal(call.body.outcome, "completed");
  await sandbox.idle();
  assert.deepEqual(Object.keys(delivered[0].body), ["id", "timestamp", "duration", "source", "destination", "bookingId"]);

  const cdrs = await send(fetch, "GET", `${p}/cdr?page=0&size=20`, headers);
  assert.equal(cdrs.body.totalElements, 1);
  assert.deepEqual(Object.keys(cdrs.body.content[0]), ["id", "timestamp", "duration", "source", "service"]);
  const one = await send(fetch, "GET", `${p}/cdr/${cdrs.body.content[0].id}`, headers);
  assert.deepEqual(one.body, cdrs.body.content[0]);

  await send(fetch, "POST", "/_sandbox/clock", {}, JSON.stringify({ advanceSeconds: 8 * 86400 }));
  await send(fetch, "POST", "/_sandbox/calls", {}, JSON.stringify({ service: b.body.service }));
  await sandbox.idle();
  assert.deepEqual(Object.keys(delivered[1].body), ["timestamp", "source", "destination", "bookingId", "message"]);
  assert.equal(delivered[1].body.message, "Incoming call for expired booking");

  const up = await send(fetch, "PUT", `${p}/bookings/${b.body.id}`, headers, JSON.stringify({ usagePlan: "MEDIUM" }));
  assert.equal(up.status, 200);
  assert.equal(up.body.usagePlan, "MEDIUM");
  const del = await send(fetch, "DELETE", `${p}/bookings/${b.body.id}`, headers);
  assert.equal(del.status, 204);
  assert.equal((await send(fetch, "GET", `${p}/bookings/${b.body.id}`, headers)).status, 404);
});
