// Hostile input from JavaScript (issue 9): random values of every JS type thrown at every exported
// function and method of the built package. Every answer must be a result or a ProximusError with
// a non-empty `code` (sync throw or rejected promise): never another error type, never a wasm trap,
// never a hang; and the wasm instance must still work afterwards.
//
// Deterministic: a small seeded PRNG drives the random cases. The seed is printed; rerun one with
//   HOSTILE_SEED=1234 node --test tests/js/hostile-input.test.mjs
// HOSTILE_CASES changes the number of random cases per function (default 200, to stay near 30 s).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { loadPackage, sandbox, callbackReceiver, DEFAULT_CREDENTIALS } from "./helpers.mjs";

const pkg = await loadPackage();
const {
  ProximusClient, ProximusError, normalizeMsisdn, formatMsisdn, maskMsisdn, parseFmuCallback, parseCallEvent,
  signCallbackUrl, verifyCallbackUrl,
} = pkg;

const SEED = Number(process.env.HOSTILE_SEED ?? 0x5eed_2026) >>> 0;
const CASES = Number(process.env.HOSTILE_CASES ?? 200);
const CALL_LIMIT_MS = 2000;
const SECRET = "a-long-enough-callback-secret";
console.log(`# hostile-input seed=${SEED} cases/function=${CASES}`);

// mulberry32: small, deterministic.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let box;
let receiver;
const stats = { calls: 0, results: 0, errors: 0, byCode: {} };
// Exceptions escaping asynchronously (out of the wasm futures queue) or rejections nobody handles:
// charged to the call running when they surfaced.
let current = { label: "(between calls)", failures: [] };
const stray = [];
const onStray = (kind) => (reason) => {
  const line = `${current.label}: ${kind}: ${reason?.constructor?.name ?? typeof reason}: ${reason?.message ?? String(reason)}`;
  stray.push(line);
  current.failures.push(line);
};
const onUnhandled = onStray("unhandledRejection");
const onUncaught = onStray("uncaughtException");

before(async () => {
  process.on("unhandledRejection", onUnhandled);
  process.on("uncaughtException", onUncaught);
  box = await sandbox();
  receiver = await callbackReceiver();
});
after(async () => {
  process.off("unhandledRejection", onUnhandled);
  process.off("uncaughtException", onUncaught);
  console.log(`# hostile-input totals: ${JSON.stringify(stats)}`);
  await box.close();
  await receiver.close();
});

// ---------------------------------------------------------------------------------------------
// Values

const rejected = (why) => {
  const p = Promise.reject(new Error(why));
  p.catch(() => {});
  return p;
};
const throwingProxy = (target = {}) => {
  const boom = (trap) => () => { throw new Error(`proxy ${trap} trap`); };
  return new Proxy(target, Object.fromEntries(
    ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "set", "defineProperty", "deleteProperty", "apply", "construct", "isExtensible", "preventExtensions", "setPrototypeOf"]
      .map((t) => [t, boom(t)]),
  ));
};
const revokedProxy = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const throwingGetters = (keys) => {
  const o = {};
  for (const k of keys) Object.defineProperty(o, k, { enumerable: true, get() { throw new Error(`getter ${k}`); } });
  return o;
};
const sparse = () => {
  const a = [, , "0477 12 12 12"];
  a.length = 7;
  return a;
};

