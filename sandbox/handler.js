// The Proximus platform simulator as one web-standard handler (Request → Promise<Response>)
// around an in-memory model. No Node built-ins here: the same code runs in Node (server.js,
// index.js), in-process as a `fetch` for tests, and in a Cloudflare Worker (worker.js).
import {
  ConnectionDrop, HttpError, PREFLIGHT_HEADERS, badRequest, gatewayFault, json,
  methodNotAllowed, notFound, readBody, serviceError, sleep,
} from "./model/http.js";
import { seededState } from "./model/seed.js";
import { postRevoke, postToken, requireBearer } from "./model/tokens.js";
import { getStatus, postCallback, putStatus } from "./model/fmu.js";
import {
  createBooking, deleteBooking, getBooking, getCdr, listBookings, listCdrs, updateBooking,
} from "./model/bookings.js";
import { faultResponse, hang, peekFault, takeFault, trickle } from "./model/faults.js";
import { CallbackQueue } from "./model/callbacks.js";
import { admin } from "./model/admin.js";

export const DEFAULT_CREDENTIALS = Object.freeze({
  clientId: "sandbox-client",
  clientSecret: "sandbox-secret",
  permanentToken: "sandbox-permanent-token",
});

export const FMU_BASE = "/fmu/1.0.0";
export const RENTED_BASE = "/rentednumbers/1.0.0";
const MAX_LOGGED_REQUESTS = 5000;
const ORIGIN = "http://sandbox.local";

/** Route table: [pattern, API name (null = no bearer needed), { METHOD: (ctx, req) => Response }]. */
const ROUTES = [
  ["/token", null, { POST: (c, r) => postToken(c, r.request, r.text) }, true],
  ["/revoke", null, { POST: (c, r) => postRevoke(c, r.request, r.text) }, true],
  [`${FMU_BASE}/status`, FMU_BASE, {
    GET: (c, r) => getStatus(c, r.url),
    PUT: (c, r) => putStatus(c, r.text),
  }],
  [`${FMU_BASE}/callback`, FMU_BASE, { POST: (c, r) => postCallback(c, r.text) }],
  [`${RENTED_BASE}/bookings`, RENTED_BASE, {
    GET: (c, r) => listBookings(c, r.url),
    POST: (c, r) => createBooking(c, r.text),
  }],
  [new RegExp(`^${RENTED_BASE}/bookings/([^/]+)$`), RENTED_BASE, {
    GET: (c, r) => getBooking(c, r.params[0]),
    PUT: (c, r) => updateBooking(c, r.params[0], r.text),
    DELETE: (c, r) => deleteBooking(c, r.params[0]),
  }],
  [`${RENTED_BASE}/cdr`, RENTED_BASE, { GET: (c, r) => listCdrs(c, r.url) }],
  [new RegExp(`^${RENTED_BASE}/cdr/([^/]+)$`), RENTED_BASE, { GET: (c, r) => getCdr(c, r.params[0]) }],
];

function matchRoute(path) {
  for (const [pattern, api, methods, oauth] of ROUTES) {
    if (typeof pattern === "string") {
      if (pattern === path) return { api, methods, oauth: !!oauth, params: [] };
    } else {
      const m = pattern.exec(path);
      if (m) return { api, methods, oauth: !!oauth, params: m.slice(1) };
    }
  }
  return null;
}

function logRequest(state, request, url, text, tooLarge, now) {
  const headers = {};
  for (const [k, v] of request.headers) headers[k] = v;
  const entry = {
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: text,
    at: new Date(now).toISOString(),
  };
  if (tooLarge) entry.bodyTooLarge = true;
  state.requests.push(entry);
  if (state.requests.length > MAX_LOGGED_REQUESTS) state.requests.splice(0, state.requests.length - MAX_LOGGED_REQUESTS);
}

/** Fixed-window throttling on the sandbox clock; throws the gateway's 429. */
function throttle(ctx) {
  const rl = ctx.state.config.rateLimit;
  if (!rl) return;
  const t = ctx.state.throttle;
  const now = ctx.now();
  const windowMs = rl.perSeconds * 1000;
  if (now < t.windowStart || now - t.windowStart >= windowMs) { t.windowStart = now; t.count = 0; }
  if (t.count >= rl.requests) {
    const retryAfter = Math.max(1, Math.ceil((t.windowStart + windowMs - now) / 1000));
    throw new HttpError(429, gatewayFault(429, `You have exceeded your quota of ${rl.requests} requests per ${rl.perSeconds} s`),
      { "retry-after": String(retryAfter) });
  }
  t.count += 1;
}

