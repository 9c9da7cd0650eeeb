// Shared test helpers: a controllable clock, an in-process sandbox, JSON calls, and a tiny
// loopback receiver for callbacks.
import http from "node:http";
import { createSandbox, DEFAULT_CREDENTIALS } from "../index.js";

export const T0 = Date.parse("2026-11-23T10:00:00Z");
export const FMU = "/fmu/1.0.0";
export const RN = "/rentednumbers/1.0.0";
export const silent = { warn() {} };

export function manualClock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; }, set: (v) => { t = v; } };
}

/** An in-process sandbox with a fixed clock and a recording `deliver`. */
export function makeSandbox(options = {}) {
  const clock = manualClock();
  const delivered = [];
  const sandbox = createSandbox({
    now: clock.now,
    logger: silent,
    callbackRetryDelaysMs: [1, 1, 1],
    deliver: async (url, init) => {
      delivered.push({ url: String(url), body: JSON.parse(init.body), headers: init.headers });
      return new Response(null, { status: 204 });
    },
    ...options,
  });
  return { sandbox, clock, delivered, fetch: sandbox.fetch };
}

/** Calls `fetch` and returns { status, headers, text, body (parsed JSON or undefined) }. */
export async function call(fetchFn, method, path, { token, body, headers = {}, base = "http://sandbox.local", signal } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload = body;
  if (body !== undefined && typeof body !== "string") {
    payload = JSON.stringify(body);
    h["content-type"] ??= "application/json";
  }
  const res = await fetchFn(base + path, { method, headers: h, body: payload, signal });
  const text = await res.text();
  let parsed;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export function form(params) {
  return new URLSearchParams(params).toString();
}

export const FORM_HEADERS = { "content-type": "application/x-www-form-urlencoded" };

export async function getToken(fetchFn, base, creds = DEFAULT_CREDENTIALS) {
  const r = await call(fetchFn, "POST", "/token", {
    base,
    headers: FORM_HEADERS,
    body: form({ grant_type: "client_credentials", client_id: creds.clientId, client_secret: creds.clientSecret }),
  });
  if (r.status !== 200) throw new Error(`token failed: ${r.status} ${r.text}`);
  return r.body.access_token;
}

/** A loopback HTTP server that records every request; answers `status` (default 204). */
export async function startReceiver({ status = 204 } = {}) {
  const received = [];
  const waiters = [];
  let answer = status;
  const server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => { data += c; });
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: data });
      res.writeHead(typeof answer === "function" ? answer(received.length) : answer);
      res.end();
      for (const w of [...waiters]) if (received.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    received,
    setStatus(s) { answer = s; },
    waitFor(n, ms = 5000) {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${n} requests`)), ms);
        waiters.push({ n, resolve: () => { clearTimeout(t); resolve(); } });
      });
    },
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
