// One "wave": 1,000 concurrent mixed calls from one client, shared by the Node load test, the
// workerd load test (imported inside the Worker) and the soak. Plain ESM, no Node imports.
//
// Every call has an exact expectation, and every request it costs is counted, so the sandbox's
// request log can be checked against the wave:
//   - successes: fmu.getStatus / setStatus on seeded numbers, bookings.get / listPage / list,
//     cdrs.get / listPage / list;
//   - in-band and HTTP failures: a number without FMU (fmu_error), unknown bookings (not_found);
//   - invalid input: invalid_argument and no request at all;
//   - injected faults (`faults(plan)`, POSTed to /_sandbox/faults before the wave), each on a path
//     only its own calls use, so that their outcome does not depend on timing:
//       500 x20 (server_error, not retried), 503 x60 for 20 calls (each tries 3 times: unavailable),
//       dropped connection x30 for 10 calls (network), malformed body x10 (bad_response),
//       429 Retry-After: 0 x20 for 20 calls on a real booking (retried: a value, or rate_limited
//       when one call drew three of them);
//     plus one shared fault on every FMU status GET: 503 x30 without Retry-After (jittered backoff).

/** The codes of index.d.ts's ProximusErrorCode. */
export const KNOWN_CODES = Object.freeze([
  "invalid_argument", "bad_request", "unauthorized", "forbidden", "not_found", "conflict",
  "rate_limited", "server_error", "unavailable", "timeout", "network", "bad_response",
  "fmu_error", "callback_error",
]);

export const WAVE_SIZE = 1000;

/** Seeded FMU numbers of the sandbox, all PRIVATE initially (32470000099 has no FMU option). */
const FMU_NUMBERS = [
  "32477121212", "32471121212", "32471121213", "32470000001", "32475000001", "32475000002", "32476123456",
  ...Array.from({ length: 60 }, (_, i) => `324780000${String(i + 1).padStart(2, "0")}`),
];
const FMU_STATUSES = new Set(["PRIVATE", "PROFESSIONAL", "ON_DUTY"]);

/** The ways people type a number: every one must normalize to the same msisdn. */
function typed(msisdn, i) {
  const local = `0${msisdn.slice(2)}`;
  switch (i % 4) {
    case 0: return msisdn;
    case 1: return `+32 ${msisdn.slice(2, 5)} ${msisdn.slice(5, 7)} ${msisdn.slice(7, 9)} ${msisdn.slice(9)}`;
    case 2: return `${local.slice(0, 4)}/${local.slice(4, 6)}.${local.slice(6, 8)}.${local.slice(8)}`;
    default: return `00${msisdn}`;
  }
}

const F = {
  e500: "bk_load_fault_500",
  e503: "bk_load_fault_503",
  drop: "bk_load_fault_drop",
  junk: "bk_load_fault_junk",
};
const BOOKINGS = "/rentednumbers/1.0.0/bookings";

/**
 * The faults to inject before each wave. `plan.f429Id` is a real booking only the 429 calls use.
 */
export function faults(plan) {
  return [
    { path: `${BOOKINGS}/${F.e500}`, method: "GET", status: 500, count: 20 },
    { path: `${BOOKINGS}/${F.e503}`, method: "GET", status: 503, retryAfter: 0, count: 60 },
    { path: `${BOOKINGS}/${F.drop}`, method: "GET", drop: "before", count: 30 },
    { path: `${BOOKINGS}/${F.junk}`, method: "GET", body: "malformed", count: 10 },
    { path: `${BOOKINGS}/${plan.f429Id}`, method: "GET", status: 429, retryAfter: 0, count: 20 },
    { path: "/fmu/1.0.0/status", method: "GET", status: 503, count: 30 },
  ];
}

const isBooking = (b) => b && typeof b.id === "string" && typeof b.service === "string" && b.endTime instanceof Date;
const isRecord = (r) => r && typeof r.id === "string" && r.timestamp instanceof Date;
const isPage = (p, check) => p && Array.isArray(p.items) && p.items.every(check) && Number.isInteger(p.page);

