// The seeded platform: the numbers the two API documents use, more FMU mobiles so bulk chunking
// shows, one mobile without the FMU option, and the pool of temporary numbers to rent out.

/** The FMU mobile that exists but has no FMU option ("FMU option not active"). */
export const FMU_INACTIVE = "32470000099";

export const FMU_DOCUMENTED = ["32477121212", "32471121212", "32471121213"];
export const FMU_EXTRA = ["32470000001", "32475000001", "32475000002", "32476123456"];
export const FMU_BULK = Array.from({ length: 60 }, (_, i) => `3247800${String(i + 1).padStart(4, "0")}`);

/** Temporary numbers handed out by POST /bookings, lowest free first. */
export const POOL = Array.from({ length: 100 }, (_, i) => String(3278000100 + i));

export function seededState(config) {
  const numbers = {};
  for (const n of [...FMU_DOCUMENTED, ...FMU_EXTRA, ...FMU_BULK]) numbers[n] = { status: "PRIVATE", fmuActive: true };
  numbers[FMU_INACTIVE] = { status: "PRIVATE", fmuActive: false };
  return {
    clockOffsetMs: 0,
    tokens: { current: null, byToken: {}, issued: 0, revoked: 0 },
    fmu: { numbers, callbackUrl: null },
    bookings: [],
    quarantine: {}, // number → epoch ms when it returns to the pool
    cdrs: [],
    callbacks: [],
    faults: [],
    config: { latencyMs: config.latencyMs, rateLimit: null },
    throttle: { windowStart: 0, count: 0 },
    requests: [],
  };
}
