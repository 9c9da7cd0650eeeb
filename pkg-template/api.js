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
      create: (options) => raw.bookingsCreate(options),
      get: (id) => raw.bookingsGet(id),
      update: (id, options) => raw.bookingsUpdate(id, options),
      delete: (id) => raw.bookingsDelete(id),
      listPage: (options) => raw.bookingsListPage(options),
      list: (options) => items(raw.bookingsPager(options)),
      ensure: (options) => raw.bookingsEnsure(options),
    });
    this.cdrs = Object.freeze({
      get: (id) => raw.cdrsGet(id),
      listPage: (options) => raw.cdrsListPage(options),
      list: (options) => items(raw.cdrsPager(options)),
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
