import { test } from "node:test";
import assert from "node:assert/strict";
import { FMU, call, makeSandbox } from "./helpers.js";

const P = "sandbox-permanent-token";
const bulk = (n) => Array.from({ length: n }, (_, i) => `3247800${String(i + 1).padStart(4, "0")}`);

test("sync GET: seeded numbers start PRIVATE; inactive and unknown numbers answer in-band", async () => {
  const { fetch } = makeSandbox();
  for (const msisdn of ["32477121212", "32471121212", "32471121213", "32478000001", "32478000060"]) {
    const r = await call(fetch, "GET", `${FMU}/status?msisdn=${msisdn}`, { token: P });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { msisdn, isError: false, status: "PRIVATE" });
  }
  for (const msisdn of ["32470000099", "32479999999"]) {
    const r = await call(fetch, "GET", `${FMU}/status?msisdn=${msisdn}`, { token: P });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { msisdn, isError: true, errorMessage: "FMU option not active" });
  }
});

test("GET validation: missing, non-Belgian-mobile, empty items, more than 50 → 400", async () => {
  const { fetch } = makeSandbox();
  const bad = ["", "?msisdn=", "?msisdn=0477121212", "?msisdn=%2B32477121212", "?msisdn=3247712121", "?msisdn=324771212123",
    "?msisdn=32277121212", "?msisdn=abc", "?msisdn=32477121212,", "?msisdn=32477121212,,32471121212",
    `?msisdn=${bulk(51).join(",")}&callback_url=https://example.com/cb`, "?msisdn=32477121212&callback_url=http://example.com/cb"];
  for (const q of bad) {
    const r = await call(fetch, "GET", `${FMU}/status${q}`, { token: P });
    assert.equal(r.status, 400, q);
    assert.equal(r.body.code, "VALIDATION_ERROR");
    assert.equal(typeof r.body.message, "string");
  }
});

test("sync PUT sets one number; inactive number answers success:false", async () => {
  const { fetch, sandbox } = makeSandbox();
  const r = await call(fetch, "PUT", `${FMU}/status`, { token: P, body: { msisdn: ["32471121212"], status: "ON_DUTY" } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { msisdn: "32471121212", success: true });
  assert.equal(sandbox.state.fmu.numbers["32471121212"].status, "ON_DUTY");
  const g = await call(fetch, "GET", `${FMU}/status?msisdn=32471121212`, { token: P });
  assert.equal(g.body.status, "ON_DUTY");
  const inactive = await call(fetch, "PUT", `${FMU}/status`, { token: P, body: { msisdn: ["32470000099"], status: "PROFESSIONAL" } });
  assert.equal(inactive.status, 200);
  assert.deepEqual(inactive.body, { msisdn: "32470000099", success: false, errorMessage: "FMU option not active" });
  assert.equal(sandbox.state.fmu.numbers["32470000099"].status, "PRIVATE");
});

test("PUT validation: bodies, types, statuses, counts → 400 and nothing changes", async () => {
  const { fetch, sandbox } = makeSandbox();
  const bad = [
    undefined, "", "not json", "[]", "null", "42", '"str"',
    { status: "PRIVATE" },
    { msisdn: "32477121212", status: "PRIVATE" },
    { msisdn: [], status: "PRIVATE" },
    { msisdn: [32477121212], status: "PRIVATE" },
    { msisdn: ["32477121212"] },
    { msisdn: ["32477121212"], status: "private" },
    { msisdn: ["32477121212"], status: "AWAY" },
    { msisdn: ["32477121212"], status: 1 },
    { msisdn: ["0477121212"], status: "PRIVATE" },
    { msisdn: bulk(51), status: "PRIVATE", callbackUrl: "https://example.com/cb" },
    { msisdn: bulk(2), status: "PRIVATE" },
    { msisdn: bulk(2), status: "PRIVATE", callbackUrl: "http://example.com/cb" },
    { msisdn: bulk(2), status: "PRIVATE", callbackUrl: 7 },
  ];
  for (const body of bad) {
    const r = await call(fetch, "PUT", `${FMU}/status`, { token: P, body, headers: { "content-type": "application/json" } });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.code, "VALIDATION_ERROR");
  }
  for (const n of bulk(2)) assert.equal(sandbox.state.fmu.numbers[n].status, "PRIVATE");
  assert.equal((await call(fetch, "POST", `${FMU}/status`, { token: P })).status, 405);
  assert.equal((await call(fetch, "DELETE", `${FMU}/status`, { token: P })).status, 405);
});

