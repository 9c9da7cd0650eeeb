/**
 * Every failure of proximus-api. `code` is stable and machine-readable; `message` is for
 * people and never carries a secret.
 */
export class ProximusError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = "ProximusError";
    this.code = details.code ?? "unknown";
    this.status = details.status;
    this.retryable = Boolean(details.retryable);
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.serviceCode !== undefined) this.serviceCode = details.serviceCode;
    if (details.msisdn !== undefined) this.msisdn = details.msisdn;
  }
}
