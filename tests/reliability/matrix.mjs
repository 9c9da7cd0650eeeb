// The fault matrix of issue 9, as data: for each call kind × each fault, the outcome the library
// guarantees. Shared by the Node run (node.test.mjs), the workerd run (workerd.test.mjs, inside a
// Worker) and the table in docs/reliability.md (render-table.mjs), so the three cannot drift.
// Plain web-standard JavaScript: no Node built-ins (this file also runs inside workerd).
import { sandboxAdmin } from "../../sandbox/admin-client.js";

export const RN = "/rentednumbers/1.0.0";

/** Client options of every run: small enough that the whole matrix runs in seconds. */
export const TIMEOUT_MS = 1000;
export const MAX_RETRIES = 2; // the documented default, spelled out
export const ATTEMPTS = MAX_RETRIES + 1;
/** How long a slow body trickles (well past TIMEOUT_MS). */
export const SLOW_BODY_MS = 2500;
/** A call still unsettled after this long is reported as a hang. */
export const HANG_GUARD_MS = 12_000;

/** The hidden real number every booking of the matrix forwards to, and the forms it may leak in. */
export const DESTINATION = "32479123987";
export const DESTINATION_FORMS = ["32479123987", "+32479123987", "0479123987", "0032479123987", "+32 479 12 39 87", "0479 12 39 87"];

/** The call kinds: what runCase calls, on which sandbox route. */
export const KINDS = {
  token: { label: "token", call: "`tokens.get()`", method: "POST", billable: false },
  get: { label: "GET", call: "`bookings.get(id)`", method: "GET", billable: false },
  put: { label: "PUT top-up", call: "`bookings.update(id, …)`", method: "PUT", billable: true },
  delete: { label: "DELETE", call: "`bookings.delete(id)`", method: "DELETE", billable: false },
  post: { label: "POST booking", call: "`bookings.create(…)`", method: "POST", billable: true },
};
const KIND_ORDER = ["token", "get", "put", "delete", "post"];

// Expectation builders. `requests`: attempts of the call that reached the sandbox (its method and
// path); `tokenRequests`: POST /token during the call (API kinds); `booked`: bookings the call
// created; `topUps`: top-ups it applied.
const resolves = (requests, more = {}) => ({ outcome: "resolves", requests, ...more });
const rejects = (code, requests, more = {}) => ({ outcome: "rejects", code, requests, ...more });
/** The same expectation for the three safe kinds (token, GET, DELETE). */
const safe = (e) => ({ token: e, get: e, delete: e });
/** The same expectation for the two billable kinds, with no money moved. */
const billable = (e) => ({ put: { ...e, topUps: 0 }, post: { ...e, booked: 0 } });

/**
 * The faults. `fault` is what is injected (`POST /_sandbox/faults`) on the call's own route
 * (or on /token with `onToken`); `count` defaults to every attempt (ATTEMPTS). `perKind`
 * overrides the fault for one kind. `coldToken`: the client has no token when the call starts.
 * `echo`: the fault body repeats the secrets (built by runCase).
 */
