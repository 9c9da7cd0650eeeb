// The public JavaScript surface: thin wrappers over the wasm exports, loaded by each runtime's
// entry (node.js, browser.js, workerd.js) once the wasm module is instantiated.
//
// Every argument is first copied here to plain data (strings, numbers, booleans, arrays, plain
// objects; Dates as epoch ms; functions kept), so a throwing getter or a Proxy trap runs in
// JavaScript, inside a try, and never inside the wasm. Results come back as they are: plain
// objects from serde-wasm-bindgen, with Dates.
import * as wasm from "./proximus_api.js";
import { ProximusError } from "./proximus_error.js";

export { ProximusError };

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

/** The `invalid_argument` for an argument that could not be read. */
const unreadable = (name, error) =>
  new ProximusError(`${name} could not be read: ${reason(error)}`, { code: "invalid_argument", retryable: false });

/** Argument `name` as plain data, or `invalid_argument`. */
function arg(value, name) {
  try {
    return plain(value, 0);
  } catch (error) {
    throw unreadable(name, error);
  }
}

/** An async call: a bad argument rejects (it does not throw). */
function later(run) {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error);
  }
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

function clientOptions(options) {
  const copy = withStore(options, "tokenStore", "options");
  if (copy === null || typeof copy !== "object") return copy;
  if (typeof copy.getToken === "function") copy.getToken = plainAnswer(copy.getToken);
  if (typeof copy.fetch === "function") copy.fetch = fetchOption(copy.fetch);
  if (typeof copy.onRetry === "function") copy.onRetry = hook(copy.onRetry);
  return copy;
}

function bulkOptions(options) {
  const copy = arg(options, "options");
  if (copy !== null && typeof copy === "object" && typeof copy.onProgress === "function") copy.onProgress = hook(copy.onProgress);
  return copy;
}

/** Every item of a lazy page walk; breaking out of `for await` stops the requests. */
async function* items(pager) {
  try {
    for (let page = await pager.next(); page !== null; page = await pager.next()) {
      yield* page;
    }
  } finally {
    pager.free();
  }
}

/** The Proximus API Solutions client. See index.d.ts for the options. */
export class ProximusClient {
  // Private: credentials live inside the wasm instance, never on a JS-visible property.
  #raw;

  constructor(options) {
    const raw = new wasm.RawClient(clientOptions(options));
    this.#raw = raw;
    this.tokens = Object.freeze({
      get: () => later(() => raw.getToken()),
      revoke: () => later(() => raw.revokeToken()),
    });
    this.fmu = Object.freeze({
      getStatus: (msisdn) => later(() => raw.fmuGetStatus(arg(msisdn, "msisdn"))),
      setStatus: (msisdn, status) => later(() => raw.fmuSetStatus(arg(msisdn, "msisdn"), arg(status, "status"))),
      setCallbackUrl: (url) => later(() => raw.fmuSetCallbackUrl(arg(url, "url"))),
      getStatuses: (numbers, options) => later(() => raw.fmuGetStatuses(arg(numbers, "numbers"), bulkOptions(options))),
      setStatuses: (numbers, status, options) =>
        later(() => raw.fmuSetStatuses(arg(numbers, "numbers"), arg(status, "status"), bulkOptions(options))),
    });
    this.bookings = Object.freeze({
      create: (options) => later(() => raw.bookingsCreate(arg(options, "options"))),
      get: (id) => later(() => raw.bookingsGet(arg(id, "id"))),
      update: (id, options) => later(() => raw.bookingsUpdate(arg(id, "id"), arg(options, "options"))),
      delete: (id) => later(() => raw.bookingsDelete(arg(id, "id"))),
      listPage: (options) => later(() => raw.bookingsListPage(arg(options, "options"))),
      list: (options) => items(raw.bookingsPager(arg(options, "options"))),
      ensure: (options) => later(() => raw.bookingsEnsure(withStore(options, "store", "options"))),
    });
    this.cdrs = Object.freeze({
      get: (id) => later(() => raw.cdrsGet(arg(id, "id"))),
      listPage: (options) => later(() => raw.cdrsListPage(arg(options, "options"))),
      list: (options) => items(raw.cdrsPager(arg(options, "options"))),
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
export const parseCallEvent = (body) => wasm.parseCallEvent(arg(body, "body"));
/** Reads what the FMU platform POSTs to the callback URL (its text, or the parsed object). */
export const parseFmuCallback = (body) => wasm.parseFmuCallback(arg(body, "body"));
/** `url` with an HMAC-SHA-256 signature over it, its context and expiry. */
export const signCallbackUrl = (url, secret, options) =>
  wasm.signCallbackUrl(arg(url, "url"), arg(secret, "secret"), arg(options, "options"));
/** Checks a signed callback URL: `{ url, context, expiresAt }`, or `unauthorized`. */
export const verifyCallbackUrl = (url, secret) => wasm.verifyCallbackUrl(arg(url, "url"), arg(secret, "secret"));
/** `32477121212` from any way people type a number. */
export const normalizeMsisdn = (msisdn) => wasm.normalizeMsisdn(arg(msisdn, "msisdn"));
/** `+32 477 12 12 12`. */
export const formatMsisdn = (msisdn) => wasm.formatMsisdn(arg(msisdn, "msisdn"));
/** `+32 477 •• •• 12`. */
export const maskMsisdn = (msisdn) => wasm.maskMsisdn(arg(msisdn, "msisdn"));