async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/**
 * The 1,000 operations of a wave, each `{ kind, run(client), value?(v) → bool, codes?: [...],
 * requests: n }`: `value` checks a success, `codes` lists the accepted error codes, `requests` is
 * what the call costs when it goes the expected way (variable costs are settled in `expectedRequests`).
 *
 * `plan`: `{ bookingIds: [...], f429Id, cdrIds: [...], bookingCount, cdrCount,
 *            listBookingsRequests, listCdrsRequests, cdrRange: { from, to } }`.
 */
export function operations(plan) {
  const ops = [];
  const add = (n, make) => { for (let i = 0; i < n; i++) ops.push(make(i)); };
  const { bookingIds, cdrIds, cdrRange } = plan;

  add(340, (i) => {
    const msisdn = FMU_NUMBERS[i % FMU_NUMBERS.length];
    return {
      kind: "fmu.getStatus", requests: 1, codes: ["unavailable"], // unavailable: drew 3 of the shared 503s
      run: (c) => c.fmu.getStatus(typed(msisdn, i)),
      value: (v) => v.msisdn === msisdn && FMU_STATUSES.has(v.status),
    };
  });
  add(40, (i) => {
    const msisdn = FMU_NUMBERS[7 + (i % 60)];
    return {
      kind: "fmu.setStatus", requests: 1,
      run: (c) => c.fmu.setStatus(typed(msisdn, i), "PRIVATE"),
      value: (v) => v.msisdn === msisdn && v.success === true,
    };
  });
  add(20, () => ({
    kind: "fmu.getStatus(no FMU)", requests: 1, codes: ["fmu_error", "unavailable"],
    run: (c) => c.fmu.getStatus("+32 470 00 00 99"),
    check: (e) => e.code !== "fmu_error" || e.msisdn === "32470000099",
  }));
  add(120, (i) => {
    const id = bookingIds[i % bookingIds.length];
    return { kind: "bookings.get", requests: 1, run: (c) => c.bookings.get(id), value: (b) => isBooking(b) && b.id === id };
  });
  add(50, (i) => ({
    kind: "bookings.get(missing)", requests: 1, codes: ["not_found"],
    run: (c) => c.bookings.get(`bk_load_missing_${i}`),
    check: (e) => e.status === 404,
  }));
  add(60, () => ({
    kind: "bookings.listPage", requests: 1,
    run: (c) => c.bookings.listPage({ page: 0, size: 20 }),
    value: (p) => isPage(p, isBooking) && p.items.length === Math.min(20, plan.bookingCount),
  }));
  add(40, () => ({
    kind: "bookings.list", requests: plan.listBookingsRequests,
    run: (c) => collect(c.bookings.list({ pageSize: 4 })),
    value: (all) => all.length === plan.bookingCount && all.every(isBooking),
  }));
  add(60, () => ({
    kind: "cdrs.listPage", requests: 1,
    run: (c) => c.cdrs.listPage({ page: 0, size: 20, ...cdrRange }),
    value: (p) => isPage(p, isRecord) && p.items.length === Math.min(20, plan.cdrCount),
  }));
  add(40, () => ({
    kind: "cdrs.list", requests: plan.listCdrsRequests,
    run: (c) => collect(c.cdrs.list({ ...cdrRange, pageSize: 4 })),
    value: (all) => all.length === plan.cdrCount && all.every(isRecord),
  }));
  add(50, (i) => {
    const id = cdrIds[i % cdrIds.length];
    return { kind: "cdrs.get", requests: 1, run: (c) => c.cdrs.get(id), value: (r) => isRecord(r) && r.id === id };
  });
  // Invalid input: rejected with invalid_argument before anything is sent.
  const invalid = [
    (c) => c.fmu.getStatus("abc"),
    (c) => c.fmu.getStatus("+33 6 12 34 56 78"),
    (c) => c.fmu.getStatus("0477"),
    (c) => c.fmu.setStatus("0477 12 12 12", "HOLIDAY"),
    (c) => c.fmu.getStatuses(["0477121212", "nope"]),
    (c) => c.bookings.get(""),
    (c) => c.bookings.create({ destination: "12", usagePlan: "SMALL", callbackUrl: "https://example.com/cb" }),
    (c) => c.bookings.create({ destination: "0477121212", usagePlan: "HUGE", callbackUrl: "https://example.com/cb" }),
    (c) => c.bookings.create({ destination: "0477121212", usagePlan: "SMALL", callbackUrl: "http://example.com/cb" }),
    (c) => c.cdrs.listPage({ from: "yesterday" }),
  ];
  add(100, (i) => ({ kind: "invalid input", requests: 0, codes: ["invalid_argument"], run: invalid[i % invalid.length] }));
  // Injected faults (see `faults`).
  add(20, () => ({ kind: "fault 500", requests: 1, codes: ["server_error"], run: (c) => c.bookings.get(F.e500), check: (e) => e.status === 500 }));
  add(20, () => ({ kind: "fault 503 x3", requests: 3, codes: ["unavailable"], run: (c) => c.bookings.get(F.e503), check: (e) => e.status === 503 }));
  add(10, () => ({ kind: "fault drop x3", requests: 3, codes: ["network"], run: (c) => c.bookings.get(F.drop) }));
  add(10, () => ({ kind: "fault malformed", requests: 1, codes: ["bad_response"], run: (c) => c.bookings.get(F.junk) }));
  add(20, () => ({
    kind: "fault 429", requests: 1, codes: ["rate_limited"], // + the 429s it drew, settled in expectedRequests
    run: (c) => c.bookings.get(plan.f429Id), value: (b) => isBooking(b) && b.id === plan.f429Id,
  }));
  if (ops.length !== WAVE_SIZE) throw new Error(`a wave has ${ops.length} operations, not ${WAVE_SIZE}`);
  // Interleave the kinds so that faults, failures and successes are in flight together.
  const mixed = [];
  for (let stride = 0; stride < 10; stride++) for (let i = stride; i < ops.length; i += 10) mixed.push(ops[i]);
  return mixed;
}

