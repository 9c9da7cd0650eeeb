// Rented numbers: usage plans, bookings of temporary numbers (active → expired, 7 days of grace,
// then gone and the number back in the pool), call records, and a buyer calling a number.
import {
  badRequest, boolParam, checkCallbackUrl, empty, intParam, iso, json, notFound, pageOf,
  parseIso, parseJsonObject, randomHex, serviceError,
} from "./http.js";
import { POOL } from "./seed.js";
import { pageWithSynthetic } from "./synthetic.js";

const DAY = 86_400_000;
export const GRACE_MS = 7 * DAY;
export const PLANS = Object.freeze({
  SMALL: Object.freeze({ days: 7, seconds: 3600, calls: 25 }),
  MEDIUM: Object.freeze({ days: 30, seconds: 18000, calls: 100 }),
  LARGE: Object.freeze({ days: 90, seconds: 60000, calls: 500 }),
});
const DESTINATION = /^\d{8,15}$/;
const EXPIRED_MESSAGE = "Incoming call for expired booking";

/** Second precision, so that what we show (`iso`) is exactly what we compare. */
const floorSecond = (ms) => Math.floor(ms / 1000) * 1000;

function expiredAt(b) {
  return b.exhaustedAt === null ? b.endTime : Math.min(b.endTime, b.exhaustedAt);
}

/** "active" | "expired" (in its grace period) | "gone" (deleted, or grace over). */
export function bookingState(b, now) {
  if (b.deletedAt !== null) return "gone";
  const end = expiredAt(b);
  if (now < end) return "active";
  if (now < end + GRACE_MS) return "expired";
  return "gone";
}

export function publicBooking(b) {
  return {
    id: b.id,
    service: b.service,
    endTime: iso(b.endTime),
    secondsRemaining: b.secondsRemaining,
    callsRemaining: b.callsRemaining,
    destination: b.destination,
    usagePlan: b.usagePlan,
  };
}

export function adminBooking(b, now) {
  const end = expiredAt(b);
  return {
    ...publicBooking(b),
    callback: b.callback,
    state: bookingState(b, now),
    createdAt: iso(b.createdAt),
    expiredAt: now >= end ? iso(end) : null,
    graceEndsAt: iso(end + GRACE_MS),
    deletedAt: b.deletedAt === null ? null : iso(b.deletedAt),
  };
}

function plan(name) {
  if (typeof name !== "string" || !Object.hasOwn(PLANS, name)) {
    throw badRequest(`usagePlan must be one of ${Object.keys(PLANS).join(", ")}`);
  }
  return PLANS[name];
}

function freeNumber(state, now) {
  const held = new Set(state.bookings.filter((b) => bookingState(b, now) !== "gone").map((b) => b.service));
  return POOL.find((n) => !held.has(n) && !(state.quarantine[n] > now)) || null;
}

function findBooking(ctx, id) {
  const now = ctx.now();
  const b = ctx.state.bookings.find((x) => x.id === id);
  if (!b || bookingState(b, now) === "gone") throw notFound(`booking ${id.slice(0, 64)} not found`);
  return b;
}

/** POST /bookings */
export function createBooking(ctx, text) {
  const body = parseJsonObject(text);
  if (typeof body.destination !== "string" || !DESTINATION.test(body.destination)) {
    throw badRequest("destination must be a number in international form: 8 to 15 digits, no '+'");
  }
  const p = plan(body.usagePlan);
  const problem = checkCallbackUrl(body.callback, "callback");
  if (problem) throw badRequest(problem);
  const now = ctx.now();
  const service = freeNumber(ctx.state, now);
  if (!service) throw serviceError(503, "NO_NUMBER_AVAILABLE", "no temporary number is available right now");
  delete ctx.state.quarantine[service];
  const booking = {
    id: `bk_${randomHex(12)}`,
    service,
    destination: body.destination,
    usagePlan: body.usagePlan,
    callback: body.callback,
    secondsRemaining: p.seconds,
    callsRemaining: p.calls,
    endTime: floorSecond(now) + p.days * DAY,
    exhaustedAt: null,
    createdAt: now,
    deletedAt: null,
  };
  ctx.state.bookings.push(booking);
  return json(201, publicBooking(booking));
}

/** GET /bookings?includeExpired&page&size */
export function listBookings(ctx, url) {
  const includeExpired = boolParam(url.searchParams, "includeExpired", false);
  const page = intParam(url.searchParams, "page", 0, 0, 1_000_000);
  const size = intParam(url.searchParams, "size", 20, 1, 100);
  const now = ctx.now();
  const visible = ctx.state.bookings.filter((b) => {
    const s = bookingState(b, now);
    return s === "active" || (includeExpired && s === "expired");
  });
  const synthetic = ctx.state.config.syntheticBookings;
  if (synthetic) return json(200, pageWithSynthetic(visible.map(publicBooking), synthetic, page, size, now));
  const result = pageOf(visible, page, size);
  result.content = result.content.map(publicBooking);
  return json(200, result);
}

