// The marketplace demo's Worker: holds the credentials (env bindings), uses proximus-api, keeps
// its state in Workers KV (binding KV) and serves the page plus a small JSON API. The package's
// browser files, which the page loads from /pkg/, are static assets (wrangler.jsonc). Each
// listing's number is booked in its own Durable Object (binding BOOKINGS, class Bookings); a Cron
// Trigger deletes orphaned bookings.
//
// The sellers' real numbers live here only: no HTML and no API response ever carries one (the
// seller view shows them masked, call events are stored without their `destination`).
import {
  ProximusError,
  formatMsisdn,
  maskMsisdn,
  parseCallEvent,
  parseFmuCallback,
  signCallbackUrl,
  verifyCallbackUrl,
} from "proximus-api";
import INDEX_HTML from "../public/index.html";
import STYLE_CSS from "../public/style.css";
import APP_JS from "../public/app.js";
import SELL_JS from "../public/sell.js";
import { ID, MAX_NEW_LISTINGS, addListing, allListings, findListing, readListing } from "./listings.js";
import { newClient } from "./client.js";
import { allCalls, callLog, receiveCallEvent } from "./calls.js";
import { cleanUpOrphans, lastCleanUp } from "./cleanup.js";

// wrangler binds the Durable Object class from the main module.
export { Bookings } from "./bookings.js";

/** The FMU team: the sandbox's 60 seeded numbers. */
const TEAM = Array.from({ length: 60 }, (_, i) => `32478000${String(i + 1).padStart(3, "0")}`);
const TEAM_SET = new Set(TEAM);
const STATUSES = ["PROFESSIONAL", "PRIVATE", "ON_DUTY"];

/** Per isolate (miniflare runs one): the running FMU job, read by the page's polling. */
let fmuJob = null;

/**
 * One client per isolate, made from the first request's env (a Worker is handed env with each
 * request; its bindings do not change between requests): its token, its in-flight /token request
 * and its concurrency limit then serve every request. The token itself is shared with the other
 * isolates through KV.
 */
let proximus = null;
function client(env) {
  proximus ??= newClient(env);
  return proximus;
}

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

/** A failure as a sentence a person can act on. */
function sentence(e) {
  // A POST /bookings whose answer was lost may have booked: asked again, ensure adopts that booking.
  if (e instanceof ProximusError && e.outcome === "unknown") {
    return "The Proximus platform's answer was lost: try again: the number may already be booked.";
  }
  if (e instanceof ProximusError) {
    switch (e.code) {
      case "network":
      case "unavailable":
      case "timeout":
        return "The Proximus platform cannot be reached right now (is the sandbox running?). Try again in a moment.";
      case "rate_limited":
        return `Too many requests to the Proximus platform: try again in ${Math.ceil((e.retryAfterMs ?? 1000) / 1000)} s.`;
      case "unauthorized":
      case "forbidden":
        return "The Worker's Proximus credentials were refused.";
      case "conflict":
        return e.serviceCode === "NO_NUMBER_AVAILABLE"
          ? "No temporary number is available right now."
          : `The platform refused the change: ${e.message}`;
      case "not_found":
        return "That number or booking no longer exists.";
      default:
        return `Something went wrong with the Proximus platform: ${e.message}`;
    }
  }
  return `Something went wrong: ${e?.message ?? e}`;
}

const errorResponse = (e) => {
  const p = e instanceof ProximusError ? e : null;
  const status = p?.code === "rate_limited" ? 429 : p?.outcome === "unknown" ? 503 : 502;
  return json({ error: sentence(e) }, status);
};

/**
 * The booking of a listing (ensure: reused, topped up or booked anew), or null if the seller
 * stopped it. The one place a listing gets its temporary number, the seeded and the new alike.
 * It runs in the listing's Durable Object, whichever isolate asks: one booking per listing.
 */
async function ensureBooking(env, origin, listing) {
  if (await env.KV.get(`stopped:${listing.id}`)) return null;
  const c = client(env);
  // The token first, here: saved in KV, the listings' objects find it there instead of each
  // asking /token at once.
  await c.tokens.get();
  return c.bookings.ensure({
    key: `listing:${listing.id}`,
    coordinator: env.BOOKINGS,
    destination: listing.destination,
    usagePlan: "SMALL",
    callbackUrl: signCallbackUrl(`${origin}/callbacks/calls`, env.CALLBACK_SECRET, { context: listing.id }),
  });
}

