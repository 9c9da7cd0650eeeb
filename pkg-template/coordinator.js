// One place per key for `bookings.ensure` on Cloudflare Workers: a Durable Object per key runs
// every ensure of that key, from every isolate, so a key is booked at most once at a time. The
// Worker side only forwards the (checked) request to the key's object and rebuilds its answer.
import { ProximusError } from "./proximus_error.js";

/** Where the Worker side sends a request (Durable Object stubs need an absolute URL). */
const ENSURE_URL = "https://booking-coordinator.invalid/ensure";

/** An error as it crosses from the object to the Worker (`toJSON` keeps what callers test). */
function errorAnswer(error) {
  if (error instanceof ProximusError) return error.toJSON();
  return { code: "callback", message: `the booking coordinator failed: ${String(error?.message ?? error)}` };
}

/**
 * The key's entry kept in the object's own storage as well as in the application's store: the
 * object's storage is strongly consistent, KV only eventually; the store (KV) is what the Worker,
 * adoption and the clean-up read.
 */
function durable(storage, store) {
  const set = typeof store.set === "function" ? store.set : store.put;
  return {
    async get(key) {
      return (await storage.get(key)) ?? (await store.get(key));
    },
    async set(key, value) {
      await set.call(store, key, value);
      await storage.put(key, value);
    },
  };
}

/** Clients already given to an object: one shared by two objects would do I/O for both. */
const taken = new WeakSet();

/**
 * A Durable Object class running `bookings.ensure` for the keys routed to it (one key per object
 * with `idFromName(key)`). Subclass it, give it its client and store, export it and bind it:
 *
 *   export class Bookings extends BookingCoordinator {
 *     createClient(env) { return new ProximusClient({ … }); }
 *     bookingStore(env) { return env.PROXIMUS_KV; }
 *   }
 */
export class BookingCoordinator {
  #state;
  #env;
  #client;
  #store;

  constructor(state, env) {
    this.#state = state;
    this.#env = env;
  }

  /** The client this object books with (created once per object). Override it. */
  createClient(_env) {
    throw new ProximusError("BookingCoordinator: override createClient(env) to return a ProximusClient", { code: "invalid_argument" });
  }

  /** Where booking ids are kept (a KV namespace as it is; the clean-up reads the same). Override it. */
  bookingStore(_env) {
    throw new ProximusError("BookingCoordinator: override bookingStore(env) to return a store (a KV namespace)", { code: "invalid_argument" });
  }

  async fetch(request) {
    try {
      const options = await request.json();
      this.#client ??= ownClient(this.createClient(this.#env));
      this.#store ??= durable(this.#state.storage, this.bookingStore(this.#env));
      const booking = await this.#client.bookings.ensure({ ...options, store: this.#store });
      return Response.json({ booking });
    } catch (error) {
      return Response.json({ error: errorAnswer(error) });
    }
  }
}

/**
 * `client`, refused if another object has it: what a client shares between calls (its token
 * request, its queue) would wake one object's work inside another, where workerd forbids its I/O.
 */
function ownClient(client) {
  if (client === null || typeof client !== "object" || typeof client.bookings?.ensure !== "function") {
    throw new ProximusError("BookingCoordinator: createClient(env) must return a ProximusClient", { code: "invalid_argument" });
  }
  if (taken.has(client)) {
    throw new ProximusError("BookingCoordinator: createClient(env) must return a new ProximusClient for each object, not a shared one", { code: "invalid_argument" });
  }
  taken.add(client);
  return client;
}

/** The abort error every method rejects with. */
const aborted = () => new ProximusError("the call was aborted by its signal", { code: "aborted" });

/**
 * `bookings.ensure` through `namespace`'s object for `options.key` (`options` already checked and
 * copied; `call` the call's own options). The signal stops the wait, never the object's work.
 */
export async function ensureThrough(namespace, options, call) {
  const signal = call?.signal;
  if (signal?.aborted) throw aborted();
  const body = { ...options };
  if (call?.timeoutMs !== undefined) body.timeoutMs = call.timeoutMs;
  if (call?.maxRetries !== undefined) body.maxRetries = call.maxRetries;
  let stub;
  try {
    stub = namespace.get(namespace.idFromName(options.key));
  } catch (error) {
    throw new ProximusError(`coordinator must be a Durable Object namespace: ${String(error?.message ?? error)}`, { code: "invalid_argument" });
  }
  const asked = stub.fetch(ENSURE_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    .then((response) => response.json());
  const answer = await (signal ? untilAborted(asked, signal) : asked).catch((error) => {
    if (error instanceof ProximusError) throw error;
    throw new ProximusError(`the booking coordinator could not be reached: ${String(error?.message ?? error)}`, { code: "network", retryable: true });
  });
  if (answer?.error) throw new ProximusError(answer.error.message, answer.error);
  const booking = answer?.booking;
  if (booking === null || typeof booking !== "object") throw new ProximusError("the booking coordinator gave no booking", { code: "bad_response" });
  booking.endTime = new Date(booking.endTime);
  if (booking.storeError) booking.storeError = new ProximusError(booking.storeError.message, booking.storeError);
  return booking;
}

function untilAborted(promise, signal) {
  return new Promise((resolve, reject) => {
    const stop = () => reject(aborted());
    signal.addEventListener("abort", stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}