export const FAULTS = [
  {
    id: "429-retry-after-once", label: "429 with `Retry-After: 1`, once",
    fault: { status: 429, retryAfter: 1, count: 1 },
    expect: {
      ...safe(resolves(2, { minElapsedMs: 900 })),
      put: resolves(2, { topUps: 1, minElapsedMs: 900 }),
      post: resolves(2, { booked: 1, minElapsedMs: 900 }),
    },
  },
  {
    id: "429-every-attempt", label: "429 without `Retry-After`, every attempt",
    fault: { status: 429 },
    expect: { ...safe(rejects("rate_limited", 3, { status: 429 })), ...billable(rejects("rate_limited", 3, { status: 429 })) },
  },
  {
    id: "429-retry-after-too-long", label: "429 with `Retry-After: 120` (over the 60 s cap)",
    fault: { status: 429, retryAfter: 120, count: 1 },
    expect: {
      ...safe(rejects("rate_limited", 1, { status: 429, retryAfterMs: 120_000, maxElapsedMs: 2000 })),
      ...billable(rejects("rate_limited", 1, { status: 429, retryAfterMs: 120_000, maxElapsedMs: 2000 })),
    },
  },
  {
    id: "500", label: "500, every attempt",
    fault: { status: 500 },
    expect: { ...safe(rejects("server_error", 1, { status: 500 })), ...billable(rejects("server_error", 1, { status: 500 })) },
  },
  ...[502, 503, 504].map((status) => ({
    id: String(status), label: `${status}, every attempt`,
    fault: { status },
    expect: { ...safe(rejects("unavailable", 3, { status })), ...billable(rejects("unavailable", 1, { status })) },
  })),
  {
    id: "503-once", label: "503, once",
    fault: { status: 503, count: 1 },
    expect: { ...safe(resolves(2)), ...billable(rejects("unavailable", 1, { status: 503 })) },
  },
  {
    id: "drop-before", label: "connection dropped before the request was acted on, every attempt",
    fault: { drop: "before" },
    expect: { ...safe(rejects("network", 3)), ...billable(rejects("network", 1)) },
  },
  {
    id: "drop-after-once", label: "connection dropped after the server acted, once",
    fault: { drop: "after", count: 1 },
    expect: {
      token: resolves(2),
      get: resolves(2),
      delete: resolves(2), // the retry's 404 after a lost answer means the first DELETE did it
      put: rejects("network", 1, { topUps: 1 }),
      post: rejects("network", 1, { booked: 1 }),
    },
  },
  {
    id: "hang", label: "server accepts the request and never answers, every attempt",
    fault: { hang: true },
    expect: { ...safe(rejects("timeout", 3)), ...billable(rejects("timeout", 1)) },
  },
  {
    id: "slow-body", label: `headers at once, body trickled over ${SLOW_BODY_MS} ms (past \`timeoutMs\`), every attempt`,
    fault: { slowBodyMs: SLOW_BODY_MS },
    // A 204 has no body to trickle: the DELETE gets a slow 200 instead (injected, so not acted on).
    perKind: { delete: { slowBodyMs: SLOW_BODY_MS, status: 200, body: '{"status":"deleted","padding":"..........................."}' } },
    expect: {
      ...safe(rejects("timeout", 3)),
      put: rejects("timeout", 1, { topUps: 1 }),
      post: rejects("timeout", 1, { booked: 1 }),
    },
  },
  {
    id: "malformed", label: "200 with malformed JSON",
    fault: { body: "malformed" },
    expect: {
      token: rejects("bad_response", 1), get: rejects("bad_response", 1), delete: resolves(1),
      ...billable(rejects("bad_response", 1)),
    },
  },
  {
    id: "html", label: "502 HTML error page, every attempt",
    fault: { body: "html" },
    expect: { ...safe(rejects("unavailable", 3, { status: 502 })), ...billable(rejects("unavailable", 1, { status: 502 })) },
  },
  {
    id: "empty", label: "200 with an empty body",
    fault: { body: "empty" },
    expect: {
      token: rejects("bad_response", 1), get: rejects("bad_response", 1), delete: resolves(1),
      ...billable(rejects("bad_response", 1)),
    },
  },
  {
    id: "huge", label: "200 with a 2 MiB JSON body that is not the expected object",
    fault: { body: "huge" },
    // The default timeout: reading 2 MiB on a busy machine must not turn into a `timeout`.
    timeoutMs: 10_000,
    expect: {
      token: rejects("bad_response", 1), get: rejects("bad_response", 1), delete: resolves(1),
      ...billable(rejects("bad_response", 1)),
    },
  },
  {
    id: "401-once", label: "401 mid-session, once (token revoked or expired early)",
    fault: { status: 401, count: 1 },
    expect: {
      token: rejects("unauthorized", 1, { status: 401 }),
      get: resolves(2, { tokenRequests: 1 }),
      delete: resolves(2, { tokenRequests: 1 }),
      put: resolves(2, { tokenRequests: 1, topUps: 1 }),
      post: resolves(2, { tokenRequests: 1, booked: 1 }),
    },
  },
  {
    id: "401-twice", label: "401 mid-session, again after the new token",
    fault: { status: 401, count: 2 },
    expect: {
      token: rejects("unauthorized", 1, { status: 401 }),
      get: rejects("unauthorized", 2, { status: 401, tokenRequests: 1 }),
      delete: rejects("unauthorized", 2, { status: 401, tokenRequests: 1 }),
      put: rejects("unauthorized", 2, { status: 401, tokenRequests: 1, topUps: 0 }),
      post: rejects("unauthorized", 2, { status: 401, tokenRequests: 1, booked: 0 }),
    },
  },
  {
    id: "token-endpoint-down", label: "token endpoint down (connection reset unread), no token cached",
    fault: { refuse: true }, onToken: true, coldToken: true,
    expect: {
      token: rejects("network", 3),
      get: rejects("network", 0, { tokenRequests: 3 }),
      delete: rejects("network", 0, { tokenRequests: 3 }),
      put: rejects("network", 0, { tokenRequests: 3, topUps: 0 }),
      post: rejects("network", 0, { tokenRequests: 3, booked: 0 }),
    },
  },
  {
    id: "echo-secrets", label: "400 whose body echoes the secret, the token and the hidden number",
    fault: { status: 400, contentType: "application/json" }, echo: true,
    expect: (() => {
      const e = rejects("bad_request", 1, { status: 400 });
      return { token: e, get: e, delete: e, put: { ...e, topUps: 0 }, post: { ...e, booked: 0 } };
    })(),
  },
];