test("POST /callback: https → 204, loopback http → 204, other http or junk → 400", async () => {
  const { fetch, sandbox } = makeSandbox();
  const ok = await call(fetch, "POST", `${FMU}/callback`, { token: P, body: { url: "https://example.com/fmu" } });
  assert.equal(ok.status, 204);
  assert.equal(ok.text, "");
  assert.equal(sandbox.state.fmu.callbackUrl, "https://example.com/fmu");
  for (const url of ["http://localhost:9/x", "http://127.0.0.1:9/x", "http://127.8.9.10/x", "http://[::1]:9/x"]) {
    assert.equal((await call(fetch, "POST", `${FMU}/callback`, { token: P, body: { url } })).status, 204, url);
  }
  for (const body of [{ url: "http://example.com/fmu" }, { url: "ftp://example.com" }, { url: "not a url" }, { url: 5 }, {}, [], "x"]) {
    const r = await call(fetch, "POST", `${FMU}/callback`, { token: P, body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.code, "VALIDATION_ERROR");
  }
  assert.equal(sandbox.state.fmu.callbackUrl, "http://[::1]:9/x");
  assert.equal((await call(fetch, "GET", `${FMU}/callback`, { token: P })).status, 405);
  assert.equal((await call(fetch, "POST", `${FMU}/callback`, { body: { url: "https://example.com" } })).status, 401);
});

test("async GET needs a callback; with the default or a per-request URL it answers 202 and POSTs results", async () => {
  const { fetch, sandbox, delivered } = makeSandbox();
  const none = await call(fetch, "GET", `${FMU}/status?msisdn=32477121212,32471121212`, { token: P });
  assert.equal(none.status, 400);
  assert.equal(delivered.length, 0);

  await call(fetch, "POST", `${FMU}/callback`, { token: P, body: { url: "https://default.example/fmu" } });
  const r = await call(fetch, "GET", `${FMU}/status?msisdn=32477121212,32470000099,32477121213`, { token: P });
  assert.equal(r.status, 202);
  assert.deepEqual(Object.keys(r.body), ["requestId"]);
  await sandbox.idle();
  assert.equal(delivered.length, 1);
  assert.equal(delivered[0].url, "https://default.example/fmu");
  assert.deepEqual(delivered[0].body, {
    requestId: r.body.requestId,
    type: "GET_STATUS",
    results: [
      { msisdn: "32477121212", isError: false, status: "PRIVATE" },
      { msisdn: "32470000099", isError: true, errorMessage: "FMU option not active" },
      { msisdn: "32477121213", isError: true, errorMessage: "FMU option not active" },
    ],
  });

  const per = await call(fetch, "GET", `${FMU}/status?msisdn=${bulk(50).join(",")}&callback_url=https://per.example/x`, { token: P });
  assert.equal(per.status, 202);
  await sandbox.idle();
  assert.equal(delivered[1].url, "https://per.example/x");
  assert.equal(delivered[1].body.results.length, 50);
  assert.notEqual(delivered[1].body.requestId, r.body.requestId);
});

test("async PUT applies 2–50 numbers and POSTs SET_STATUS results", async () => {
  const { fetch, sandbox, delivered } = makeSandbox();
  const numbers = [...bulk(49), "32470000099"];
  const r = await call(fetch, "PUT", `${FMU}/status`, { token: P, body: { msisdn: numbers, status: "PROFESSIONAL", callbackUrl: "https://cb.example/set" } });
  assert.equal(r.status, 202);
  assert.equal(typeof r.body.requestId, "string");
  for (const n of bulk(49)) assert.equal(sandbox.state.fmu.numbers[n].status, "PROFESSIONAL");
  assert.equal(sandbox.state.fmu.numbers["32478000050"].status, "PRIVATE");
  await sandbox.idle();
  assert.equal(delivered.length, 1);
  assert.equal(delivered[0].url, "https://cb.example/set");
  assert.equal(delivered[0].body.type, "SET_STATUS");
  assert.equal(delivered[0].body.requestId, r.body.requestId);
  assert.deepEqual(delivered[0].body.results[0], { msisdn: "32478000001", success: true });
  assert.deepEqual(delivered[0].body.results[49], { msisdn: "32470000099", success: false, errorMessage: "FMU option not active" });
  // with a registered default, callbackUrl may be omitted
  await call(fetch, "POST", `${FMU}/callback`, { token: P, body: { url: "https://default.example/fmu" } });
  const again = await call(fetch, "PUT", `${FMU}/status`, { token: P, body: { msisdn: bulk(2), status: "ON_DUTY" } });
  assert.equal(again.status, 202);
  await sandbox.idle();
  assert.equal(delivered[1].url, "https://default.example/fmu");
});

test("the seed holds the documented numbers, 60 bulk mobiles and one without FMU", async () => {
  const { fetch } = makeSandbox();
  const s = (await call(fetch, "GET", "/_sandbox/state")).body;
  for (const n of ["32477121212", "32471121212", "32471121213", ...bulk(60)]) assert.deepEqual(s.fmu[n], { status: "PRIVATE", fmuActive: true }, n);
  assert.deepEqual(s.fmu["32470000099"], { status: "PRIVATE", fmuActive: false });
  assert.equal(s.fmuCallbackUrl, null);
});