export function getBooking(ctx, id) {
  return json(200, publicBooking(findBooking(ctx, id)));
}

/** PUT /bookings/{id} {"usagePlan"}: adds the plan's amounts; renews an expired booking in grace. */
export function updateBooking(ctx, id, text) {
  const body = parseJsonObject(text);
  const p = plan(body.usagePlan);
  const b = findBooking(ctx, id);
  const now = ctx.now();
  b.secondsRemaining += p.seconds;
  b.callsRemaining += p.calls;
  b.endTime = Math.max(b.endTime, floorSecond(now) + p.days * DAY);
  b.exhaustedAt = null;
  b.usagePlan = body.usagePlan;
  return json(200, publicBooking(b));
}

/** DELETE /bookings/{id}: gone at once; the number is quarantined for the grace period. */
export function deleteBooking(ctx, id) {
  const b = findBooking(ctx, id);
  const now = ctx.now();
  b.deletedAt = now;
  ctx.state.quarantine[b.service] = now + GRACE_MS;
  return empty(204);
}

function publicCdr(c) {
  return { id: c.id, timestamp: iso(c.at), duration: c.duration, source: c.source, service: c.service };
}

function dateParam(params, name) {
  const raw = params.get(name);
  if (raw === null) return null;
  const ms = parseIso(raw);
  if (Number.isNaN(ms)) throw badRequest(`${name} must be an ISO-8601 date-time, e.g. 2026-11-23T10:00:00Z`);
  return ms;
}

/** GET /cdr?page&size&from&to (from inclusive, to exclusive) */
export function listCdrs(ctx, url) {
  const page = intParam(url.searchParams, "page", 0, 0, 1_000_000);
  const size = intParam(url.searchParams, "size", 20, 1, 100);
  const from = dateParam(url.searchParams, "from");
  const to = dateParam(url.searchParams, "to");
  if (from !== null && to !== null && from > to) throw badRequest("from must not be after to");
  const list = ctx.state.cdrs.filter((c) => (from === null || c.at >= from) && (to === null || c.at < to));
  const result = pageOf(list, page, size);
  result.content = result.content.map(publicCdr);
  return json(200, result);
}

export function getCdr(ctx, id) {
  const c = ctx.state.cdrs.find((x) => x.id === id);
  if (!c) throw notFound(`call record ${id.slice(0, 64)} not found`);
  return json(200, publicCdr(c));
}

/** POST /_sandbox/calls {service, source?, duration?}: a buyer calls a temporary number. */
export function simulateCall(ctx, text) {
  const body = parseJsonObject(text);
  if (typeof body.service !== "string" || !/^\d{6,15}$/.test(body.service)) throw badRequest("service must be a temporary number (digits)");
  const source = body.source === undefined ? "32470000001" : body.source;
  if (typeof source !== "string" || !/^\d{6,15}$/.test(source)) throw badRequest("source must be a number in international form");
  const duration = body.duration === undefined ? 42 : body.duration;
  if (!Number.isInteger(duration) || duration < 0 || duration > 86_400) throw badRequest("duration must be an integer number of seconds (0 to 86400)");
  const now = ctx.now();
  const booking = [...ctx.state.bookings].reverse().find((b) => b.service === body.service && bookingState(b, now) !== "gone");
  if (!booking) throw notFound(`no booking holds ${body.service}`);
  const timestamp = iso(now);
  if (bookingState(booking, now) !== "active") {
    ctx.callbacks.send(booking.callback, {
      timestamp, source, destination: booking.destination, bookingId: booking.id, message: EXPIRED_MESSAGE,
    }, ctx.waitUntil);
    return json(200, { outcome: "expired", booking: publicBooking(booking) });
  }
  const billed = Math.min(duration, booking.secondsRemaining);
  booking.secondsRemaining -= billed;
  booking.callsRemaining -= 1;
  if (booking.secondsRemaining <= 0 || booking.callsRemaining <= 0) booking.exhaustedAt = now;
  const cdr = { id: `cdr_${randomHex(12)}`, at: floorSecond(now), duration: billed, source, service: booking.service };
  ctx.state.cdrs.push(cdr);
  ctx.callbacks.send(booking.callback, {
    id: cdr.id, timestamp, duration: billed, source, destination: booking.destination, bookingId: booking.id,
  }, ctx.waitUntil);
  return json(200, { outcome: "completed", cdr: publicCdr(cdr), booking: publicBooking(booking) });
}