/** One row per call kind × fault. */
export const ROWS = FAULTS.flatMap((f) => KIND_ORDER.map((kind) => {
  const { knownBug, ...expect } = f.expect[kind];
  return {
    id: `${kind}/${f.id}`,
    kind,
    faultId: f.id,
    faultLabel: f.label,
    fault: { count: ATTEMPTS, ...(f.perKind?.[kind] ?? f.fault) },
    onToken: Boolean(f.onToken),
    coldToken: Boolean(f.coldToken),
    echo: Boolean(f.echo),
    timeoutMs: f.timeoutMs ?? TIMEOUT_MS,
    expect,
    ...(knownBug ? { knownBug } : {}),
  };
}));

export const rowById = (id) => ROWS.find((r) => r.id === id);

/** In the order rows run: kind by kind, so rows side by side meet different faults. */
export const RUN_ORDER = KIND_ORDER.flatMap((kind) => ROWS.filter((r) => r.kind === kind));

/**
 * The options a matrix client is made with for `row`. With `logLines`, it logs at "debug" into
 * that array (every line of every level, for the secrets check).
 */
export function clientOptions(box, onRetry, row, logLines) {
  return {
    clientId: box.clientId,
    clientSecret: box.clientSecret,
    baseUrl: box.url,
    timeoutMs: row?.timeoutMs ?? TIMEOUT_MS,
    maxRetries: MAX_RETRIES,
    onRetry,
    ...(logLines ? { logLevel: "debug", logger: lineLogger(logLines) } : {}),
  };
}

/** A logger that keeps every line, whatever its level, as "level: line". */
export function lineLogger(lines) {
  return Object.fromEntries(["debug", "info", "warn", "error"].map((level) => [level, (line) => lines.push(`${level}: ${line}`)]));
}

// ---------------------------------------------------------------------------------------------
// The runner: works with any client instance and any runtime that has fetch.

