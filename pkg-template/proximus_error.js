/**
 * Every failure of proximus-api. `code` is stable and machine-readable; `message` is for
 * people and never carries a secret or a full phone number.
 */
export class ProximusError extends Error {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ProximusError";
    this.code = details.code ?? "unknown";
    this.status = details.status;
    this.retryable = Boolean(details.retryable);
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.serviceCode !== undefined) this.serviceCode = details.serviceCode;
    if (details.msisdn !== undefined) this.msisdn = details.msisdn;
    if (details.partial !== undefined) this.partial = details.partial;
    if (details.outcome !== undefined) this.outcome = details.outcome;
  }

  /** What `JSON.stringify` writes (an Error's own message is not enumerable). */
  toJSON() {
    const json = { name: this.name, code: this.code, message: this.message };
    for (const key of ["status", "retryable", "retryAfterMs", "serviceCode", "msisdn", "outcome"]) {
      if (this[key] !== undefined) json[key] = this[key];
    }
    return json;
  }
}
