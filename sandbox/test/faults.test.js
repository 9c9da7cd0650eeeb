import { test } from "node:test";
import assert from "node:assert/strict";
import { startSandbox } from "../index.js";
import { FMU, FORM_HEADERS, RN, call, getToken, makeSandbox, silent } from "./helpers.js";

const P = "sandbox-permanent-token";
const BOOKING = { destination: "32477121212", usagePlan: "SMALL", callback: "https://example.com/cb" };
/** Like AbortSignal.timeout, but with a ref'd timer (AbortSignal.timeout's would let the process exit). */
function abortAfter(ms) {
  const ac = new AbortController();
  setTimeout(() => ac.abort(new DOMException("timed out", "TimeoutError")), ms);
  return ac.signal;
}
const addFault = (f, spec) => call(f, "POST", "/_sandbox/faults", { body: spec });

test("status fault: gateway body + Retry-After, the operation is NOT performed, count is consumed", async () => {
  const { fetch, sandbox } = makeSandbox();
  const created = await addFault(fetch, { path: `${RN}/bookings`, method: "POST", status: 503, retryAfter: 2, count: 2 });
  assert.equal(created.status, 201);
  assert.match(created.body.id, /^flt_/);
  for (let i = 0; i < 2; i++) {
    const r = await call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING });
    assert.equal(r.status, 503);
    assert.equal(r.headers.get("retry-after"), "2");
    assert.equal(r.body.fault.code, 101503);
    assert.equal(typeof r.body.fault.message, "string");
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
  }
  assert.equal(sandbox.state.bookings.length, 0);
  assert.equal((await call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING })).status, 201);
  assert.deepEqual((await call(fetch, "GET", "/_sandbox/faults")).body.faults, []);
});

test("429 fault carries the throttling fault code; faults match by prefix and method only", async () => {
  const { fetch } = makeSandbox();
  await addFault(fetch, { path: RN, method: "get", status: 429, retryAfter: 1.2 });
  assert.equal((await call(fetch, "GET", `${FMU}/status?msisdn=32477121212`, { token: P })).status, 200, "other path");
  assert.equal((await call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING })).status, 201, "other method");
  const r = await call(fetch, "GET", `${RN}/bookings/bk_anything`, { token: P });
  assert.equal(r.status, 429);
  assert.equal(r.headers.get("retry-after"), "2");
  assert.equal(r.body.fault.code, 900800);
  // a prefix ends at a path segment
  await addFault(fetch, { path: `${RN}/book`, status: 500 });
  assert.equal((await call(fetch, "GET", `${RN}/bookings`, { token: P })).status, 200);
  assert.equal((await call(fetch, "GET", "/_sandbox/faults")).body.faults.length, 1);
  const del = await call(fetch, "DELETE", "/_sandbox/faults");
  assert.equal(del.status, 204);
  assert.deepEqual((await call(fetch, "GET", "/_sandbox/faults")).body.faults, []);
});

test("body faults: malformed, html, empty, huge, custom string and content type", async () => {
  const { fetch } = makeSandbox();
  const path = `${FMU}/status?msisdn=32477121212`;
  const cases = [
    [{ body: "malformed" }, 200, "application/json", (t) => assert.equal(t, '{"msisdn": "3247')],
    [{ body: "html" }, 502, "text/html; charset=utf-8", (t) => assert.equal(t, "<html><body><h1>502 Bad Gateway</h1></body></html>")],
    [{ body: "html", status: 503 }, 503, "text/html; charset=utf-8", (t) => assert.match(t, /502 Bad Gateway/)],
    [{ body: "empty", status: 500 }, 500, "application/json", (t) => assert.equal(t, "")],
    [{ body: "huge" }, 200, "application/json", (t) => assert.ok(t.length >= 2 * 1024 * 1024 && t.length < 3 * 1024 * 1024)],
    [{ body: "plain words", status: 400 }, 400, "text/plain; charset=utf-8", (t) => assert.equal(t, "plain words")],
    [{ body: '{"ok":1}', contentType: "application/vnd.x+json" }, 200, "application/vnd.x+json", (t) => assert.equal(t, '{"ok":1}')],
    [{ status: 502, contentType: "text/plain" }, 502, "text/plain", (t) => assert.equal(JSON.parse(t).fault.code, 101502)],
  ];
  for (const [spec, status, type, check] of cases) {
    await addFault(fetch, { path: `${FMU}/status`, ...spec });
    const r = await call(fetch, "GET", path, { token: P });
    assert.equal(r.status, status, JSON.stringify(spec));
    assert.equal(r.headers.get("content-type"), type, JSON.stringify(spec));
    check(r.text);
  }
  assert.equal((await call(fetch, "GET", path, { token: P })).status, 200);
});