async function rawToken(box) {
  const response = await fetch(`${box.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: box.clientId, client_secret: box.clientSecret }).toString(),
  });
  if (response.status !== 200) throw new Error(`setup: /token answered ${response.status}`);
  return (await response.json()).access_token;
}

async function rawBooking(box, token) {
  const response = await fetch(`${box.url}${RN}/bookings`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ destination: DESTINATION, usagePlan: "SMALL", callback: "https://example.com/calls" }),
  });
  if (response.status !== 201) throw new Error(`setup: POST /bookings answered ${response.status}`);
  return response.json();
}

const NEW_BOOKING = { destination: "+32 479 12 39 87", usagePlan: "SMALL", callbackUrl: "https://example.com/calls" };

/** The call of each kind, and where it lands in the sandbox. */
function callOf(kind, client, target) {
  switch (kind) {
    case "token": return { method: "POST", path: "/token", run: () => client.tokens.get() };
    case "get": return { method: "GET", path: `${RN}/bookings/${target.id}`, run: () => client.bookings.get(target.id) };
    case "put": return { method: "PUT", path: `${RN}/bookings/${target.id}`, run: () => client.bookings.update(target.id, { usagePlan: "SMALL" }) };
    case "delete": return { method: "DELETE", path: `${RN}/bookings/${target.id}`, run: () => client.bookings.delete(target.id) };
    case "post": return { method: "POST", path: `${RN}/bookings`, run: () => client.bookings.create(NEW_BOOKING) };
    default: throw new Error(`unknown kind ${kind}`);
  }
}

/** A later call of the same kind, with no fault: the client must still work. */
function followUpOf(kind, client, target, spare) {
  switch (kind) {
    case "token": return () => client.tokens.get();
    case "get": return () => client.bookings.get(spare.id);
    case "put": return () => client.bookings.update(spare.id, { usagePlan: "SMALL" });
    case "delete": return () => client.bookings.delete(spare.id);
    case "post": return () => client.bookings.create(NEW_BOOKING);
    default: throw new Error(`unknown kind ${kind}`);
  }
}

function echoBody(kind, box, token) {
  const said = `client_secret=${box.clientSecret} Authorization: Bearer ${token} destination=${DESTINATION} (+32479123987, 0479123987)`;
  return kind === "token"
    ? JSON.stringify({ error: "invalid_request", error_description: `refused: client_secret=${box.clientSecret}` })
    : JSON.stringify({ code: "VALIDATION_ERROR", message: `refused: ${said}` });
}

/** Wraps console.* so that every call lands in `sink(method, text)` instead; returns undo(). */
export function captureConsole(sink) {
  const saved = {};
  for (const m of CONSOLE_METHODS) {
    saved[m] = console[m];
    console[m] = (...args) => sink(m, args.map((a) => { try { return typeof a === "string" ? a : `${a} ${JSON.stringify(a)}`; } catch { return String(a); } }).join(" "));
  }
  return () => { for (const m of CONSOLE_METHODS) console[m] = saved[m]; };
}

/** Every string a caller can get out of an error (the runtime adds util.inspect where it has it). */
export function errorStrings(error) {
  if (error === null || error === undefined) return [];
  const out = [];
  const add = (f) => { try { out.push(String(f())); } catch (e) { out.push(`<threw ${e}>`); } };
  add(() => error.message);
  add(() => String(error));
  add(() => JSON.stringify(error));
  add(() => error.stack);
  add(() => JSON.stringify(Object.fromEntries(Object.getOwnPropertyNames(error).map((k) => [k, error[k]]))));
  add(() => error.cause === undefined ? "" : `${error.cause} ${JSON.stringify(error.cause)}`);
  return out;
}

/** Every string a caller can get out of the client object. */
export function clientStrings(client) {
  const out = [];
  const add = (f) => { try { out.push(String(f())); } catch (e) { out.push(`<threw ${e}>`); } };
  add(() => String(client));
  add(() => JSON.stringify(client));
  add(() => `${client}`);
  add(() => Object.keys(client).join(","));
  for (const part of ["tokens", "fmu", "bookings", "cdrs"]) add(() => JSON.stringify(client[part]));
  return out;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"];

function withTimeout(promise, ms) {
  let timer;
  const guard = new Promise((resolve) => { timer = setTimeout(() => resolve({ hung: true }), ms); });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

async function settle(fn) {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

const countOf = (requests, method, path) => requests.filter((r) => r.method === method && r.path === path).length;

/**
 * Runs one row against a fresh sandbox state, with `client` (made with clientOptions; `retries`
 * is the array its onRetry pushes to). Returns a JSON-safe outcome, plus `live` (the error and
 * retry errors as objects, for runtime-specific inspection; not JSON). `captureConsole: false`
 * when the caller captures console output itself (rows running concurrently).
 */
export async function runCase(client, box, row, retries = [], { captureConsole = true } = {}) {
  const admin = sandboxAdmin(box.url).request;
  const consoleSeen = [];
  const saved = {};
  for (const m of captureConsole ? CONSOLE_METHODS : []) {
    saved[m] = console[m];
    console[m] = (...args) => {
      consoleSeen.push(args.map((a) => { try { return typeof a === "string" ? a : `${a} ${JSON.stringify(a)}`; } catch { return String(a); } }).join(" "));
    };
  }
  try {
    await admin("POST", "reset");
    const setupToken = await rawToken(box);
    const target = await rawBooking(box, setupToken);
    const spare = await rawBooking(box, setupToken);
    if (!row.coldToken && row.kind !== "token") await client.tokens.get();
    await admin("DELETE", "requests");
    const before = await admin("GET", "state");

    const call = callOf(row.kind, client, target);
    const fault = { ...row.fault, path: row.onToken ? "/token" : call.path, method: row.onToken ? "POST" : call.method };
    if (row.echo) fault.body = echoBody(row.kind, box, setupToken);
    await admin("POST", "faults", fault);

    const started = Date.now();
    const settled = await withTimeout(settle(call.run), HANG_GUARD_MS);
    const elapsedMs = Date.now() - started;
    const { requests } = await admin("GET", "requests");
    const after = await admin("GET", "state");
    await admin("DELETE", "faults");

    const bookingOf = (state, id) => state.bookings.find((b) => b.id === id);
    const secondsBefore = bookingOf(before, target.id)?.secondsRemaining ?? 0;
    const secondsAfter = bookingOf(after, target.id)?.secondsRemaining ?? 0;
    const outcome = {
      row: row.id,
      settled: settled.hung ? "hung" : settled.ok ? "resolves" : "rejects",
      elapsedMs,
      requests: countOf(requests, call.method, call.path),
      tokenRequests: countOf(requests, "POST", "/token"),
      booked: after.bookings.length - before.bookings.length,
      topUps: Math.round((secondsAfter - secondsBefore) / 3600), // SMALL adds 3600 s
      retriesReported: retries.length,
      tokens: [setupToken],
    };
    if (settled.ok === false) {
      const e = settled.error;
      outcome.error = {
        name: e?.name, code: e?.code, status: e?.status, retryable: e?.retryable, retryAfterMs: e?.retryAfterMs,
        message: e?.message, isError: e instanceof Error,
      };
    }
    // Everything the caller could print, for the secrets check.
    outcome.exposed = [
      ...errorStrings(settled.error),
      ...retries.flatMap((r) => errorStrings(r.error)),
      ...clientStrings(client),
    ];
    for (const r of requests) {
      const auth = r.headers?.authorization;
      if (auth && /^Bearer /i.test(auth)) outcome.tokens.push(auth.slice(7).trim());
    }

    const followUp = await withTimeout(settle(followUpOf(row.kind, client, target, spare)), HANG_GUARD_MS);
    outcome.followUp = followUp.hung ? { ok: false, code: "hung" } : followUp.ok ? { ok: true } : { ok: false, code: followUp.error?.code, message: followUp.error?.message };
    if (!followUp.ok) outcome.exposed.push(...errorStrings(followUp.error));
    const { requests: later } = await admin("GET", "requests");
    for (const r of later) {
      const auth = r.headers?.authorization;
      if (auth && /^Bearer /i.test(auth)) outcome.tokens.push(auth.slice(7).trim());
    }
    outcome.tokens = [...new Set(outcome.tokens)];
    outcome.console = consoleSeen;
    Object.defineProperty(outcome, "live", { value: { error: settled.error, retries, client }, enumerable: false });
    return outcome;
  } finally {
    for (const m of Object.keys(saved)) console[m] = saved[m];
  }
}

/** What is wrong with an outcome, as a list of sentences (empty when the row holds). */
export function checkOutcome(row, outcome) {
  const e = row.expect;
  const problems = [];
  const want = (what, actual, expected) => { if (actual !== expected) problems.push(`${what}: expected ${expected}, got ${actual}`); };
  want("outcome", outcome.settled, e.outcome);
  if (e.outcome === "rejects" && outcome.error) {
    want("code", outcome.error.code, e.code);
    want("error is a ProximusError (name)", outcome.error.name, "ProximusError");
    want("error instanceof Error", outcome.error.isError, true);
    if (e.status !== undefined) want("status", outcome.error.status, e.status);
    if (e.retryAfterMs !== undefined) want("retryAfterMs", outcome.error.retryAfterMs, e.retryAfterMs);
  }
  want(`requests that reached ${row.kind}'s route`, outcome.requests, e.requests);
  if (row.kind !== "token") want("requests to /token during the call", outcome.tokenRequests, e.tokenRequests ?? 0);
  want("bookings created by the call", outcome.booked, e.booked ?? 0);
  if (outcome.booked > 1) problems.push(`DUPLICATE BOOKING: ${outcome.booked} bookings from one call`);
  if (row.kind === "put" || e.topUps !== undefined) want("top-ups applied", outcome.topUps, e.topUps ?? 0);
  if (outcome.topUps > 1) problems.push(`DUPLICATE TOP-UP: ${outcome.topUps} top-ups from one call`);
  // Every retry is reported to onRetry (a 401's token refresh is not a retry).
  const attempts = row.onToken ? (row.kind === "token" ? outcome.requests : outcome.tokenRequests) : outcome.requests;
  const refreshes = !row.onToken && row.kind !== "token" ? (e.tokenRequests ?? 0) : 0;
  want("onRetry calls", outcome.retriesReported, Math.max(0, attempts - 1 - refreshes));
  if (e.minElapsedMs !== undefined && outcome.elapsedMs < e.minElapsedMs) problems.push(`elapsed ${outcome.elapsedMs} ms, expected at least ${e.minElapsedMs} (Retry-After honoured)`);
  if (e.maxElapsedMs !== undefined && outcome.elapsedMs > e.maxElapsedMs) problems.push(`elapsed ${outcome.elapsedMs} ms, expected at most ${e.maxElapsedMs}`);
  if (!outcome.followUp?.ok) problems.push(`client unusable afterwards: the follow-up call failed (${outcome.followUp?.code}: ${outcome.followUp?.message})`);
  return problems;
}

/** The secrets of a case: client secret, every token seen, the hidden number in every form. */
export function secretsOf(box, outcome, moreTokens = []) {
  return [box.clientSecret, ...outcome.tokens, ...moreTokens, ...DESTINATION_FORMS].filter((s) => typeof s === "string" && s.length >= 6);
}

/** Which secrets appear in which of `strings` (labelled pairs), as sentences. */
export function findLeaks(labelled, secrets) {
  const leaks = [];
  for (const [label, text] of labelled) {
    const found = secrets.filter((secret) => String(text).includes(secret));
    if (found.length) leaks.push(`${label} contains ${found.map((s) => JSON.stringify(s.slice(0, 8) + "…")).join(", ")}: ${JSON.stringify(String(text).slice(0, 200))}`);
  }
  return leaks;
}
