// The public JavaScript surface: thin wrappers over the wasm exports, loaded by each runtime's
// entry (node.js, browser.js, workerd.js) once the wasm module is instantiated.
//
// Every argument is first copied here to plain data (strings, numbers, booleans, arrays, plain
// objects; Dates as epoch ms; functions kept), so a throwing getter or a Proxy trap runs in
// JavaScript, inside a try, and never inside the wasm. Results come back as they are: plain
// objects from serde-wasm-bindgen, with Dates.
import * as wasm from "./proximus_api.js";
import { ProximusError } from "./proximus_error.js";
import { BookingCoordinator, ensureThrough } from "./coordinator.js";

export { BookingCoordinator, ProximusError };

const MAX_ITEMS = 100_000;
const MAX_DEPTH = 8;

function plain(value, depth) {
  if (typeof value === "function" || value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) throw new TypeError("it is nested too deeply");
  if (Object.prototype.toString.call(value) === "[object Date]") return Date.prototype.getTime.call(value);
  if (Array.isArray(value)) {
    const length = value.length;
    if (length > MAX_ITEMS) throw new TypeError(`it has more than ${MAX_ITEMS} items`);
    const out = new Array(length);
    for (let i = 0; i < length; i++) out[i] = plain(value[i], depth + 1);
    return out;
  }
  // No prototype: a "__proto__" key stays a key, and nothing inherited can pose as an option.
  const out = Object.create(null);
  for (const key of Object.keys(value)) out[key] = plain(value[key], depth + 1);
  return out;
}

function reason(error) {
  try {
    const message = error?.message;
    if (typeof message === "string") return message;
  } catch {
    // a thrown Proxy or a throwing getter: nothing to quote
  }
  return "it could not be read";
}

/** An `invalid_argument` error. */
const invalid = (message) => new ProximusError(message, { code: "invalid_argument", retryable: false });

/** The `invalid_argument` for an argument that could not be read. */
const unreadable = (name, error) => invalid(`${name} could not be read: ${reason(error)}`);

/** Argument `name` as plain data, or `invalid_argument`. */
function arg(value, name) {
  try {
    return plain(value, 0);
  } catch (error) {
    throw unreadable(name, error);
  }
}

/**
 * An error's stack from `site` (the application's call) instead of the wasm glue it was made in:
 * a failure found later, after an await, still points at the line that asked for it.
 */
function restack(error, site) {
  if (error instanceof ProximusError && typeof site?.stack === "string") {
    error.stack = `${error.name}: ${error.message}${site.stack.slice(site.stack.indexOf("\n"))}`;
  }
  return error;
}

/** A public async method: a bad argument rejects (it does not throw); a failure's stack starts at the caller. */
function method(start) {
  return function proximusCall(...args) {
    const site = {};
    Error.captureStackTrace?.(site, proximusCall);
    let promise;
    try {
      promise = start(...args);
    } catch (error) {
      return Promise.reject(restack(error, site));
    }
    return promise.then(undefined, (error) => Promise.reject(restack(error, site)));
  };
}

/** A public sync function: what it throws has a stack starting at the caller. */
function sync(run) {
  return function proximusCall(...args) {
    try {
      return run(...args);
    } catch (error) {
      if (error instanceof ProximusError) Error.captureStackTrace?.(error, proximusCall);
      throw error;
    }
  };
}

// A call's own options, `{ signal, timeoutMs, maxRetries }`.

const PER_CALL = ["signal", "timeoutMs", "maxRetries"];

/** The runtime's `aborted` getter: it throws for anything but a genuine AbortSignal (a Proxy too). */
const abortedOf = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted").get;

/**
 * The signal the wasm is given: the runtime's own AbortSignal as it is; any other object shaped
 * like one (another realm's, a polyfill's) bridged to one of ours here, inside a try, so that the
 * wasm only ever touches a genuine signal and no getter or trap of the application's runs there.
 */
function liveSignal(signal) {
  try {
    abortedOf.call(signal);
    return signal;
  } catch {
    // not the runtime's own: bridged below, if it is one at all
  }
  try {
    if (signal === null || typeof signal !== "object" || typeof signal.aborted !== "boolean" ||
        typeof signal.addEventListener !== "function") throw invalid("signal must be an AbortSignal");
    const bridge = new AbortController();
    if (signal.aborted) bridge.abort();
    else signal.addEventListener("abort", () => bridge.abort(), { once: true });
    return bridge.signal;
  } catch (error) {
    throw error instanceof ProximusError ? error : unreadable("signal", error);
  }
}

/** `copy` (of `given`) with its signal a live one again: a copy of a signal is no signal. */
function keepSignal(copy, given) {
  if (copy === null || typeof copy !== "object" || Array.isArray(copy) || copy.signal === undefined) return copy;
  let signal;
  try {
    signal = given.signal;
  } catch (error) {
    throw unreadable("signal", error);
  }
  copy.signal = liveSignal(signal);
  return copy;
}