test("latency faults and configured latency delay the answer, then act", async () => {
  const { fetch, sandbox } = makeSandbox();
  await addFault(fetch, { path: `${RN}/bookings`, latencyMs: 120 });
  let t = performance.now();
  const r = await call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING });
  assert.ok(performance.now() - t >= 110, "delayed");
  assert.equal(r.status, 201);
  assert.equal(sandbox.state.bookings.length, 1);
  await call(fetch, "POST", "/_sandbox/config", { body: { latencyMs: 80 } });
  t = performance.now();
  assert.equal((await call(fetch, "GET", `${RN}/bookings`, { token: P })).status, 200);
  assert.ok(performance.now() - t >= 70);
  t = performance.now();
  await call(fetch, "GET", "/_sandbox/state");
  assert.ok(performance.now() - t < 60, "admin routes are never delayed");
});

test("in-process drop before: rejects like fetch, nothing done; drop after: rejects, but the booking exists", async () => {
  const { fetch, sandbox } = makeSandbox();
  await addFault(fetch, { path: `${RN}/bookings`, method: "POST", drop: "before" });
  await assert.rejects(call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING }), (e) => e instanceof TypeError && e.message === "fetch failed");
  assert.equal(sandbox.state.bookings.length, 0);
  await addFault(fetch, { path: `${RN}/bookings`, method: "POST", drop: "after" });
  await assert.rejects(call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING }), (e) => e instanceof TypeError && e.message === "fetch failed");
  assert.equal(sandbox.state.bookings.length, 1);
  assert.equal((await call(fetch, "GET", `${RN}/bookings`, { token: P })).body.totalElements, 1);
});

test("in-process hang: never answers until the caller aborts", async () => {
  const { fetch } = makeSandbox();
  await addFault(fetch, { path: "/token", hang: true });
  const started = performance.now();
  await assert.rejects(call(fetch, "POST", "/token", { signal: abortAfter(150) }), (e) => e.name === "TimeoutError" || e.name === "AbortError");
  assert.ok(performance.now() - started >= 140);
  const already = new AbortController();
  already.abort();
  await assert.rejects(fetch("http://sandbox.local/", { signal: already.signal }), (e) => e.name === "AbortError");
});

test("fault validation and admin routes are immune to faults", async () => {
  const { fetch } = makeSandbox();
  for (const spec of [{}, { path: "token" }, { path: "/x", count: 0 }, { path: "/x", count: 1.5 }, { path: "/x", status: 99 }, { path: "/x", status: 600 },
    { path: "/x", drop: "sometimes" }, { path: "/x", hang: "yes" }, { path: "/x", latencyMs: -1 }, { path: "/x", retryAfter: "2" }, { path: "/x", body: 5 },
    { path: "/x", method: "G E T" }]) {
    const r = await addFault(fetch, spec);
    assert.equal(r.status, 400, JSON.stringify(spec));
    assert.equal(r.body.code, "VALIDATION_ERROR");
  }
  await addFault(fetch, { path: "/", status: 500, count: 100 });
  assert.equal((await call(fetch, "GET", "/_sandbox/state")).status, 200);
  assert.equal((await call(fetch, "POST", "/_sandbox/reset")).status, 200);
  assert.deepEqual((await call(fetch, "GET", "/_sandbox/faults")).body.faults, []);
});

test("over real sockets: drop before, drop after, hang, status and body faults; close() ends hung connections", async () => {
  const sb = await startSandbox({ logger: silent });
  try {
    const token = await getToken(fetch, sb.url);
    const post = (signal) => call(fetch, "POST", `${RN}/bookings`, { base: sb.url, token, body: BOOKING, signal });
    const admin = (path, body) => call(fetch, "POST", path, { base: sb.url, body });

    await admin("/_sandbox/faults", { path: `${RN}/bookings`, drop: "before" });
    await assert.rejects(post(), (e) => e instanceof TypeError);
    assert.equal(sb.sandbox.state.bookings.length, 0);

    await admin("/_sandbox/faults", { path: `${RN}/bookings`, drop: "after" });
    await assert.rejects(post(), (e) => e instanceof TypeError);
    assert.equal(sb.sandbox.state.bookings.length, 1, "the booking was created before the drop");

    await admin("/_sandbox/faults", { path: `${RN}/bookings`, hang: true });
    await assert.rejects(post(abortAfter(200)), (e) => e.name === "TimeoutError" || e.name === "AbortError");
    assert.equal(sb.sandbox.state.bookings.length, 1);

    await admin("/_sandbox/faults", { path: `${RN}/bookings`, status: 504, retryAfter: 3 });
    const r = await post();
    assert.equal(r.status, 504);
    assert.equal(r.headers.get("retry-after"), "3");
    assert.equal(r.body.fault.code, 101504);

    await admin("/_sandbox/faults", { path: `${RN}/bookings`, body: "html" });
    const html = await post();
    assert.equal(html.status, 502);
    assert.match(html.headers.get("content-type"), /text\/html/);

    await admin("/_sandbox/faults", { path: `${RN}/bookings`, body: "huge" });
    const huge = await call(fetch, "GET", `${RN}/bookings`, { base: sb.url, token });
    assert.ok(huge.text.length > 2_000_000);

    assert.equal((await post()).status, 201, "after the faults the server still works");

    // a request left hanging must not keep close() waiting
    await admin("/_sandbox/faults", { path: "/token", hang: true });
    const pending = fetch(`${sb.url}/token`, { method: "POST" }).then(() => "answered", () => "failed");
    await new Promise((r) => setTimeout(r, 50));
    await sb.close();
    assert.equal(await pending, "failed");
  } finally {
    await sb.close();
  }
});

