// Synthetic bookings, for benchmarks (not part of Proximus): `POST /_sandbox/config
// {"syntheticBookings": N}` makes `GET /bookings` list N generated active bookings after the real
// ones. They are made per page, never stored, so N may be far larger than the pool of temporary
// numbers (100). `0` or `null` turns it off; a reset clears it. Nothing else sees them (`GET
// /bookings/{id}` of a synthetic id is 404).
import { badRequest, iso } from "./http.js";

export const MAX_SYNTHETIC_BOOKINGS = 10_000_000;
const DAY = 86_400_000;

/** Reads the knob's value: a whole number from 0 to MAX_SYNTHETIC_BOOKINGS, or null (= 0). */
export function parseSyntheticBookings(value) {
  if (value === null) return 0;
  if (!Number.isInteger(value) || value < 0 || value > MAX_SYNTHETIC_BOOKINGS) {
    throw badRequest(`syntheticBookings must be an integer from 0 to ${MAX_SYNTHETIC_BOOKINGS}, or null`);
  }
  return value;
}

/** The i-th synthetic booking, in the public shape of a booking. */
export function syntheticBooking(i, now) {
  const n = String(i).padStart(8, "0");
  return {
    id: `bk_syn${n}`,
    service: String(3279000000 + (i % 1_000_000)),
    endTime: iso(Math.floor(now / 1000) * 1000 + 7 * DAY),
    secondsRemaining: 3600,
    callsRemaining: 25,
    destination: `3247${n}`,
    usagePlan: "SMALL",
  };
}

/** A page over `real` (public bookings) followed by `count` synthetic ones. */
export function pageWithSynthetic(real, count, page, size, now) {
  const total = real.length + count;
  const start = Math.min(page * size, total);
  const end = Math.min(start + size, total);
  const content = [];
  for (let i = start; i < end; i++) content.push(i < real.length ? real[i] : syntheticBooking(i - real.length, now));
  return { content, page, size, totalElements: total, totalPages: Math.ceil(total / size) };
}
