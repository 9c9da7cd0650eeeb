// The public JavaScript surface: thin wrappers over the wasm exports. Loaded by each runtime's
// entry (node.js, browser.js, workerd.js) once the wasm module is instantiated.
import { RawClient } from "./proximus_api.js";
export { ProximusError } from "./proximus_error.js";
export {
  normalizeMsisdn,
  formatMsisdn,
  maskMsisdn,
  parseFmuCallback,
  parseCallEvent,
  signCallbackUrl,
  verifyCallbackUrl,
} from "./proximus_api.js";

// Bookings and call records arrive from the wasm as one JSON text each (a page as one text:
// one boundary crossing, parsed by the engine's JSON.parse), their instants as epoch ms.
const dated = (key) => (item) => {
  item[key] = new Date(item[key]);
  return item;
};
const booking = dated("endTime");
const record = dated("timestamp");
const one = (revive) => (text) => revive(JSON.parse(text));
const page = (revive) => (text) => {
  const parsed = JSON.parse(text);
  parsed.items.forEach(revive);
  return parsed;
};
const oneBooking = one(booking);
const oneRecord = one(record);
const bookingPage = page(booking);
const recordPage = page(record);

/** Every item of a lazy page walk; breaking out of `for await` stops the requests. */
async function* items(pager, revive) {
  try {
    for (let text = await pager.next(); text !== null; text = await pager.next()) {
      const batch = JSON.parse(text);
      batch.forEach(revive);
      yield* batch;
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
    const raw = new RawClient(options);
    this.#raw = raw;
    this.tokens = Object.freeze({
      get: () => raw.getToken(),
      revoke: () => raw.revokeToken(),
    });
    this.fmu = Object.freeze({
      getStatus: (msisdn) => raw.fmuGetStatus(msisdn),
      setStatus: (msisdn, status) => raw.fmuSetStatus(msisdn, status),
      setCallbackUrl: (url) => raw.fmuSetCallbackUrl(url),
      getStatuses: (numbers, options) => raw.fmuGetStatuses(numbers, options),
      setStatuses: (numbers, status, options) => raw.fmuSetStatuses(numbers, status, options),
    });
    this.bookings = Object.freeze({
      create: (options) => raw.bookingsCreate(options).then(oneBooking),
      get: (id) => raw.bookingsGet(id).then(oneBooking),
      update: (id, options) => raw.bookingsUpdate(id, options).then(oneBooking),
      delete: (id) => raw.bookingsDelete(id),
      listPage: (options) => raw.bookingsListPage(options).then(bookingPage),
      list: (options) => items(raw.bookingsPager(options), booking),
      ensure: (options) => raw.bookingsEnsure(options).then(oneBooking),
    });
    this.cdrs = Object.freeze({
      get: (id) => raw.cdrsGet(id).then(oneRecord),
      listPage: (options) => raw.cdrsListPage(options).then(recordPage),
      list: (options) => items(raw.cdrsPager(options), record),
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
