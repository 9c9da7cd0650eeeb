// Injected faults: what a real network and gateway do to a client on a bad day. Each fault
// matches a path (exactly, or as a prefix ending at a "/") and optionally a method, and is
// consumed one count per matching request.
import { ConnectionDrop, CORS_HEADERS, badRequest, gatewayFault, json, parseJsonObject, randomHex } from "./http.js";

const HUGE_BYTES = 2 * 1024 * 1024;
const BODIES = {
  malformed: { text: '{"msisdn": "3247', type: "application/json" },
  html: { text: "<html><body><h1>502 Bad Gateway</h1></body></html>", type: "text/html; charset=utf-8" },
  empty: { text: "", type: "application/json" },
};

function hugeText() {
  const row = '{"msisdn":"32477121212","isError":false,"status":"PRIVATE"},';
  return `{"padding":[${row.repeat(Math.ceil(HUGE_BYTES / row.length))}null]}`;
}

/** Validates a POST /_sandbox/faults body into a stored fault. */
export function parseFault(text) {
  const b = parseJsonObject(text);
  if (typeof b.path !== "string" || !b.path.startsWith("/")) throw badRequest("path is required and must start with /");
  const f = { id: `flt_${randomHex(12)}`, path: b.path, method: null, count: 1 };
  if (b.method !== undefined && b.method !== null) {
    if (typeof b.method !== "string" || !/^[A-Za-z]+$/.test(b.method)) throw badRequest("method must be an HTTP method name");
    f.method = b.method.toUpperCase();
  }
  if (b.count !== undefined) {
    if (!Number.isInteger(b.count) || b.count < 1) throw badRequest("count must be a positive integer");
    f.count = b.count;
  }
  if (b.status !== undefined) {
    if (!Number.isInteger(b.status) || b.status < 200 || b.status > 599) throw badRequest("status must be an integer from 200 to 599");
    f.status = b.status;
  }
  if (b.retryAfter !== undefined) {
    if (typeof b.retryAfter !== "number" || !(b.retryAfter >= 0) || !Number.isFinite(b.retryAfter)) throw badRequest("retryAfter must be a number of seconds");
    f.retryAfter = Math.ceil(b.retryAfter);
  }
  if (b.latencyMs !== undefined) {
    if (!Number.isInteger(b.latencyMs) || b.latencyMs < 0 || b.latencyMs > 600_000) throw badRequest("latencyMs must be an integer from 0 to 600000");
    f.latencyMs = b.latencyMs;
  }
  if (b.drop !== undefined) {
    if (b.drop !== "before" && b.drop !== "after") throw badRequest('drop must be "before" or "after"');
    f.drop = b.drop;
  }
  if (b.hang !== undefined) {
    if (typeof b.hang !== "boolean") throw badRequest("hang must be a boolean");
    f.hang = b.hang;
  }
  if (b.body !== undefined) {
    if (typeof b.body !== "string") throw badRequest('body must be "malformed", "html", "empty", "huge" or any string');
    f.body = b.body;
  }
  if (b.slowBodyMs !== undefined) {
    if (!Number.isInteger(b.slowBodyMs) || b.slowBodyMs < 1 || b.slowBodyMs > 600_000) throw badRequest("slowBodyMs must be an integer from 1 to 600000");
    f.slowBodyMs = b.slowBodyMs;
  }
  if (b.refuse !== undefined) {
    if (typeof b.refuse !== "boolean") throw badRequest("refuse must be a boolean");
    f.refuse = b.refuse;
  }
  if (b.contentType !== undefined) {
    if (typeof b.contentType !== "string" || !b.contentType) throw badRequest("contentType must be a string");
    f.contentType = b.contentType;
  }
  return f;
}

function pathMatches(pattern, path) {
  if (pattern === "/" || pattern === path) return true;
  return path.startsWith(pattern.endsWith("/") ? pattern : `${pattern}/`);
}

function findFault(state, method, path) {
  return state.faults.findIndex((f) =>
    pathMatches(f.path, path) && (f.method ? f.method === method : method !== "OPTIONS"));
}

/** The first fault matching this request, not consumed, or null. */
export function peekFault(state, method, path) {
  return state.faults[findFault(state, method, path)] ?? null;
}

/** Takes one count of the first fault matching this request, or returns null. */
export function takeFault(state, method, path) {
  const i = findFault(state, method, path);
  if (i < 0) return null;
  const f = state.faults[i];
  f.count -= 1;
  if (f.count <= 0) state.faults.splice(i, 1);
  return f;
}

/** The answer a fault gives instead of the real one (status and/or body), or null to act. */
export function faultResponse(f) {
  const headers = { ...CORS_HEADERS };
  if (f.retryAfter !== undefined) headers["retry-after"] = String(f.retryAfter);
  if (f.body !== undefined) {
    const known = f.body === "huge" ? { text: hugeText(), type: "application/json" } : BODIES[f.body];
    const text = known ? known.text : f.body;
    const type = f.contentType || (known ? known.type : "text/plain; charset=utf-8");
    headers["content-type"] = type;
    const status = f.status ?? (f.body === "html" ? 502 : 200);
    return new Response(text === "" || status === 204 || status === 205 ? null : text, { status, headers });
  }
  if (f.status !== undefined) {
    if (f.status === 204 || f.status === 205) return new Response(null, { status: f.status, headers });
    const res = json(f.status, gatewayFault(f.status, `Injected sandbox fault (${f.id})`), headers);
    if (f.contentType) res.headers.set("content-type", f.contentType);
    return res;
  }
  return null;
}

/** Never answers; settles only when the request is aborted (client gone, server closing). */
export function hang(signal) {
  return new Promise((_, reject) => {
    if (!signal) return;
    const gone = () => reject(new ConnectionDrop("hang aborted"));
    if (signal.aborted) gone();
    else signal.addEventListener("abort", gone, { once: true });
  });
}

const TRICKLE_PIECES = 10;

/**
 * The same answer, its headers at once and its body trickled out in pieces over `ms`
 * milliseconds (a slow body). Stops when `signal` aborts (the client went away).
 */
export async function trickle(response, ms, signal) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const pieces = Math.max(1, Math.min(TRICKLE_PIECES, bytes.length));
  const step = Math.ceil(bytes.length / pieces);
  let sent = 0;
  let timer = null;
  const stream = new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => {
        const done = () => { clearTimeout(timer); signal?.removeEventListener?.("abort", done); resolve(); };
        timer = setTimeout(done, ms / pieces);
        signal?.addEventListener?.("abort", done, { once: true });
      });
      if (signal?.aborted) { controller.error(new ConnectionDrop("slow body aborted")); return; }
      if (sent >= bytes.length) { controller.close(); return; }
      controller.enqueue(bytes.slice(sent, sent + step));
      sent += step;
    },
    cancel() { clearTimeout(timer); },
  });
  const slow = new Response(response.status === 204 || response.status === 205 || response.status === 304 ? null : stream, {
    status: response.status,
    headers: response.headers,
  });
  // server.js streams an answer marked so instead of buffering it.
  Object.defineProperty(slow, "sandboxStream", { value: { length: bytes.length } });
  return slow;
}