test("slow body: the real answer, headers at once and the body trickled over slowBodyMs; error answers too", async () => {
  const sb = await startSandbox({ logger: silent });
  try {
    const token = await getToken(fetch, sb.url);
    const admin = (path, body) => call(fetch, "POST", path, { base: sb.url, body });
    await admin("/_sandbox/faults", { path: `${RN}/bookings`, method: "POST", slowBodyMs: 400 });
    const started = performance.now();
    const res = await fetch(`${sb.url}${RN}/bookings`, {
      method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(BOOKING),
    });
    const headersAfter = performance.now() - started;
    assert.equal(res.status, 201);
    assert.ok(headersAfter < 200, `headers came at once (${headersAfter} ms)`);
    const booking = await res.json();
    assert.ok(performance.now() - started >= 350, "the body took slowBodyMs");
    assert.match(booking.id, /^bk_/);
    assert.equal(sb.sandbox.state.bookings.length, 1, "a slow body acts");

    // A client that gives up mid-body: the server stops writing and keeps working.
    await admin("/_sandbox/faults", { path: `${RN}/bookings`, method: "GET", slowBodyMs: 5000 });
    const ac = new AbortController();
    const partial = await fetch(`${sb.url}${RN}/bookings/${booking.id}`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
    assert.equal(partial.status, 200);
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(partial.text(), (e) => e.name === "AbortError");

    // error answers and injected bodies trickle too
    await admin("/_sandbox/faults", { path: `${RN}/bookings`, method: "GET", slowBodyMs: 200 });
    const t = performance.now();
    const missing = await call(fetch, "GET", `${RN}/bookings/bk_missing`, { base: sb.url, token });
    assert.equal(missing.status, 404);
    assert.ok(performance.now() - t >= 150);
    await admin("/_sandbox/faults", { path: "/token", body: "html", slowBodyMs: 200 });
    const html = await call(fetch, "POST", "/token", { base: sb.url });
    assert.equal(html.status, 502);
    assert.match(html.text, /Bad Gateway/);
    assert.equal((await call(fetch, "GET", `${RN}/bookings/${booking.id}`, { base: sb.url, token })).status, 200);
  } finally {
    await sb.close();
  }
});

test("in-process slow body and refuse", async () => {
  const { fetch, sandbox } = makeSandbox();
  await addFault(fetch, { path: `${RN}/bookings`, method: "POST", slowBodyMs: 150 });
  const t = performance.now();
  const r = await call(fetch, "POST", `${RN}/bookings`, { token: P, body: BOOKING });
  assert.equal(r.status, 201);
  assert.ok(performance.now() - t >= 130);
  await addFault(fetch, { path: "/token", refuse: true, count: 2 });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(call(fetch, "POST", "/token", { headers: FORM_HEADERS, body: "grant_type=client_credentials" }),
      (e) => e instanceof TypeError && e.message === "fetch failed");
  }
  assert.equal(sandbox.state.requests.filter((q) => q.path === "/token").length, 2);
});

test("refuse over real sockets: the connection is reset before the request is read; nothing acts; logged", async () => {
  const sb = await startSandbox({ logger: silent });
  try {
    const token = await getToken(fetch, sb.url);
    await call(fetch, "POST", "/_sandbox/faults", { base: sb.url, body: { path: "/token", refuse: true, count: 2 } });
    await call(fetch, "POST", "/_sandbox/faults", { base: sb.url, body: { path: `${RN}/bookings`, method: "POST", refuse: true } });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(getToken(fetch, sb.url), (e) => e instanceof TypeError);
    }
    await assert.rejects(call(fetch, "POST", `${RN}/bookings`, { base: sb.url, token, body: BOOKING }), (e) => e instanceof TypeError);
    assert.equal(sb.sandbox.state.bookings.length, 0);
    const logged = sb.sandbox.state.requests.filter((q) => q.refused);
    assert.deepEqual(logged.map((q) => `${q.method} ${q.path}`), ["POST /token", "POST /token", `POST ${RN}/bookings`]);
    assert.ok(await getToken(fetch, sb.url), "the endpoint is back");
    assert.equal((await call(fetch, "POST", `${RN}/bookings`, { base: sb.url, token, body: BOOKING })).status, 201);
  } finally {
    await sb.close();
  }
});

test("slowBodyMs and refuse are validated", async () => {
  const { fetch } = makeSandbox();
  for (const spec of [{ path: "/x", slowBodyMs: 0 }, { path: "/x", slowBodyMs: 1.5 }, { path: "/x", slowBodyMs: "5" }, { path: "/x", refuse: 1 }]) {
    const r = await addFault(fetch, spec);
    assert.equal(r.status, 400, JSON.stringify(spec));
  }
});