/** The public face of a listing: never its destination. */
function publicListing(listing, booking) {
  return {
    id: listing.id,
    title: listing.title,
    price: listing.price,
    seller: listing.seller,
    temporaryNumber: booking ? formatMsisdn(booking.service) : null,
    stopped: !booking,
  };
}

function bookingView(b) {
  return {
    temporaryNumber: formatMsisdn(b.service),
    usagePlan: b.usagePlan ?? null,
    endTime: b.endTime instanceof Date ? b.endTime.toISOString() : String(b.endTime),
    minutesRemaining: b.secondsRemaining == null ? null : Math.floor(b.secondsRemaining / 60),
    callsRemaining: b.callsRemaining ?? null,
  };
}

/**
 * The platform's own call records of a temporary number. Records carry no booking id, only the
 * number called (`service`), so they are matched on that; the caller's number is masked.
 */
async function platformRecords(env, service) {
  const records = [];
  for await (const r of client(env).cdrs.list({ pageSize: 100 })) {
    if (r.service === service) records.push({ timestamp: r.timestamp.toISOString(), duration: r.duration ?? null, caller: r.source ? maskMsisdn(r.source) : "unknown" });
  }
  return records;
}

async function sellerListing(env, origin, listing) {
  const booking = await ensureBooking(env, origin, listing);
  return {
    records: booking ? await platformRecords(env, booking.service) : [],
    id: listing.id,
    title: listing.title,
    price: listing.price,
    maskedNumber: maskMsisdn(listing.destination),
    booking: booking ? bookingView(booking) : null,
    calls: await callLog(env.KV, listing.id),
  };
}

async function fmuBoard(env) {
  const statuses = await Promise.all(TEAM.map(async (m) => [m, await env.KV.get(`fmu:${m}`, "json")]));
  return statuses.map(([msisdn, s]) => ({
    msisdn,
    display: formatMsisdn(msisdn),
    status: s?.status ?? null,
    error: s?.error ?? null,
  }));
}

function jobView() {
  if (!fmuJob) return null;
  const { id, status, done, total, finished, error, failedNumbers } = fmuJob;
  return { id, status, done, total, finished, error, failedNumbers };
}

function startFmuJob(env, ctx, origin, status, kind) {
  const id = crypto.randomUUID();
  fmuJob = { id, status, done: 0, total: TEAM.length, finished: false, error: null, failedNumbers: 0 };
  const job = fmuJob;
  // The signed context carries what was asked, so each callback knows the status it confirms.
  const callbackUrl = signCallbackUrl(`${origin}/callbacks/fmu`, env.CALLBACK_SECRET, { context: kind === "get" ? "get" : `set:${status}` });
  const options = { callbackUrl, concurrency: 4, onProgress: ({ done, total }) => { job.done = done; job.total = total; } };
  const c = client(env);
  const run = (kind === "get" ? c.fmu.getStatuses(TEAM, options) : c.fmu.setStatuses(TEAM, status, options))
    .then((r) => {
      job.failedNumbers = r.failedNumbers;
      if (r.failedChunks > 0) job.error = sentence(r.chunks.find((ch) => ch.error)?.error ?? "a chunk failed");
      job.done = job.total;
    })
    .catch((e) => { job.error = sentence(e); })
    .finally(() => { job.finished = true; });
  ctx.waitUntil(run);
  return job;
}