/**
 * Creates one simulated platform.
 * @param {object} [options]
 * @param {string} [options.clientId]       default "sandbox-client"
 * @param {string} [options.clientSecret]   default "sandbox-secret"
 * @param {string} [options.permanentToken] default "sandbox-permanent-token"
 * @param {string[]} [options.permanentTokens] more permanent tokens
 * @param {number} [options.tokenLifetimeSeconds] default 3600
 * @param {number} [options.latencyMs]      added to every API answer, default 0
 * @param {Function} [options.deliver]      fetch used to POST callbacks, default globalThis.fetch
 * @param {() => number} [options.now]      epoch ms, default Date.now
 * @param {number[]} [options.callbackRetryDelaysMs] waits between delivery attempts, default [200, 1000, 3000]
 * @param {{warn: Function}} [options.logger] where delivery failures are logged, default console
 */
export function createSandbox(options = {}) {
  const opts = {
    clientId: options.clientId ?? DEFAULT_CREDENTIALS.clientId,
    clientSecret: options.clientSecret ?? DEFAULT_CREDENTIALS.clientSecret,
    permanentToken: options.permanentToken ?? DEFAULT_CREDENTIALS.permanentToken,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    latencyMs: options.latencyMs ?? 0,
    now: options.now ?? (() => Date.now()),
    deliver: options.deliver ?? ((...args) => globalThis.fetch(...args)),
    callbackRetryDelaysMs: options.callbackRetryDelaysMs ?? [200, 1000, 3000],
    logger: options.logger === undefined ? console : options.logger,
  };
  const permanentTokens = new Set([opts.permanentToken, ...(options.permanentTokens || [])].filter(Boolean));
  let state = seededState(opts);
  const callbacks = new CallbackQueue({
    state: () => state,
    deliver: opts.deliver,
    retryDelaysMs: opts.callbackRetryDelaysMs,
    logger: opts.logger,
    now: () => opts.now() + state.clockOffsetMs,
  });

  const base = {
    options: opts,
    permanentTokens,
    callbacks,
    get state() { return state; },
    now: () => opts.now() + state.clockOffsetMs,
    reset() { state = seededState(opts); },
    waitUntil: null,
  };

  async function route(request, exec) {
    const ctx = Object.create(base);
    if (exec && typeof exec.waitUntil === "function") ctx.waitUntil = (p) => exec.waitUntil(p);
    let url;
    try { url = new URL(request.url); } catch { throw badRequest("invalid request URL"); }
    const method = request.method.toUpperCase();
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;

    const isAdmin = path === "/_sandbox" || path.startsWith("/_sandbox/");
    if (method === "OPTIONS" && isAdmin) return new Response(null, { status: 204, headers: PREFLIGHT_HEADERS });

    const { text, tooLarge } = await readBody(request);
    if (isAdmin) {
      if (tooLarge) throw serviceError(413, "PAYLOAD_TOO_LARGE", "request body is larger than 64 KiB");
      return admin(ctx, method, url, text);
    }

    logRequest(ctx.state, request, url, text, tooLarge, ctx.now());
    const fault = takeFault(ctx.state, method, path);
    const delay = (fault?.latencyMs ?? 0) + ctx.state.config.latencyMs;
    if (delay > 0) {
      await sleep(delay, { signal: request.signal });
      if (request.signal?.aborted) throw new ConnectionDrop("client aborted");
    }
    const slow = (res) => (fault?.slowBodyMs ? trickle(res, fault.slowBodyMs, request.signal) : res);
    if (fault) {
      if (fault.refuse) throw new ConnectionDrop("refused");
      if (fault.drop === "before") throw new ConnectionDrop("before");
      if (fault.hang) return hang(request.signal);
      const res = faultResponse(fault);
      if (res) return slow(res);
    }
    if (method === "OPTIONS") return new Response(null, { status: 204, headers: PREFLIGHT_HEADERS });

    let response;
    try {
      response = await dispatch(ctx, request, url, method, path, text, tooLarge);
    } catch (err) {
      // A slow body slows error answers too.
      if (!(fault?.slowBodyMs && err instanceof HttpError)) throw err;
      response = json(err.status, err.body, err.headers);
    }
    if (fault?.drop === "after") throw new ConnectionDrop("after");
    return slow(response);
  }

  /**
   * For servers: takes a `refuse` fault matching a request head (method and target) before its
   * body is read, logging the request; true means "reset the connection, read nothing".
   */
  function takeRefusal(method, target) {
    let url;
    try { url = new URL(target, ORIGIN); } catch { return false; }
    const m = String(method).toUpperCase();
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) return false;
    if (!peekFault(state, m, path)?.refuse) return false;
    takeFault(state, m, path);
    logRequest(state, { method: m, headers: [] }, url, "", false, base.now());
    state.requests[state.requests.length - 1].refused = true;
    return true;
  }

  async function dispatch(ctx, request, url, method, path, text, tooLarge) {
    if (path === "/" && method === "GET") {
      return json(200, {
        service: "Proximus API Solutions sandbox",
        token: "/token", revoke: "/revoke", fmu: FMU_BASE, rentedNumbers: RENTED_BASE, admin: "/_sandbox/state",
      });
    }
    const match = matchRoute(path);
    if (!match) throw notFound(`no resource at ${path.slice(0, 200)}`);
    const handlerFn = match.methods[method];
    if (!handlerFn) throw methodNotAllowed(method, Object.keys(match.methods), match.oauth);
    if (tooLarge) {
      throw match.oauth
        ? new HttpError(413, { error: "invalid_request", error_description: "request body is larger than 64 KiB" })
        : serviceError(413, "PAYLOAD_TOO_LARGE", "request body is larger than 64 KiB");
    }
    throttle(ctx);
    if (match.api) requireBearer(ctx, request, match.api);
    return handlerFn(ctx, { request, url, text, params: match.params });
  }

  /** The web-standard handler. Throws ConnectionDrop when the connection must close unanswered. */
  async function handle(request, exec) {
    return dated(await answer(request, exec));
  }

  /** Every answer's `Date` is the sandbox clock's, as a platform's is its own: clients judge expiry by it. */
  function dated(response) {
    response.headers.set("date", new Date(base.now()).toUTCString());
    return response;
  }

  async function answer(request, exec) {
    try {
      return await route(request, exec);
    } catch (err) {
      if (err instanceof ConnectionDrop) throw err;
      if (err instanceof HttpError) return json(err.status, err.body, err.headers);
      opts.logger?.warn?.(`[sandbox] internal error: ${err?.stack || err}`);
      return json(500, { code: "INTERNAL_ERROR", message: "the sandbox failed to handle this request" });
    }
  }

  /** Like global fetch, with no sockets: a dropped connection rejects with TypeError("fetch failed"). */
  async function sandboxFetch(input, init) {
    if (typeof input === "string" && input.startsWith("/")) input = ORIGIN + input;
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const signal = request.signal;
    if (signal?.aborted) throw signal.reason ?? new DOMException("This operation was aborted", "AbortError");
    try {
      return await new Promise((resolve, reject) => {
        signal?.addEventListener?.("abort", () => reject(signal.reason ?? new DOMException("This operation was aborted", "AbortError")), { once: true });
        handle(request).then(resolve, reject);
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      if (err instanceof ConnectionDrop) throw new TypeError("fetch failed", { cause: err });
      throw err;
    }
  }

  return {
    fetch: sandboxFetch,
    handle,
    takeRefusal,
    get state() { return state; },
    reset: () => base.reset(),
    /** Resolves once every queued callback delivery (with retries) has finished. */
    idle: () => callbacks.idle(),
    now: () => base.now(),
    /** A JSON-safe copy of the model (for --state persistence). */
    snapshot: () => JSON.parse(JSON.stringify({ ...state, requests: [], faults: [] })),
    /** Replaces the model with a snapshot (unknown or missing parts fall back to the seed). */
    restore(snapshot) {
      const seeded = seededState(opts);
      state = { ...seeded, ...(snapshot && typeof snapshot === "object" ? snapshot : {}), requests: [], faults: [] };
    },
  };
}