/** The fixed hostile values, `[label, make]`: made fresh for each use. */
const FIXED = [
  ["undefined", () => undefined],
  ["null", () => null],
  ["true", () => true],
  ["false", () => false],
  ["0", () => 0],
  ["-0", () => -0],
  ["1", () => 1],
  ["-1", () => -1],
  ["1.5", () => 1.5],
  ["NaN", () => NaN],
  ["Infinity", () => Infinity],
  ["-Infinity", () => -Infinity],
  ["MAX_VALUE", () => Number.MAX_VALUE],
  ["MIN_VALUE", () => Number.MIN_VALUE],
  ["2**53+2", () => 2 ** 53 + 2],
  ["-(2**31)", () => -(2 ** 31)],
  ["2**32", () => 2 ** 32],
  ["1e21", () => 1e21],
  ["-1e300", () => -1e300],
  ["32477121212 (number)", () => 32477121212],
  ["10n", () => 10n],
  ["-(2n**70n)", () => -(2n ** 70n)],
  ["Symbol()", () => Symbol("s")],
  ["Symbol.iterator", () => Symbol.iterator],
  ['""', () => ""],
  ['" "', () => " "],
  ["1 MB string", () => "x".repeat(1 << 20)],
  ["1 MB digits", () => "4".repeat(1 << 20)],
  ["lone high surrogate", () => "\ud800"],
  ["lone low surrogate in number", () => "0477 12\udc00 12 12"],
  ["NUL in string", () => "0477\u000012 12 12"],
  ["control chars", () => "\r\n\t\x1b[31m\x7f\u2028\u2029"],
  ["emoji", () => "😀📞🇧🇪"],
  ["fullwidth digits", () => "０４７７１２１２１２"],
  ["arabic digits", () => "٠٤٧٧١٢١٢١٢"],
  ['"1e3"', () => "1e3"],
  ['"-0"', () => "-0"],
  ['"NaN"', () => "NaN"],
  ['"0x10"', () => "0x10"],
  ['"Infinity"', () => "Infinity"],
  ['"99999999999999999999999"', () => "99999999999999999999999"],
  ['"__proto__"', () => "__proto__"],
  ['"constructor"', () => "constructor"],
  ['"PRIVATE"', () => "PRIVATE"],
  ['"SMALL"', () => "SMALL"],
  ['"http://"', () => "http://"],
  ['"https://[::1"', () => "https://[::1"],
  ['"javascript:alert(1)"', () => "javascript:alert(1)"],
  ["[]", () => []],
  ["[[[[]]]]", () => [[[[]]]]],
  ["sparse array", sparse],
  ["array of mixed", () => [1, "0477 12 12 12", null, {}, [], Symbol("x"), 2n]],
  ["10 000 junk strings", () => Array.from({ length: 10_000 }, (_, i) => `junk-${i}`)],
  ["1e6-hole array", () => new Array(1_000_000)],
  ["array with throwing index getter", () => { const a = ["0477 12 12 12", "x"]; Object.defineProperty(a, 1, { get() { throw new Error("index getter"); } }); return a; }],
  ["Proxy([]) throwing", () => throwingProxy([])],
  ["{}", () => ({})],
  ["{a:1}", () => ({ a: 1 })],
  ["Object.create(null)", () => Object.create(null)],
  ["JSON __proto__ pollution", () => JSON.parse('{"__proto__":{"polluted":1}}')],
  ["constructor.prototype pollution", () => ({ constructor: { prototype: { polluted: 1 } } })],
  ["Proxy throwing traps", () => throwingProxy()],
  ["revoked Proxy", revokedProxy],
  ["toString throws", () => ({ toString() { throw new Error("toString"); } })],
  ["valueOf throws", () => ({ valueOf() { throw new Error("valueOf"); } })],
  ["toPrimitive throws", () => ({ [Symbol.toPrimitive]() { throw new Error("toPrimitive"); } })],
  ["toJSON throws", () => ({ toJSON() { throw new Error("toJSON"); } })],
  ["function", () => function named() {}],
  ["arrow throwing", () => () => { throw new Error("thrown by a function"); }],
  ["async function", () => async () => {}],
  ["async rejecting", () => async () => { throw new Error("async thrown"); }],
  ["function returning Symbol", () => () => Symbol("ret")],
  ["function throwing a non-Error", () => () => { throw Symbol("thrown symbol"); }],
  ["function throwing null", () => () => { throw null; }],
  ["class", () => class K {}],
  ["valid Date", () => new Date(Date.UTC(2030, 0, 1))],
  ["invalid Date", () => new Date(NaN)],
  ["Date year 275760", () => new Date(8.64e15)],
  ["Promise resolved", () => Promise.resolve("0477 12 12 12")],
  ["Promise rejected", () => rejected("rejected promise")],
  ["Uint8Array", () => new Uint8Array([48, 52, 55, 55])],
  ["Float64Array NaN", () => new Float64Array([NaN, Infinity])],
  ["BigInt64Array", () => new BigInt64Array(2)],
  ["ArrayBuffer", () => new ArrayBuffer(8)],
  ["DataView", () => new DataView(new ArrayBuffer(4))],
  ["Map", () => new Map([["clientId", "x"]])],
  ["Set", () => new Set(["0477 12 12 12"])],
  ["WeakMap", () => new WeakMap()],
  ["RegExp", () => /0477/g],
  ["Error", () => new Error("an error value")],
  ["ProximusError", () => new ProximusError("fake", { code: "timeout" })],
  ["new String", () => new String("0477 12 12 12")],
  ["new Number", () => new Number(1)],
  ["new Boolean(false)", () => new Boolean(false)],
  ["Object(Symbol)", () => Object(Symbol("boxed"))],
  ["Object(1n)", () => Object(1n)],
  ["globalThis", () => globalThis],
  ["frozen object", () => Object.freeze({ x: 1 })],
  ["self-cycle", () => { const o = { a: 1 }; o.self = o; o.list = [o]; return o; }],
];

