// Outgoing callbacks (FMU async results, call events). Delivery never blocks the API answer,
// retries a few times with a short backoff, logs failures and never throws into the server.
import { sleep } from "./http.js";

const MAX_RECORDS = 1000;
const ATTEMPT_TIMEOUT_MS = 5000;

export class CallbackQueue {
  /**
   * @param {object} o
   * @param {() => object} o.state        returns the live state (it is swapped on reset)
   * @param {Function} o.deliver          a fetch used to POST callbacks
   * @param {number[]} o.retryDelaysMs    waits between attempts (attempts = length + 1)
   * @param {{warn: Function}} o.logger
   * @param {() => number} o.now        the sandbox clock, for the record's time
   */
  constructor({ state, deliver, retryDelaysMs, logger, now }) {
    this.getState = state;
    this.now = now || Date.now;
    this.deliver = deliver;
    this.retryDelaysMs = retryDelaysMs;
    this.logger = logger;
    this.pending = new Set();
  }

  /** Queues one POST; `waitUntil` (Workers) keeps the isolate alive until delivery ends. */
  send(url, body, waitUntil) {
    const record = { url, body, delivered: false, attempts: 0, error: null, status: null, at: new Date(this.now()).toISOString() };
    const list = this.getState().callbacks;
    list.push(record);
    if (list.length > MAX_RECORDS) list.splice(0, list.length - MAX_RECORDS);
    const run = this.#run(record).catch((err) => { record.error = String(err?.message || err); });
    this.pending.add(run);
    run.finally(() => this.pending.delete(run));
    if (typeof waitUntil === "function") {
      try { waitUntil(run); } catch { /* not in a request context */ }
    }
    return record;
  }

  async #run(record) {
    // Let the API answer go out first, like the platform's queue.
    await Promise.resolve();
    const payload = JSON.stringify(record.body);
    for (let attempt = 0; ; attempt++) {
      record.attempts = attempt + 1;
      try {
        const signal = typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) : undefined;
        const res = await this.deliver(record.url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "proximus-sandbox" },
          body: payload,
          signal,
        });
        record.status = res.status;
        try { await res.arrayBuffer(); } catch { /* body is not ours to judge */ }
        if (res.ok) { record.delivered = true; record.error = null; return; }
        record.error = `callback answered HTTP ${res.status}`;
      } catch (err) {
        record.error = String(err?.cause?.code || err?.message || err);
      }
      if (attempt >= this.retryDelaysMs.length) {
        this.logger?.warn?.(`[sandbox] callback to ${record.url} failed after ${record.attempts} attempts: ${record.error}`);
        return;
      }
      await sleep(this.retryDelaysMs[attempt], { unref: true });
    }
  }

  /** Resolves once every queued delivery (including retries) has finished. */
  async idle() {
    // Retry timers are unref'd; someone waiting for them wants the process kept alive meanwhile.
    const keepAlive = this.pending.size ? setInterval(() => {}, 1000) : null;
    try {
      while (this.pending.size) await Promise.allSettled([...this.pending]);
    } finally {
      if (keepAlive !== null) clearInterval(keepAlive);
    }
  }
}