async function handleApi(request, env, ctx, url) {
  const origin = url.origin;
  const path = url.pathname;
  const method = request.method;

  if (path === "/api/listings" && method === "GET") {
    const all = await allListings(env.KV);
    const results = await Promise.allSettled(all.map((l) => ensureBooking(env, origin, l)));
    const failed = results.find((r) => r.status === "rejected");
    const listings = all.map((l, i) =>
      results[i].status === "fulfilled" ? publicListing(l, results[i].value) : { ...publicListing(l, null), stopped: false, error: sentence(results[i].reason) });
    return json({ listings, error: failed ? sentence(failed.reason) : null });
  }
  if (path === "/api/listings" && method === "POST") {
    const fields = readListing(await request.json().catch(() => null));
    if (fields.error) return json({ error: fields.error }, 400);
    const listing = await addListing(env.KV, fields);
    if (!listing) return json({ error: `The demo holds at most ${MAX_NEW_LISTINGS} new listings.` }, 409);
    return json({ listing: publicListing(listing, await ensureBooking(env, origin, listing)) }, 201);
  }
  if (path === "/api/calls" && method === "GET") {
    return json({ calls: await allCalls(env.KV) });
  }
  if (path === "/api/cleanup" && method === "POST") {
    return json({ report: await cleanUpOrphans(client(env), env.KV, Boolean(env.CLEANUP_DRY_RUN)) });
  }
  if (path === "/api/cleanup" && method === "GET") {
    return json({ report: await lastCleanUp(env.KV) });
  }
  let m = path.match(new RegExp(`^/api/listings/(${ID})/simulate-call$`));
  if (m && method === "POST") {
    const listing = await findListing(env.KV, m[1]);
    if (!listing) return json({ error: "No such listing." }, 404);
    const booking = await ensureBooking(env, origin, listing);
    if (!booking) return json({ error: "The seller stopped this number: calls are no longer forwarded." }, 409);
    const source = `3247${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    let res;
    try {
      res = await fetch(`${env.PROXIMUS_BASE_URL}/_sandbox/calls`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ service: booking.service, source, duration: 30 + Math.floor(Math.random() * 240) }),
      });
    } catch {
      return json({ error: "The sandbox cannot be reached right now (is it running?)." }, 502);
    }
    if (!res.ok) return json({ error: `The sandbox refused the simulated call (HTTP ${res.status}).` }, 502);
    const body = await res.json();
    return json({ outcome: body.outcome });
  }
  m = path.match(/^\/api\/sellers\/([^/]+)$/);
  if (path === "/api/sellers" && method === "GET") {
    return json({ sellers: [...new Set((await allListings(env.KV)).map((l) => l.seller))] });
  }
  if (m && method === "GET") {
    const seller = decodeURIComponent(m[1]);
    const mine = (await allListings(env.KV)).filter((l) => l.seller === seller);
    if (!mine.length) return json({ error: "No such seller." }, 404);
    return json({ seller, listings: await Promise.all(mine.map((l) => sellerListing(env, origin, l))) });
  }
  m = path.match(new RegExp(`^/api/listings/(${ID})/(top-up|stop|restart)$`));
  if (m && method === "POST") {
    const listing = await findListing(env.KV, m[1]);
    if (!listing) return json({ error: "No such listing." }, 404);
    const c = client(env);
    if (m[2] === "restart") {
      await env.KV.delete(`stopped:${listing.id}`);
      return json(await sellerListing(env, origin, listing));
    }
    const bookingId = await env.KV.get(`listing:${listing.id}`);
    if (!bookingId || (await env.KV.get(`stopped:${listing.id}`))) return json({ error: "This listing has no active number." }, 409);
    if (m[2] === "top-up") {
      await c.bookings.update(bookingId, { usagePlan: "MEDIUM" });
    } else {
      await c.bookings.delete(bookingId);
      await env.KV.put(`stopped:${listing.id}`, "1");
    }
    return json(await sellerListing(env, origin, listing));
  }
  if (path === "/api/fmu" && method === "GET") {
    let board = await fmuBoard(env);
    if (board.every((n) => n.status === null) && !fmuJob) startFmuJob(env, ctx, origin, null, "get");
    return json({ team: board, job: jobView() });
  }
  if (path === "/api/fmu/switch" && method === "POST") {
    const { status } = await request.json().catch(() => ({}));
    if (!STATUSES.includes(status)) return json({ error: `Choose one of ${STATUSES.join(", ")}.` }, 400);
    if (fmuJob && !fmuJob.finished) return json({ error: "A team switch is already running: wait for it to finish." }, 409);
    startFmuJob(env, ctx, origin, status, "set");
    return json({ job: jobView() }, 202);
  }
  return json({ error: "Not found." }, 404);
}

async function handleCallback(request, env, url) {
  if (request.method !== "POST") return new Response("method not allowed", { status: 405 });
  let verified;
  try {
    verified = verifyCallbackUrl(request.url, env.CALLBACK_SECRET);
  } catch (e) {
    return json({ error: e instanceof ProximusError ? e.message : "refused" }, 401);
  }
  const text = await request.text();
  if (url.pathname === "/callbacks/calls") {
    const listing = await findListing(env.KV, verified.context ?? "");
    if (!listing) return json({ error: "unknown listing" }, 400);
    let event;
    try {
      event = parseCallEvent(text);
    } catch {
      return json({ error: "unreadable call event" }, 400);
    }
    try {
      // A completed call is checked against the number the listing holds: the event only names a
      // booking id, which a forger can copy. A listing without a number takes no calls.
      const booking = event.kind === "completed" ? await ensureBooking(env, url.origin, listing) : null;
      if (event.kind === "completed" && !booking) return json({ error: "this listing has no number" }, 403);
      const status = await receiveCallEvent(client(env), env.KV, listing.id, event, booking?.service);
      return status === 204 ? new Response(null, { status }) : json({ error: "the platform has no record of this call" }, status);
    } catch (e) {
      // The platform could not answer (proves nothing either way): it sends the event again.
      return json({ error: sentence(e) }, 503);
    }
  }
  if (url.pathname === "/callbacks/fmu") {
    let cb;
    try {
      cb = parseFmuCallback(text);
    } catch {
      return json({ error: "unreadable FMU callback" }, 400);
    }
    const target = verified.context?.startsWith("set:") ? verified.context.slice(4) : null;
    if (!TEAM_SET.has(cb.results[0]?.msisdn ?? "")) return json({ error: "not our team" }, 400);
    await Promise.all(cb.results.map(async (r) => {
      if (!TEAM_SET.has(r.msisdn)) return;
      const prev = (await env.KV.get(`fmu:${r.msisdn}`, "json")) ?? {};
      let next;
      if (cb.type === "GET_STATUS") {
        if (prev.status) return; // a late read never overwrites a switch already confirmed
        next = r.status ? { status: r.status } : { error: r.errorMessage ?? "unknown" };
      } else {
        next = r.success && STATUSES.includes(target) ? { status: target } : { ...prev, error: r.errorMessage ?? "refused" };
      }
      await env.KV.put(`fmu:${r.msisdn}`, JSON.stringify(next));
    }));
    return new Response(null, { status: 204 });
  }
  return new Response("not found", { status: 404 });
}

const STATIC = {
  "/": [INDEX_HTML, "text/html; charset=utf-8"],
  "/index.html": [INDEX_HTML, "text/html; charset=utf-8"],
  "/style.css": [STYLE_CSS, "text/css; charset=utf-8"],
  "/app.js": [APP_JS, "text/javascript; charset=utf-8"],
  "/sell.js": [SELL_JS, "text/javascript; charset=utf-8"],
};

export default {
  /** @param {Request} request @param {{ KV: KVNamespace, BOOKINGS: DurableObjectNamespace, PROXIMUS_BASE_URL: string, PROXIMUS_CLIENT_ID: string, PROXIMUS_CLIENT_SECRET: string, CALLBACK_SECRET: string }} env */
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/callbacks/")) return handleCallback(request, env, url);
    if (url.pathname.startsWith("/api/")) {
      try {
        return await handleApi(request, env, ctx, url);
      } catch (e) {
        return errorResponse(e);
      }
    }
    const asset = request.method === "GET" && STATIC[url.pathname];
    if (asset) return new Response(asset[0], { headers: { "content-type": asset[1], "cache-control": "no-store" } });
    return new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });
  },

  /** The Cron Trigger (every 30 minutes, wrangler.jsonc): orphans an hour old are deleted. */
  async scheduled(_controller, env) {
    await cleanUpOrphans(client(env), env.KV, Boolean(env.CLEANUP_DRY_RUN));
  },
};