const KEYS = {
  client: ["baseUrl", "tokenUrl", "revokeUrl", "fmuUrl", "rentedNumbersUrl", "timeoutMs", "maxRetries", "fetch", "onRetry", "clientId", "clientSecret", "clientAuth", "tokenStore", "accessToken", "getToken"],
  bulk: ["callbackUrl", "concurrency", "onProgress"],
  create: ["destination", "usagePlan", "callbackUrl"],
  update: ["usagePlan"],
  ensure: ["destination", "usagePlan", "callbackUrl", "key", "store", "renewBelow"],
  bookingsPage: ["page", "size", "includeExpired"],
  bookingsList: ["includeExpired", "pageSize"],
  cdrsPage: ["page", "size", "from", "to"],
  cdrsList: ["from", "to", "pageSize"],
  sign: ["context", "expiresAt"],
  fmuCallback: ["requestId", "type", "results"],
  fmuResult: ["msisdn", "isError", "status", "errorMessage", "success"],
  callEvent: ["id", "timestamp", "duration", "source", "destination", "bookingId", "message", "kind"],
  store: ["get", "set", "put"],
  tokenStore: ["get", "set"],
  renewBelow: ["seconds", "calls"],
  providedToken: ["accessToken", "expiresAt"],
};

/** A random hostile value, possibly an object whose keys come from `keys`. */
function generator(rand) {
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const chars = ["0", "4", "7", "3", "2", "+", " ", "/", ".", "-", "(", ")", "a", "é", "\u0000", "\ud800", "\udfff", "😀", "%", "\\", "\"", "{", "}", "[", "]", ":", ",", "\n", "０", "٤"];
  const randomString = () => {
    switch (int(6)) {
      case 0: return Array.from({ length: int(40) }, () => pick(chars)).join("");
      case 1: return pick(["+32", "0032", "0", "32", "+33", ""]) + pick(["4", "47", "477", "470"]) + Array.from({ length: int(12) }, () => pick(["1", "2", " ", ".", "/", "-"])).join("");
      case 2: return pick(["http://", "https://", "ftp://", "//", ""]) + pick(["127.0.0.1", "localhost", "[::1]", "example.com", "", "a b", "\ud800"]) + pick(["", ":0", ":99999", ":8080"]) + pick(["", "/", "/cb?x=1", "/cb#frag", "/%zz"]);
      case 3: return pick(["PRIVATE", "PROFESSIONAL", "ON_DUTY", "SMALL", "MEDIUM", "LARGE", "GET_STATUS", "SET_STATUS", "body", "basic", "private", "small", ""]) + pick(["", " ", "\u0000", "X"]);
      case 4: return pick(['{"requestId":"r","type":"GET_STATUS","results":[]}', '{"id":1}', "[", "null", "\ufeff{}", '{"a":' + "[".repeat(int(5000)), JSON.stringify({ id: "c1", timestamp: int(2) ? "x" : 1e20, duration: -1, source: "", destination: "", bookingId: "" })]);
      default: return String(pick([rand() * 1e6, -rand(), 2 ** int(70), "0x" + int(1e6).toString(16)]));
    }
  };
  const randomNumber = () => pick([int(100) - 50, rand() * 1e6, -rand() * 1e18, 2 ** int(1100) * (int(2) ? 1 : -1), int(20), NaN, -0, Number.EPSILON, 50, 16, 17, 0]);
  const randomFunction = (depth) => {
    const value = gen(depth + 1);
    switch (int(6)) {
      case 0: return () => value;
      case 1: return async () => value;
      case 2: return () => { throw value; };
      case 3: return async () => { throw new Error("random async throw"); };
      case 4: return () => Promise.resolve(value);
      default: return () => {};
    }
  };
  const plausible = {
    baseUrl: () => box.url, tokenUrl: () => `${box.url}/token`, revokeUrl: () => `${box.url}/revoke`,
    fmuUrl: () => `${box.url}/fmu/1.0.0`, rentedNumbersUrl: () => `${box.url}/rentednumbers/1.0.0`,
    timeoutMs: () => 500, maxRetries: () => 0, clientId: () => DEFAULT_CREDENTIALS.clientId,
    clientSecret: () => DEFAULT_CREDENTIALS.clientSecret, clientAuth: () => pick(["body", "basic"]),
    accessToken: () => DEFAULT_CREDENTIALS.permanentToken, callbackUrl: () => `${receiver.url}/cb`,
    concurrency: () => 1 + int(16), destination: () => "0477 12 12 12", usagePlan: () => pick(["SMALL", "MEDIUM", "LARGE"]),
    key: () => `k${int(3)}`, page: () => int(3), size: () => 1 + int(20), pageSize: () => 1 + int(20),
    includeExpired: () => rand() < 0.5, from: () => new Date(Date.now() - 86_400_000), to: () => Date.now(),
    context: () => "ctx", expiresAt: () => Date.now() + 3_600_000, msisdn: () => "32477121212", status: () => "PRIVATE",
    type: () => pick(["GET_STATUS", "SET_STATUS"]), requestId: () => "r1", seconds: () => 300, calls: () => 2,
  };
  const keyed = {
    store: () => object(KEYS.store, 1), tokenStore: () => object(KEYS.tokenStore, 1), renewBelow: () => object(KEYS.renewBelow, 1),
    results: () => Array.from({ length: int(4) }, () => object(KEYS.fmuResult, 1)),
  };
  function object(keys, depth) {
    const o = rand() < 0.1 ? Object.create(null) : {};
    for (const k of keys) {
      const r = rand();
      if (r < 0.3) continue;
      if (r < 0.65 && plausible[k]) o[k] = plausible[k]();
      else if (r < 0.8 && keyed[k]) o[k] = keyed[k]();
      else if (["fetch", "onRetry", "getToken", "onProgress", "get", "set", "put"].includes(k) && r < 0.9) o[k] = randomFunction(depth);
      else o[k] = gen(depth + 1);
    }
    if (rand() < 0.1) o[pick(["__proto__", "constructor", "clientID", "extra", "toString", ""])] = gen(depth + 1);
    if (rand() < 0.05) Object.defineProperty(o, pick(keys), { enumerable: true, configurable: true, get() { throw new Error("random getter"); } });
    return o;
  }
  function gen(depth = 0, keys = null) {
    const r = rand();
    if (keys && r < 0.45) return object(keys, depth);
    if (r < 0.35 || depth > 2) return pick(FIXED)[1]();
    if (r < 0.55) return randomString();
    if (r < 0.65) return randomNumber();
    if (r < 0.75) return Array.from({ length: int(6) }, () => (rand() < 0.5 ? randomString() : gen(depth + 1)));
    if (r < 0.85) return randomFunction(depth);
    return object(pick(Object.values(KEYS)), depth);
  }
  return { gen, object, int };
}