function describe(thing) {
  if (thing === null || thing === undefined) return String(thing);
  const name = thing?.constructor?.name ?? typeof thing;
  return `${name}: ${String(thing?.message ?? thing).slice(0, 200)}`;
}

/**
 * Starts every operation at once and waits for all. Returns a JSON-serializable summary:
 * `{ calls, values, errors, byCode, byKind, untyped, mismatches, syncThrows, durationMs,
 *    rateLimited429, unavailableFmu, expectedRequests }`.
 * `ProximusError`: the class the package exports (checked with instanceof). `retries`: the
 * `retryRecorder()` whose `onRetry` the client was given; adds `retries` and `unexplainedRetries`
 * (retries that no injected fault caused, e.g. a connection reset by a loaded machine).
 */
export async function runWave(client, ProximusError, ops, { now = () => Date.now(), retries = null } = {}) {
  retries?.take();
  const started = now();
  const summary = {
    calls: ops.length, values: 0, errors: 0, byCode: {}, byKind: {}, untyped: [], mismatches: [], syncThrows: 0,
  };
  const settle = (op, outcome, result) => {
    const kind = (summary.byKind[op.kind] ??= { values: 0, errors: {} });
    if (outcome === "value") {
      summary.values += 1;
      kind.values += 1;
      if (!op.value) summary.mismatches.push({ kind: op.kind, got: "a value", expected: op.codes });
      else if (!op.value(result)) summary.mismatches.push({ kind: op.kind, got: "an unexpected value", value: JSON.stringify(result)?.slice(0, 300) });
      return;
    }
    summary.errors += 1;
    const err = result;
    const typedError = err instanceof ProximusError && err.name === "ProximusError" && KNOWN_CODES.includes(err.code)
      && typeof err.message === "string" && typeof err.retryable === "boolean";
    if (!typedError) {
      summary.untyped.push({ kind: op.kind, error: describe(err), code: err?.code });
      kind.errors.untyped = (kind.errors.untyped ?? 0) + 1;
      return;
    }
    summary.byCode[err.code] = (summary.byCode[err.code] ?? 0) + 1;
    kind.errors[err.code] = (kind.errors[err.code] ?? 0) + 1;
    if (!op.codes?.includes(err.code) || (op.check && !op.check(err))) {
      summary.mismatches.push({ kind: op.kind, got: `${err.code}: ${err.message}`.slice(0, 300), expected: op.codes ?? "a value" });
    }
  };
  const runs = ops.map((op) => {
    let promise;
    try {
      promise = op.run(client);
    } catch (err) {
      // The API returns promises: a synchronous throw is itself a defect, but classify the error too.
      summary.syncThrows += 1;
      promise = Promise.reject(err);
    }
    return Promise.resolve(promise).then((v) => settle(op, "value", v), (e) => settle(op, "error", e));
  });
  await Promise.all(runs);
  summary.durationMs = now() - started;
  summary.untyped = summary.untyped.slice(0, 20);
  summary.untypedCount = Object.values(summary.byKind).reduce((n, k) => n + (k.errors.untyped ?? 0), 0);
  summary.mismatchCount = summary.mismatches.length;
  summary.mismatches = summary.mismatches.slice(0, 20);
  summary.expectedRequests = expectedRequests(ops, summary);
  if (retries) {
    summary.retries = retries.take();
    const expected = expectedRetries(summary);
    summary.unexplainedRetries = {};
    for (const [code, n] of Object.entries(summary.retries.byCode)) {
      if (n !== (expected[code] ?? 0)) summary.unexplainedRetries[code] = n - (expected[code] ?? 0);
    }
  }
  return summary;
}

