// HTTP helpers shared by every route: JSON answers, the two error styles of the contract, CORS,
// bounded body reading, and the errors the transport turns into dropped or hung connections.
// Web-standard APIs only (Request, Response, Headers): this file also runs in a Worker.

/** Largest request body accepted, in bytes (bigger → 413). */
export const MAX_BODY_BYTES = 64 * 1024;

export const CORS_HEADERS = Object.freeze({
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Retry-After, Date",
});

export const PREFLIGHT_HEADERS = Object.freeze({
  ...CORS_HEADERS,
  "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
  "access-control-allow-headers": "Authorization, Content-Type, Accept",
  "access-control-max-age": "600",
});

/** Thrown (never answered) when the connection must close without an answer. */
export class ConnectionDrop extends Error {
  constructor(when) {
    super(`sandbox fault: connection dropped (${when})`);
    this.name = "ConnectionDrop";
    this.sandboxDrop = when;
  }
}

/** A failure that maps to one HTTP answer; routes throw it, the handler renders it. */
export class HttpError extends Error {
  constructor(status, body, headers = {}) {
    super(typeof body === "object" && body ? body.message || body.error_description || "" : String(body));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function json(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { ...CORS_HEADERS, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
  });
}

export function empty(status, headers = {}) {
  return new Response(null, { status, headers: { ...CORS_HEADERS, ...headers } });
}

/** Service-style error: `{"code":"VALIDATION_ERROR","message":"…"}`. */
export function serviceError(status, code, message, headers) {
  return new HttpError(status, { code, message }, headers);
}
export const badRequest = (message) => serviceError(400, "VALIDATION_ERROR", message);
export const notFound = (message) => serviceError(404, "NOT_FOUND", message);

/** RFC 6749 §5.2 error, used by /token and /revoke. */
export function oauthError(status, error, description, headers) {
  return new HttpError(status, { error, error_description: description }, headers);
}

const GATEWAY_MESSAGES = {
  401: [900901, "Invalid Credentials"],
  403: [900910, "The access token does not allow you to access the requested resource"],
  404: [404, "No matching resource found for given API Request"],
  429: [900800, "Message throttled out"],
  500: [101500, "Internal Server Error"],
  502: [101502, "Bad Gateway"],
  503: [101503, "Error connecting to the back end"],
  504: [101504, "Connection timed out"],
};

/** Gateway-style error body: `{"fault":{"code":N,"message":"…","description":"…"}}`. */
export function gatewayFault(status, description) {
  const [code, message] = GATEWAY_MESSAGES[status] || [status, "Sandbox fault"];
  return { fault: { code, message, description: description || `${message} (sandbox)` } };
}

export function methodNotAllowed(method, allowed, oauth = false) {
  const headers = { allow: allowed.join(", ") };
  const message = `method ${method} not allowed here; use ${allowed.join(" or ")}`;
  return oauth
    ? oauthError(405, "invalid_request", message, headers)
    : serviceError(405, "METHOD_NOT_ALLOWED", message, headers);
}

/**
 * Reads the body as text, refusing more than MAX_BODY_BYTES (413). Returns
 * `{ text, tooLarge }` so that the request log can still record what arrived.
 */
export async function readBody(request) {
  if (request.method === "GET" || request.method === "HEAD" || !request.body) return { text: "", tooLarge: false };
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    try { await request.body.cancel(); } catch { /* already gone */ }
    return { text: "", tooLarge: true };
  }
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  let tooLarge = false;
  for (;;) {
    let step;
    try { step = await reader.read(); } catch { break; }
    if (step.done) break;
    size += step.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      tooLarge = true;
      try { await reader.cancel(); } catch { /* ignore */ }
      break;
    }
    chunks.push(step.value);
  }
  if (tooLarge) return { text: "", tooLarge: true };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.byteLength; }
  return { text: new TextDecoder("utf-8", { fatal: false }).decode(bytes), tooLarge: false };
}

/** Parses a JSON object body or throws a 400 VALIDATION_ERROR. */
export function parseJsonObject(text) {
  if (!text || !text.trim()) throw badRequest("request body is missing; a JSON object is required");
  let value;
  try { value = JSON.parse(text); } catch { throw badRequest("request body is not valid JSON"); }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("request body must be a JSON object");
  }
  return value;
}

/** ISO-8601 UTC, second precision: `2026-11-23T10:00:00Z`. */
export function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** Parses a strict ISO date/date-time (no 30 February, no hour 25); returns epoch ms or NaN. */
export function parseIso(text) {
  const m = typeof text === "string" ? ISO_RE.exec(text) : null;
  if (!m) return NaN;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v)));
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || day.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) return NaN;
  // Date.parse reads a date-time without offset as local time; the platform speaks UTC.
  return Date.parse(m[4] !== undefined && m[7] === undefined ? `${text}Z` : text);
}

/** Random lower-case hex of `n` characters (Web Crypto: Node 20, browsers and Workers). */
export function randomHex(n) {
  const bytes = new Uint8Array(Math.ceil(n / 2));
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, n);
}

/** A callback URL is `https`, or `http` to a loopback host (local demos). */
export function checkCallbackUrl(value, field) {
  if (typeof value !== "string" || !value.trim()) return `${field} is required and must be a URL string`;
  let url;
  try { url = new URL(value); } catch { return `${field} is not a valid URL`; }
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return null;
  return `${field} must be an https URL (plain http is allowed only for loopback hosts)`;
}

export function isLoopback(hostname) {
  const h = hostname.toLowerCase();
  if (h === "localhost" || h === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Integer query parameter with bounds; absent → fallback; otherwise 400. */
export function intParam(params, name, fallback, min, max) {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be an integer between ${min} and ${max}`);
  const n = Number(raw);
  if (n < min || n > max) throw badRequest(`${name} must be an integer between ${min} and ${max}`);
  return n;
}

export function boolParam(params, name, fallback) {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw badRequest(`${name} must be true or false`);
}

/** Spring-style page of an array. */
export function pageOf(items, page, size) {
  return {
    content: items.slice(page * size, page * size + size),
    page,
    size,
    totalElements: items.length,
    totalPages: Math.ceil(items.length / size),
  };
}

/**
 * Waits `ms`. With `unref`, the timer does not keep a Node process alive (background work such as
 * callback retries); answers being delayed keep it alive. Workers return a number: no unref there.
 */
export function sleep(ms, { unref = false, signal } = {}) {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    if (unref && t && typeof t.unref === "function") t.unref();
    function done() { signal?.removeEventListener?.("abort", done); clearTimeout(t); resolve(); }
    signal?.addEventListener?.("abort", done, { once: true });
  });
}