/** The last argument of a single call. */
const perCall = (options) => keepSignal(arg(options, "options"), options);

/** A method's options object (already copied) split into its own options and the call's. */
function splitCall(copy, given) {
  keepSignal(copy, given);
  if (copy === null || typeof copy !== "object" || Array.isArray(copy)) return [copy, undefined];
  let call;
  for (const key of PER_CALL) {
    if (key in copy) {
      (call ??= Object.create(null))[key] = copy[key];
      delete copy[key];
    }
  }
  return [copy, call];
}

// The application's functions, as the wasm calls them.

/** `getToken` and `store.get`: what they give is copied to plain data here. */
const plainAnswer = (fn, self) => async (...args) => plain(await fn.apply(self, args), 0);

/** Hooks are for information: a throw or a rejection never breaks the call they observe. */
const hook = (fn) => (info) => {
  try {
    const returned = fn(info);
    if (returned !== null && typeof returned === "object" && typeof returned.then === "function") {
      returned.then(undefined, () => {});
    }
  } catch {
    // ignored: see above
  }
};

/** The `fetch` option: anything but a Response resolves to null, which the wasm refuses. */
const fetchOption = (fn) => async (request) => {
  const response = await fn(request);
  return response instanceof Response ? response : null;
};

/**
 * A store (`tokenStore`, `ensure`'s `store`) as `{ get, set }` bound to it: a Workers KV namespace
 * keeps `get` and `put` on its prototype, which a copy would lose.
 */
function store(value) {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return value;
  const get = value.get;
  const set = typeof value.set === "function" ? value.set : value.put;
  return {
    get: typeof get === "function" ? plainAnswer(get, value) : get,
    set: typeof set === "function" ? (...args) => set.apply(value, args) : set,
  };
}

/** An options object holding a store under `key`: the store adapted, the rest copied. */
function withStore(options, key, name) {
  const copy = arg(options, name);
  if (copy === null || typeof copy !== "object" || Array.isArray(copy) || copy[key] === undefined) return copy;
  try {
    copy[key] = store(options[key]);
  } catch (error) {
    throw unreadable(key, error);
  }
  return copy;
}

/** The `logger` (default `console`) as its four methods, bound to it and unable to break a call. */
function logger(value) {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return value;
  const out = Object.create(null);
  for (const level of ["error", "warn", "info", "debug"]) {
    const fn = value[level];
    out[level] = typeof fn === "function" ? hook((line) => fn.call(value, line)) : fn;
  }
  return out;
}

function clientOptions(options) {
  const copy = withStore(options, "tokenStore", "options");
  if (copy === null || typeof copy !== "object") return copy;
  if (typeof copy.getToken === "function") copy.getToken = plainAnswer(copy.getToken);
  if (typeof copy.fetch === "function") copy.fetch = fetchOption(copy.fetch);
  if (typeof copy.onRetry === "function") copy.onRetry = hook(copy.onRetry);
  try {
    // Like every option, null is "not given": the default logger.
    copy.logger = logger(copy.logger == null ? globalThis.console : options.logger);
  } catch (error) {
    throw unreadable("logger", error);
  }
  return copy;
}

function bulkOptions(options) {
  const copy = arg(options, "options");
  if (copy !== null && typeof copy === "object" && typeof copy.onProgress === "function") copy.onProgress = hook(copy.onProgress);
  return splitCall(copy, options);
}

/** A method's options object, copied, then split into its own options and the call's. */
const withCall = (options) => splitCall(arg(options, "options"), options);

/** Every item of a lazy page walk; breaking out of `for await` stops the requests. */
async function* items(pager, site) {
  try {
    for (let page = await pager.next(); page !== null; page = await pager.next()) {
      for (const item of page) yield item; // cheaper than yield*
    }
  } catch (error) {
    throw restack(error, site);
  } finally {
    pager.free();
  }
}

/** A public method returning a lazy walk (`list`): bad options throw at once; failures point at the caller. */
function walk(start) {
  return function proximusCall(options) {
    const site = {};
    Error.captureStackTrace?.(site, proximusCall);
    try {
      return items(start(options), site);
    } catch (error) {
      throw restack(error, site);
    }
  };
}

/** `ensure`'s `coordinator` (a Durable Object namespace, kept as it is), or undefined. */
function coordinatorOf(options) {
  try {
    const coordinator = options?.coordinator;
    if (coordinator === undefined || coordinator === null) return undefined;
    if (typeof coordinator.idFromName !== "function" || typeof coordinator.get !== "function") {
      throw invalid("coordinator must be a Durable Object namespace (its binding in env)");
    }
    return coordinator;
  } catch (error) {
    throw error instanceof ProximusError ? error : unreadable("coordinator", error);
  }
}