/**
 * The requests the wave must have sent (excluding /token): the fixed cost of each call, plus one
 * per injected 429 or shared 503 taken, minus one per call that gave up after three of them (its
 * last fault was not followed by a retry).
 */
function expectedRequests(ops, summary) {
  let n = 0;
  for (const op of ops) n += op.requests;
  const k = (kind, code) => summary.byKind[kind]?.errors?.[code] ?? 0;
  const fmuGaveUp = k("fmu.getStatus", "unavailable") + k("fmu.getStatus(no FMU)", "unavailable");
  return n + 20 - k("fault 429", "rate_limited") + 30 - fmuGaveUp;
}

/** The retries the injected faults cause: 2 per 503x3 or drop call, 1 per 429 or shared 503 taken but the last of a call that gave up. */
function expectedRetries(summary) {
  const k = (kind, code) => summary.byKind[kind]?.errors?.[code] ?? 0;
  const fmuGaveUp = k("fmu.getStatus", "unavailable") + k("fmu.getStatus(no FMU)", "unavailable");
  return { unavailable: 40 + 30 - fmuGaveUp, network: 20, rate_limited: 20 - k("fault 429", "rate_limited") };
}

/**
 * An `onRetry` for the client that counts retries by error code (with a few messages), so that
 * a wave can tell the retries its faults caused from spurious ones (e.g. a connection reset).
 */
export function retryRecorder() {
  let byCode = {};
  let samples = [];
  return {
    onRetry(info) {
      const code = info?.error?.code ?? "untyped";
      byCode[code] = (byCode[code] ?? 0) + 1;
      if (samples.length < 10 && code !== "rate_limited" && code !== "unavailable") samples.push(`${code}: ${info?.error?.message}`.slice(0, 300));
    },
    take() {
      const out = { byCode, samples };
      byCode = {};
      samples = [];
      return out;
    },
  };
}
