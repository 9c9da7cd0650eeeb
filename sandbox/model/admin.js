// The /_sandbox/ routes: what the real platform does on its own (time passing, buyers calling,
// bad days), plus a look inside. No auth: the sandbox listens on loopback.
import { badRequest, empty, iso, json, methodNotAllowed, notFound, parseJsonObject } from "./http.js";
import { parseFault } from "./faults.js";
import { adminBooking, simulateCall } from "./bookings.js";
import { tokenSummary } from "./tokens.js";
import { parseSyntheticBookings } from "./synthetic.js";

const MAX_ADVANCE_SECONDS = 20 * 365 * 86_400;

function optionalJson(text) {
  return text && text.trim() ? parseJsonObject(text) : {};
}

function parseConfig(ctx, text) {
  const b = parseJsonObject(text);
  const config = ctx.state.config;
  if (b.latencyMs !== undefined) {
    if (!Number.isInteger(b.latencyMs) || b.latencyMs < 0 || b.latencyMs > 600_000) throw badRequest("latencyMs must be an integer from 0 to 600000");
    config.latencyMs = b.latencyMs;
  }
  if (b.rateLimit !== undefined) {
    if (b.rateLimit === null || b.rateLimit === false) config.rateLimit = null;
    else {
      const r = b.rateLimit;
      if (typeof r !== "object" || Array.isArray(r)) throw badRequest("rateLimit must be an object {requests, perSeconds} or null");
      if (!Number.isInteger(r.requests) || r.requests < 1) throw badRequest("rateLimit.requests must be a positive integer");
      const per = r.perSeconds === undefined ? 1 : r.perSeconds;
      if (typeof per !== "number" || !(per > 0) || !Number.isFinite(per)) throw badRequest("rateLimit.perSeconds must be a positive number");
      config.rateLimit = { requests: r.requests, perSeconds: per };
    }
    ctx.state.throttle = { windowStart: 0, count: 0 };
  }
  if (b.syntheticBookings !== undefined) {
    // Benchmarks only (synthetic.js); the key is absent from the config until set.
    const n = parseSyntheticBookings(b.syntheticBookings);
    if (n > 0) config.syntheticBookings = n;
    else delete config.syntheticBookings;
  }
  return config;
}

function stateView(ctx) {
  const { state } = ctx;
  const now = ctx.now();
  const fmu = {};
  for (const [n, e] of Object.entries(state.fmu.numbers)) fmu[n] = { status: e.status, fmuActive: e.fmuActive };
  return {
    now: new Date(now).toISOString(),
    tokens: tokenSummary(state, now, ctx.permanentTokens),
    fmu,
    fmuCallbackUrl: state.fmu.callbackUrl,
    bookings: state.bookings.map((b) => adminBooking(b, now)),
    cdrs: state.cdrs.map((c) => ({ id: c.id, timestamp: iso(c.at), duration: c.duration, source: c.source, service: c.service })),
    callbacks: state.callbacks.map((c) => ({ ...c })),
    faults: state.faults.map((f) => ({ ...f })),
    config: state.config,
  };
}

/**
 * @param {object} ctx    the per-request context (state, clock, callbacks, reset)
 * @param {string} method
 * @param {URL} url
 * @param {string} text   the request body
 */
export function admin(ctx, method, url, text) {
  const path = url.pathname.replace(/\/+$/, "");
  const only = (allowed) => { if (!allowed.includes(method)) throw methodNotAllowed(method, allowed); };
  switch (path) {
    case "/_sandbox/reset":
      only(["POST"]);
      ctx.reset();
      return json(200, {});
    case "/_sandbox/clock": {
      only(["GET", "POST"]);
      if (method === "POST") {
        const b = optionalJson(text);
        const s = b.advanceSeconds;
        if (typeof s !== "number" || !Number.isFinite(s) || s < 0 || s > MAX_ADVANCE_SECONDS) {
          throw badRequest("advanceSeconds must be a number of seconds, 0 or more");
        }
        ctx.state.clockOffsetMs += Math.round(s * 1000);
      }
      return json(200, { now: new Date(ctx.now()).toISOString() });
    }
    case "/_sandbox/faults":
      only(["GET", "POST", "DELETE"]);
      if (method === "GET") return json(200, { faults: ctx.state.faults });
      if (method === "DELETE") { ctx.state.faults.length = 0; return empty(204); }
      {
        const fault = parseFault(text);
        ctx.state.faults.push(fault);
        return json(201, { id: fault.id });
      }
    case "/_sandbox/config":
      only(["GET", "POST"]);
      return json(200, method === "POST" ? parseConfig(ctx, text) : ctx.state.config);
    case "/_sandbox/requests": {
      only(["GET", "DELETE"]);
      if (method === "DELETE") { ctx.state.requests.length = 0; return empty(204); }
      const prefix = url.searchParams.get("path");
      const requests = prefix ? ctx.state.requests.filter((r) => r.path.startsWith(prefix)) : ctx.state.requests;
      return json(200, { requests });
    }
    case "/_sandbox/state":
      only(["GET"]);
      return json(200, stateView(ctx));
    case "/_sandbox/calls":
      only(["POST"]);
      return simulateCall(ctx, text);
    default:
      throw notFound(`no sandbox admin route ${path}`);
  }
}

