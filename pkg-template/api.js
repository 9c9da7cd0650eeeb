// The public JavaScript surface: thin wrappers over the wasm exports. Loaded by each runtime's
// entry (node.js, browser.js, workerd.js) once the wasm module is instantiated.
import { RawClient } from "./proximus_api.js";
export { ProximusError } from "./proximus_error.js";
export { normalizeMsisdn, formatMsisdn, maskMsisdn, parseFmuCallback } from "./proximus_api.js";

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
    Object.freeze(this);
  }

  toJSON() {
    return { client: "ProximusClient" };
  }

  toString() {
    return "[object ProximusClient]";
  }
}