// ---------------------------------------------------------------------------------------------
// Checking one call

const describeValue = (v) => {
  try {
    return util.inspect(v, { depth: 2, maxStringLength: 60, maxArrayLength: 6, breakLength: Infinity, showProxy: true, getters: false });
  } catch (e) {
    return `<uninspectable: ${e?.message}>`;
  }
};
const describeArgs = (args) => `(${args.map(describeValue).join(", ")})`;

const HANG = Symbol("hang");
const isThenable = (v) => v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function";

/** Why `error` is not an acceptable failure, or null when it is a proper ProximusError. */
function badError(error) {
  if (error instanceof WebAssembly.RuntimeError) return `wasm trap: ${error.message}`;
  if (!(error instanceof ProximusError)) {
    const name = error?.constructor?.name ?? typeof error;
    return `not a ProximusError: ${name}: ${error?.message ?? describeValue(error)}`;
  }
  if (typeof error.code !== "string" || error.code === "") return `ProximusError without code: ${describeValue(error.code)}`;
  if (/panicked|unreachable|RuntimeError|wasm-bindgen|null pointer|recursive use/i.test(error.message)) return `ProximusError reporting an internal failure: ${error.message}`;
  return null;
}

async function settle(value) {
  let timer;
  const hang = new Promise((resolve) => (timer = setTimeout(() => resolve(HANG), CALL_LIMIT_MS)));
  try {
    return await Promise.race([Promise.resolve(value).then((v) => ({ ok: v }), (e) => ({ err: e })), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `fn(...args)` and records a failure unless it answers a result or a ProximusError. */
async function check(name, fn, args, failures, { iterate = false, result = null } = {}) {
  stats.calls++;
  current = { label: `${name}${describeArgs(args)}`, failures };
  let outcome;
  try {
    const value = fn(...args);
    if (isThenable(value)) {
      outcome = await settle(value);
    } else if (iterate && value && typeof value[Symbol.asyncIterator] === "function") {
      // A lazy list: walk at most 3 items, then stop it.
      const iterator = value[Symbol.asyncIterator]();
      outcome = { ok: value };
      for (let i = 0; i < 3; i++) {
        const step = await settle(iterator.next());
        if (step === HANG || "err" in step || step.ok.done) { outcome = step; break; }
      }
      if (outcome !== HANG) {
        const closed = await settle(iterator.return?.());
        if (closed === HANG || "err" in closed) outcome = closed === HANG ? HANG : outcome.err ? outcome : closed;
      }
    } else {
      outcome = { ok: value };
    }
  } catch (error) {
    outcome = { err: error };
  }
  let why = null;
  if (outcome === HANG) why = `no answer within ${CALL_LIMIT_MS} ms`;
  else if ("err" in outcome) {
    why = badError(outcome.err);
    if (!why) {
      stats.errors++;
      stats.byCode[outcome.err.code] = (stats.byCode[outcome.err.code] ?? 0) + 1;
    }
  } else {
    stats.results++;
    if (result && !result(outcome.ok)) why = `unexpected result ${describeValue(outcome.ok)}`;
  }
  if (why) failures.push(`${current.label}: ${why}`);
  // Let a stray exception of this call surface while it is still the current one.
  await new Promise((resolve) => setImmediate(resolve));
  return outcome;
}

/** The instance still answers simple calls. */
async function assertUsable(label) {
  assert.equal(normalizeMsisdn("0477 12 12 12"), "32477121212", `${label}: normalizeMsisdn after fuzzing`);
  assert.equal(Object.prototype.polluted, undefined, `${label}: Object.prototype polluted`);
  assert.equal({}.x, undefined, `${label}: Object.prototype.x polluted`);
}

function report(name, failures) {
  if (failures.length === 0) return;
  const unique = [...new Set(failures)];
  assert.fail(`${name}: ${unique.length} bad answers (seed ${SEED}):\n  ${unique.slice(0, 25).join("\n  ")}${unique.length > 25 ? `\n  … ${unique.length - 25} more` : ""}`);
}

// ---------------------------------------------------------------------------------------------
// The targets

const sandboxOptions = () => ({
  clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret,
  baseUrl: box.url, maxRetries: 0, timeoutMs: 500,
});
const mapStore = () => { const m = new Map(); return { get: (k) => m.get(k), set: (k, v) => void m.set(k, v) }; };
const numbers = () => ["0477 12 12 12", "+32 471 12 12 12"];
const fmuBody = () => ({ requestId: "r1", type: "GET_STATUS", results: [{ msisdn: "32477121212", isError: false, status: "PRIVATE" }] });
const callEventBody = () => ({ id: "c1", timestamp: Date.now(), duration: 42, source: "32470000001", destination: "32477121212", bookingId: "bk_1" });

let client; // one sandbox client shared by the method targets
const getClient = () => (client ??= new ProximusClient(sandboxOptions()));

/**
 * name → { call(...args), valid: () => args, keys: per position the option keys (or null), iterate }.
 */
const TARGETS = {
  "tokens.get": { call: (...a) => getClient().tokens.get(...a), valid: () => [], keys: [null] },
  "tokens.revoke": { call: (...a) => getClient().tokens.revoke(...a), valid: () => [], keys: [null] },
  "fmu.getStatus": { call: (...a) => getClient().fmu.getStatus(...a), valid: () => ["0477 12 12 12"], keys: [null] },
  "fmu.setStatus": { call: (...a) => getClient().fmu.setStatus(...a), valid: () => ["0477 12 12 12", "PRIVATE"], keys: [null, null] },
  "fmu.setCallbackUrl": { call: (...a) => getClient().fmu.setCallbackUrl(...a), valid: () => [`${receiver.url}/fmu`], keys: [null] },
  "fmu.getStatuses": {
    call: (...a) => getClient().fmu.getStatuses(...a),
    valid: () => [numbers(), { callbackUrl: `${receiver.url}/fmu`, concurrency: 2, onProgress: () => {} }], keys: [null, KEYS.bulk],
  },
  "fmu.setStatuses": {
    call: (...a) => getClient().fmu.setStatuses(...a),
    valid: () => [numbers(), "PRIVATE", { callbackUrl: `${receiver.url}/fmu`, concurrency: 2, onProgress: () => {} }], keys: [null, null, KEYS.bulk],
  },
  "bookings.create": {
    call: (...a) => getClient().bookings.create(...a),
    valid: () => [{ destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: `${receiver.url}/calls` }], keys: [KEYS.create],
  },
  "bookings.get": { call: (...a) => getClient().bookings.get(...a), valid: () => ["bk_unknown"], keys: [null] },
  "bookings.update": { call: (...a) => getClient().bookings.update(...a), valid: () => ["bk_unknown", { usagePlan: "SMALL" }], keys: [null, KEYS.update] },
  "bookings.delete": { call: (...a) => getClient().bookings.delete(...a), valid: () => ["bk_unknown"], keys: [null] },
  "bookings.listPage": { call: (...a) => getClient().bookings.listPage(...a), valid: () => [{ page: 0, size: 10, includeExpired: true }], keys: [KEYS.bookingsPage] },
  "bookings.list": { call: (...a) => getClient().bookings.list(...a), valid: () => [{ includeExpired: true, pageSize: 10 }], keys: [KEYS.bookingsList], iterate: true },
  "bookings.ensure": {
    call: (...a) => getClient().bookings.ensure(...a),
    valid: () => [{ key: "k1", store: mapStore(), destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: `${receiver.url}/c`, renewBelow: { seconds: 300, calls: 2 } }],
    keys: [KEYS.ensure],
  },
  "cdrs.get": { call: (...a) => getClient().cdrs.get(...a), valid: () => ["cdr_unknown"], keys: [null] },
  "cdrs.listPage": { call: (...a) => getClient().cdrs.listPage(...a), valid: () => [{ page: 0, size: 10, from: new Date(Date.now() - 86_400_000), to: new Date() }], keys: [KEYS.cdrsPage] },
  "cdrs.list": { call: (...a) => getClient().cdrs.list(...a), valid: () => [{ from: Date.now() - 86_400_000, to: new Date().toISOString(), pageSize: 10 }], keys: [KEYS.cdrsList], iterate: true },
  parseCallEvent: { call: (...a) => parseCallEvent(...a), valid: () => [callEventBody()], keys: [KEYS.callEvent] },
  parseFmuCallback: { call: (...a) => parseFmuCallback(...a), valid: () => [fmuBody()], keys: [KEYS.fmuCallback] },
  normalizeMsisdn: { call: (...a) => normalizeMsisdn(...a), valid: () => ["0477 12 12 12"], keys: [null], result: (r) => typeof r === "string" && /^\d{8,15}$/.test(r) },
  formatMsisdn: { call: (...a) => formatMsisdn(...a), valid: () => ["0477 12 12 12"], keys: [null], result: (r) => typeof r === "string" && r.startsWith("+") },
  maskMsisdn: { call: (...a) => maskMsisdn(...a), valid: () => ["0477 12 12 12"], keys: [null], result: (r) => typeof r === "string" && r.startsWith("+") },
  signCallbackUrl: {
    call: (...a) => signCallbackUrl(...a), valid: () => ["https://example.com/cb?x=1", SECRET, { context: "c", expiresAt: Date.now() + 3_600_000 }], keys: [null, null, KEYS.sign],
    result: (r) => typeof r === "string" && /^https?:\/\//.test(r),
  },
  verifyCallbackUrl: {
    call: (...a) => verifyCallbackUrl(...a),
    valid: () => [signCallbackUrl("https://example.com/cb?x=1", SECRET, { context: "c" }), SECRET], keys: [null, null],
  },
};

/**
 * Known bugs, reported to the Rust side: name → todo text (the test stays `todo` until fixed).
 * Empty: what this file found (revoked Proxy / throwing Proxy / throwing index getter escaping as
 * raw TypeErrors, uncaught exceptions and never-settling promises; rejected async onProgress
 * promises left unhandled) is fixed. Add an entry here when a new seed finds something.
 */
const KNOWN = {};

/** The fixed list at every argument position (and every option key), then CASES random cases. */
async function fuzz(name, target, seed) {
  const rand = prng(seed);
  const { gen, int } = generator(rand);
  const failures = [];
  const run = (args) => check(name, target.call, args, failures, { iterate: target.iterate, result: target.result });
  const positions = Math.max(target.keys.length, 1);
  for (let pos = 0; pos < positions; pos++) {
    for (const [, make] of FIXED) {
      const args = target.valid();
      args[pos] = make();
      await run(args);
    }
    for (const key of target.keys[pos] ?? []) {
      for (const [, make] of FIXED) {
        const args = target.valid();
        args[pos] = { ...args[pos], [key]: make() };
        await run(args);
      }
    }
  }
  for (let i = 0; i < CASES; i++) {
    const args = target.valid();
    const length = rand() < 0.1 ? int(args.length + 3) : args.length;
    args.length = length;
    for (let pos = 0; pos < length; pos++) {
      if (args[pos] === undefined || rand() < 0.6) args[pos] = gen(0, target.keys[pos] ?? null);
    }
    await run(args);
  }
  return failures;
}

for (const [name, target] of Object.entries(TARGETS)) {
  const seed = (SEED ^ [...name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7)) >>> 0;
  test(`hostile input: ${name}`, { todo: KNOWN[name] }, async () => {
    const failures = await fuzz(name, target, seed);
    await assertUsable(name);
    report(name, failures);
  });
}

// new ProximusClient(options): the fixed list for the options and every option key, then random
// option objects. Each client that constructs is used once (tokens.get, fmu.getStatus), so hostile
// fetch / getToken / tokenStore / onRetry callbacks get called.
test("hostile input: new ProximusClient(options)", { todo: KNOWN.ProximusClient }, async () => {
  const rand = prng(SEED ^ 0xc11e);
  const { gen, int } = generator(rand);
  const failures = [];
  const bases = [
    () => sandboxOptions(),
    () => ({ accessToken: DEFAULT_CREDENTIALS.permanentToken, baseUrl: box.url, maxRetries: 0, timeoutMs: 500 }),
    () => ({ getToken: () => DEFAULT_CREDENTIALS.permanentToken, baseUrl: box.url, maxRetries: 0, timeoutMs: 500 }),
  ];
  const construct = (options) => new ProximusClient(options);
  const tryClient = async (args) => {
    const outcome = await check("new ProximusClient", construct, args, failures);
    if (outcome !== HANG && "ok" in outcome && outcome.ok instanceof ProximusClient) {
      const made = outcome.ok;
      await check("client(hostile options).tokens.get", () => made.tokens.get(), [args[0]], failures);
      await check("client(hostile options).fmu.getStatus", () => made.fmu.getStatus("0477 12 12 12"), [args[0]], failures);
      for (const shown of [JSON.stringify(made), String(made)]) {
        if (shown.includes(DEFAULT_CREDENTIALS.clientSecret)) failures.push(`a client shows its secret: ${shown}`);
      }
    }
  };
  for (const [, make] of FIXED) await tryClient([make()]);
  for (const base of bases) {
    for (const key of KEYS.client) {
      for (const [, make] of FIXED) await tryClient([{ ...base(), [key]: make() }]);
    }
    for (const key of ["get", "set"]) {
      for (const [, make] of FIXED) {
        const store = { get: () => null, set: () => {} };
        const value = make();
        store[key] = () => value;
        await tryClient([{ ...base(), tokenStore: store }]);
      }
    }
  }
  for (let i = 0; i < CASES; i++) {
    let options = gen(0, KEYS.client);
    if (rand() < 0.5) {
      try {
        options = { ...bases[int(3)](), ...options };
      } catch {
        // A throwing getter or Proxy trap: use the value itself.
      }
    }
    await tryClient([options]);
  }
  await assertUsable("ProximusClient");
  report("new ProximusClient", failures);
});

test("after the fuzzing the instance still works", async () => {
  const fresh = new ProximusClient(sandboxOptions());
  const token = await fresh.tokens.get();
  assert.equal(token.tokenType, "Bearer");
  const status = await fresh.fmu.getStatus("0477 12 12 12");
  assert.equal(status.msisdn, "32477121212");
  assert.match(status.status, /^(PRIVATE|PROFESSIONAL|ON_DUTY)$/);
  // The client that took all the hostile calls works too.
  assert.equal((await getClient().tokens.get()).tokenType, "Bearer");
  assert.equal((await getClient().fmu.getStatus("0477 12 12 12")).msisdn, "32477121212");
  assert.equal(normalizeMsisdn("+32 477 12 12 12"), "32477121212");
  assert.equal(formatMsisdn("32477121212"), "+32 477 12 12 12");
  const signed = signCallbackUrl("https://example.com/cb", SECRET, { context: "x" });
  assert.equal(verifyCallbackUrl(signed, SECRET).context, "x");
  assert.equal(Object.prototype.polluted, undefined);
  assert.equal(Object.prototype.x, undefined);
  if (Object.keys(KNOWN).length === 0) assert.deepEqual(stray, [], "exceptions escaping asynchronously or rejections left unhandled");
  else if (stray.length) console.log(`# hostile-input: ${stray.length} stray exceptions (charged to the todo tests above)`);
  console.log(`# hostile-input: ${stats.calls} calls, ${stats.results} results, ${stats.errors} ProximusErrors ${JSON.stringify(stats.byCode)}`);
});