/** The Proximus API Solutions client. See index.d.ts for the options. */
export class ProximusClient {
  // Private: credentials live inside the wasm instance, never on a JS-visible property.
  #raw;

  constructor(options) {
    let raw;
    try {
      raw = new wasm.RawClient(clientOptions(options));
    } catch (error) {
      if (error instanceof ProximusError) Error.captureStackTrace?.(error, ProximusClient);
      throw error;
    }
    this.#raw = raw;
    this.tokens = Object.freeze({
      get: method((options) => raw.getToken(perCall(options))),
      revoke: method((options) => raw.revokeToken(perCall(options))),
    });
    this.fmu = Object.freeze({
      getStatus: method((msisdn, options) => raw.fmuGetStatus(arg(msisdn, "msisdn"), perCall(options))),
      setStatus: method((msisdn, status, options) =>
        raw.fmuSetStatus(arg(msisdn, "msisdn"), arg(status, "status"), perCall(options))),
      setCallbackUrl: method((url, options) => raw.fmuSetCallbackUrl(arg(url, "url"), perCall(options))),
      getStatuses: method((numbers, options) => raw.fmuGetStatuses(arg(numbers, "numbers"), ...bulkOptions(options))),
      setStatuses: method((numbers, status, options) =>
        raw.fmuSetStatuses(arg(numbers, "numbers"), arg(status, "status"), ...bulkOptions(options))),
    });
    this.bookings = Object.freeze({
      create: method((input, options) => raw.bookingsCreate(arg(input, "options"), perCall(options))),
      get: method((id, options) => raw.bookingsGet(arg(id, "id"), perCall(options))),
      update: method((id, input, options) => raw.bookingsUpdate(arg(id, "id"), arg(input, "options"), perCall(options))),
      delete: method((id, options) => raw.bookingsDelete(arg(id, "id"), perCall(options))),
      listPage: method((options) => raw.bookingsListPage(...withCall(options))),
      list: walk((options) => raw.bookingsPager(...withCall(options))),
      ensure: method((options) => {
        const coordinator = coordinatorOf(options);
        if (coordinator === undefined) return raw.bookingsEnsure(...splitCall(withStore(options, "store", "options"), options));
        const [copy, call] = splitCall(arg(options, "options"), options);
        delete copy.coordinator;
        if (copy.store !== undefined) throw invalid("give ensure a store or a coordinator, not both: the coordinator keeps its own store");
        wasm.checkEnsureOptions(copy);
        return ensureThrough(coordinator, copy, call);
      }),
      cleanUp: method((options) => raw.bookingsCleanUp(...splitCall(withStore(options, "store", "options"), options))),
    });
    this.cdrs = Object.freeze({
      get: method((id, options) => raw.cdrsGet(arg(id, "id"), perCall(options))),
      confirm: method((event, options) => raw.cdrsConfirm(arg(event, "event"), ...withCall(options))),
      listPage: method((options) => raw.cdrsListPage(...withCall(options))),
      list: walk((options) => raw.cdrsPager(...withCall(options))),
    });
    Object.freeze(this);
  }

  toJSON() {
    return { client: "ProximusClient" };
  }

  toString() {
    return "[object ProximusClient]";
  }
}

/** Reads what the platform POSTs to a booking's callback URL (its text, or the parsed object). */
export const parseCallEvent = sync((body) => wasm.parseCallEvent(arg(body, "body")));
/** Reads what the FMU platform POSTs to the callback URL (its text, or the parsed object). */
export const parseFmuCallback = sync((body) => wasm.parseFmuCallback(arg(body, "body")));
/** `url` with an HMAC-SHA-256 signature over it, its context and expiry. */
export const signCallbackUrl = sync((url, secret, options) =>
  wasm.signCallbackUrl(arg(url, "url"), arg(secret, "secret"), arg(options, "options")));
/** Checks a signed callback URL: `{ url, context, expiresAt }`, or `unauthorized`. */
export const verifyCallbackUrl = sync((url, secret) => wasm.verifyCallbackUrl(arg(url, "url"), arg(secret, "secret")));
/** `32477121212` from any way people type a number. */
export const normalizeMsisdn = sync((msisdn) => wasm.normalizeMsisdn(arg(msisdn, "msisdn")));
/** `+32 477 12 12 12`. */
export const formatMsisdn = sync((msisdn) => wasm.formatMsisdn(arg(msisdn, "msisdn")));
/** `+32 477 •• •• 12`. */
export const maskMsisdn = sync((msisdn) => wasm.maskMsisdn(arg(msisdn, "msisdn")));
