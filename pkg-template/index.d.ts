/**
 * Stable error categories of {@link ProximusError.code}:
 *
 * | code | when | retryable |
 * | --- | --- | --- |
 * | `invalid_argument` | bad input, caught before anything is sent | no |
 * | `bad_request` | the server refused the request (400, other 4xx) | no |
 * | `unauthorized` / `forbidden` | 401 / 403 | no |
 * | `not_found` / `conflict` | 404 / 409 | no |
 * | `rate_limited` | 429 (`retryAfterMs` says how long to wait) | yes |
 * | `server_error` | 500 and other 5xx | no |
 * | `unavailable` | 502, 503, 504 | yes |
 * | `timeout` | no answer within `timeoutMs` | yes |
 * | `network` | the request or its answer failed in transit (`cause`: the runtime's error) | yes |
 * | `bad_response` | an answer or callback body the client cannot read | no |
 * | `fmu_error` | the FMU platform refused a number (`msisdn`) | no |
 * | `callback_error` | the application's `getToken`, `tokenStore`, store or `fetch` failed | no |
 * | `aborted` | the call's `signal` fired | no |
 */
export type ProximusErrorCode =
  | "invalid_argument"
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "server_error"
  | "unavailable"
  | "timeout"
  | "network"
  | "bad_response"
  | "fmu_error"
  | "callback_error"
  | "aborted";

/** What `JSON.stringify(error)` writes: no stack, no `cause`. */
export interface ProximusErrorJSON {
  name: "ProximusError";
  code: ProximusErrorCode;
  message: string;
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
  serviceCode?: string;
  msisdn?: string;
}

/**
 * Every failure of the library. Its message never holds a secret, a token or a full phone number
 * (the `msisdn` property has the number), and names the request where there was one:
 * `POST /rentednumbers/1.0.0/bookings to 127.0.0.1:8787: connect ECONNREFUSED`,
 * `GET /fmu/1.0.0/status?msisdn=•••••••••12 to api.enco.io: no answer within 10000 ms`.
 * Its `stack` starts at the application's call, not inside the library.
 */
export declare class ProximusError extends Error {
  readonly name: "ProximusError";
  /** Stable, machine-readable category. */
  readonly code: ProximusErrorCode;
  /** The HTTP status, where the server answered. */
  readonly status?: number;
  /** Whether the same call may succeed later. */
  readonly retryable: boolean;
  /** The delay the server asked for (`Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number;
  /** The service's own error code (`NO_NUMBER_AVAILABLE`, `invalid_client`, `900901`…). */
  readonly serviceCode?: string;
  /** The number an FMU error is about. */
  readonly msisdn?: string;
  /**
   * What went wrong underneath, scrubbed of secrets: on `network` errors the runtime's own error
   * (in Node, `TypeError: fetch failed` with its `cause`, e.g. `connect ECONNREFUSED`).
   */
  readonly cause?: unknown;
  /**
   * On an aborted `getStatuses` / `setStatuses`: what was done before the abort. Chunks the
   * platform accepted have their `requestId` (or `results`); the others an `error` with code
   * `aborted`.
   */
  readonly partial?: FmuBulkResult;
  /**
   * `"unknown"` on a paid request (`POST /bookings`, a top-up) that failed in a way that may have
   * taken effect (a lost answer, a timeout, a 502 or 504): the booking may exist. Such an error is
   * never `retryable`; `bookings.ensure` adopts the booking on the key's next call.
   */
  readonly outcome?: "unknown";
  constructor(message: string, details: ProximusErrorDetails);
  /** The error as plain data, for logs and HTTP answers. */
  toJSON(): ProximusErrorJSON;
}

/** What `new ProximusError(message, details)` takes (e.g. to fake failures in a test `fetch`). */
export interface ProximusErrorDetails {
  code: ProximusErrorCode;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  serviceCode?: string;
  msisdn?: string;
  outcome?: "unknown";
  /** The underlying error, kept as `error.cause`. */
  cause?: unknown;
}

/** A token handed over by `getToken` or a `tokenStore`. */
export interface ProvidedToken {
  accessToken: string;
  /** When it stops working: a Date, epoch milliseconds or an ISO string. */
  expiresAt?: Date | number | string | null;
}

/**
 * The OAuth2 token answer (RFC 6749 §5.1) as a backend forwards it from `/token`: `getToken` may
 * return it as it is.
 */
export interface OAuthTokenResponse {
  access_token: string;
  /** Seconds from now until it expires; without it the token is used until a 401. */
  expires_in?: number;
  token_type?: string;
  scope?: string;
}

/** What `getToken` gives: a bare token, `{ accessToken, expiresAt }`, or the OAuth answer. */
export type TokenProviderResult = string | ProvidedToken | OAuthTokenResponse;

/** Shares the one active token between isolates (e.g. Workers KV). */
export interface TokenStore {
  /** The token saved by `set`, or nothing (the client then asks `/token`). */
  get(): Promise<ProvidedToken | null | undefined> | ProvidedToken | null | undefined;
  /** Called with each new token; `expiresAt` is `null` when the server gave no lifetime. */
  set(accessToken: string, expiresAt: Date | null): Promise<void> | void;
}

/** What the client reports before each retry. */
export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** How long the client waits before retrying. */
  delayMs: number;
  /** The failure being retried. */
  error: ProximusError;
}

/**
 * Options of one call, overriding the client's for that call only. Single calls take them as
 * their last argument (`client.fmu.getStatus(msisdn, { signal })`); methods with an options
 * object take them inside it (`client.bookings.list({ pageSize: 50, signal })`).
 */
export interface RequestOptions {
  /**
   * Cancels the call: it rejects with `ProximusError` code `aborted` within milliseconds,
   * wherever it is (in flight, waiting to retry, queued behind `maxConcurrentRequests`, waiting
   * for the shared token request, which goes on for its other callers). An already-aborted
   * signal rejects at once and sends nothing. `bookings.ensure` never abandons a booking or
   * top-up it has sent: it waits for the answer and stores the id, then rejects.
   */
  signal?: AbortSignal;
  /** Per attempt, in milliseconds: a whole number from 1 to 600 000. */
  timeoutMs?: number;
  /** Retries after the first attempt: a whole number from 0 to 10. */
  maxRetries?: number;
}

/** How much the client logs: each level includes the ones before it. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/**
 * Where the client's log lines go (`console` by default; pino, winston and the like fit). Each
 * method gets one line of text, never a secret, a token or a full phone number. At `debug`:
 * each request and answer (method, masked path, status, attempt, milliseconds); at `info`: a
 * token obtained or refused; at `warn`: each retry and why; at `error`: a call that finally
 * failed.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The client's options shared by the three ways to authenticate. */
export interface CommonOptions {
  /** Default `https://api.enco.io`. */
  baseUrl?: string;
  /** Default `{baseUrl}/token`. */
  tokenUrl?: string;
  /** Default `{baseUrl}/revoke`. */
  revokeUrl?: string;
  /** Default `{baseUrl}/fmu/1.0.0`. */
  fmuUrl?: string;
  /** Default `{baseUrl}/rentednumbers/1.0.0`. */
  rentedNumbersUrl?: string;
  /** Per attempt, in milliseconds, 1 to 600 000 (default 10 000); a call may override it. */
  timeoutMs?: number;
  /** Retries after the first attempt, 0 to 10 (default 2); a call may override it. */
  maxRetries?: number;
  /**
   * Requests this client has in flight at once, 1 to 1000 (default 6 in browsers and Workers,
   * which queue requests past 6 connections; 32 in Node). The others wait their turn before their
   * `timeoutMs` starts.
   */
  maxConcurrentRequests?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
  /** Called before each retry. */
  onRetry?: (info: RetryInfo) => void;
  /** Where log lines go (default `console`; `null` too). `logLevel: "off"` logs nothing. */
  logger?: Logger | null;
  /** How much is logged (default `"warn"`: retries and failures). */
  logLevel?: LogLevel;
}

// The three ways to authenticate. Each kind's main option (`clientId`, `accessToken`, `getToken`)
// is declared in its own interface only: tsc then reports an unchecked `process.env.X` as
// "Type 'string | undefined' is not assignable to type 'string'" on that option, not as another
// kind's missing option (which a `clientId?: never` elsewhere made it pick). The `never` options
// left make an object literal mixing two kinds an error; the client refuses any mix at run time.

/** OAuth2 client credentials: tokens come from `/token` and are refreshed. */
export interface ClientCredentialsOptions extends CommonOptions {
  clientId: string;
  clientSecret: string;
  /** Send the credentials in the form body (default) or as HTTP Basic. */
  clientAuth?: "body" | "basic";
  /** Shares the active token between isolates (e.g. Workers KV). */
  tokenStore?: TokenStore;
}

/** A permanent token made in the portal: never refreshed. */
export interface PermanentTokenOptions extends CommonOptions {
  accessToken: string;
  clientSecret?: never;
  clientAuth?: never;
  tokenStore?: never;
  getToken?: never;
}

/** Tokens from the application's own function (e.g. from a backend); asked again once after a 401. */
export interface TokenProviderOptions extends CommonOptions {
  getToken: () => Promise<TokenProviderResult> | TokenProviderResult;
  clientSecret?: never;
  clientAuth?: never;
  tokenStore?: never;
}

/** Exactly one way to authenticate, and the common options. */
export type ProximusClientOptions = ClientCredentialsOptions | PermanentTokenOptions | TokenProviderOptions;

/** An OAuth2 access token. */
export interface AccessToken {
  accessToken: string;
  tokenType: string;
  scope: string;
  /** `null` for tokens that do not expire (permanent, or from `getToken` without expiry). */
  expiresAt: Date | null;
}

/** An FMU profile. */
export type FmuStatus = "PRIVATE" | "PROFESSIONAL" | "ON_DUTY";

/** The status of one number. */
export interface FmuStatusResult {
  /** Normalized, e.g. `32477121212`. */
  msisdn: string;
  status: FmuStatus;
}

/** One number's outcome, in a callback or a single-number bulk chunk. */
export interface FmuResult {
  msisdn: string;
  /** For `GET_STATUS` results without error. */
  status?: FmuStatus;
  /** For `SET_STATUS` results. */
  success?: boolean;
  /** The platform's message when it refused the number. */
  errorMessage?: string;
}

/** Bulk progress, in distinct numbers whose chunk has settled. */
export interface FmuProgress {
  done: number;
  total: number;
}

/** Options of `getStatuses` and `setStatuses`, and the call's own (`signal`, `timeoutMs`, `maxRetries`). */
export interface FmuBulkOptions extends RequestOptions {
  /** Where the platform POSTs the results (`https`, or loopback `http`); default: the registered one. */
  callbackUrl?: string;
  /** Chunks in flight at once, 1–16 (default 4). */
  concurrency?: number;
  /** Called after each chunk settles. */
  onProgress?: (progress: FmuProgress) => void;
}

/** One chunk of up to 50 numbers. */
export interface FmuChunk {
  index: number;
  /** The normalized numbers of this chunk. */
  msisdns: string[];
  /** Matches the `requestId` of the callback carrying this chunk's results. */
  requestId?: string;
  /** Present when the chunk was a single number, answered at once (no callback follows). */
  results?: FmuResult[];
  /** Why the chunk failed after retries (or `aborted`: never sent); the other chunks are unaffected. */
  error?: ProximusError;
}

/** The answer of a bulk call: the results themselves arrive at the callback URL. */
export interface FmuBulkResult {
  /** Distinct numbers. */
  total: number;
  failedChunks: number;
  failedNumbers: number;
  chunks: FmuChunk[];
}

/** What the FMU platform POSTs to the callback URL. */
export interface FmuCallback {
  requestId: string;
  type: "GET_STATUS" | "SET_STATUS";
  results: FmuResult[];
}

/** A usage plan: SMALL (7 days, 3 600 s, 25 calls), MEDIUM (30 days, 18 000 s, 100 calls), LARGE (90 days, 60 000 s, 500 calls) in the sandbox. */
export type UsagePlan = "SMALL" | "MEDIUM" | "LARGE";

/** A temporary number forwarding to a hidden one. */
export interface Booking {
  id: string;
  /** The temporary number to publish. */
  service: string;
  /** The hidden real number. */
  destination?: string;
  usagePlan?: UsagePlan;
  /** When calls stop being forwarded. */
  endTime: Date;
  secondsRemaining?: number;
  callsRemaining?: number;
}

/** Options of `bookings.create`. */
export interface CreateBookingOptions {
  /** The hidden real number, typed any usual way. */
  destination: string;
  usagePlan: UsagePlan;
  /** Where call events are POSTed: `https` (loopback `http` for development). Sign it with `signCallbackUrl`. */
  callbackUrl: string;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  totalElements: number | null;
  totalPages: number | null;
}

/** A call received on a temporary number. */
export interface CallRecord {
  id: string;
  timestamp: Date;
  duration?: number;
  source?: string;
  /** The temporary number that was called. */
  service?: string;
}

/** A completed call, POSTed to a booking's callback URL. */
export interface CompletedCallEvent {
  kind: "completed";
  id: string;
  timestamp: Date;
  duration: number;
  source: string;
  destination: string;
  bookingId: string;
}

/** A call to an expired booking. */
export interface ExpiredCallEvent {
  kind: "expired";
  timestamp: Date;
  source: string;
  destination: string;
  bookingId: string;
  message: string;
}

/** What the platform POSTs to a booking's callback URL. */
export type CallEvent = CompletedCallEvent | ExpiredCallEvent;

/** Options of `cdrs.confirm`, and the call's own (`signal`, `timeoutMs`, `maxRetries`). */
export interface ConfirmCallOptions extends RequestOptions {
  /** The temporary number (the booking's `service`) the call must have been made to; not checked when absent or `undefined`. */
  service?: string | undefined;
}

/** A field of a call event that the platform's record of the call contradicts. */
export type CallEventField = "id" | "source" | "duration" | "timestamp" | "service";

/**
 * What `cdrs.confirm` found: the platform's record that the event matches, or why not —
 * `no_record` (no call with the event's id), `mismatch` (`field` differs) or `expired_booking`
 * (a call to an expired booking leaves no record to check).
 */
export type CallConfirmation =
  | { confirmed: true; record: CallRecord }
  | { confirmed: false; reason: "mismatch"; field: CallEventField; message: string }
  | { confirmed: false; reason: "no_record" | "expired_booking"; message: string };

/** Where `bookings.ensure` remembers the booking id of each key (a Workers KV namespace works as is). */
export interface BookingStore {
  get(key: string): Promise<string | null | undefined> | string | null | undefined;
  set?(key: string, bookingId: string): Promise<unknown> | unknown;
  put?(key: string, bookingId: string): Promise<unknown> | unknown;
}

/** Options of `bookings.ensure`, and the call's own (`signal`, `timeoutMs`, `maxRetries`). */
export interface EnsureBookingOptions extends CreateBookingOptions, RequestOptions {
  /** E.g. the listing id. */
  key: string;
  store: BookingStore;
  /** Top up when fewer seconds or calls remain (default 300 seconds, 2 calls). */
  renewBelow?: { seconds?: number; calls?: number };
}

/**
 * `bookings.ensure` through a Durable Object per key (the `BookingCoordinator` subclass bound as
 * `coordinator`): the object keeps the booking ids in its own store.
 */
export interface CoordinatedEnsureOptions extends Omit<EnsureBookingOptions, "store"> {
  /** The Durable Object namespace binding of your `BookingCoordinator` subclass (`env.BOOKINGS`). */
  coordinator: DurableObjectNamespaceLike;
  store?: never;
}

/** The part of a Durable Object namespace binding `ensure` uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** What `bookings.ensure` did (`adopted`: the booking of an earlier ambiguous attempt was found and kept). */
export type EnsureAction = "reused" | "topped_up" | "booked" | "adopted";

/** The booking `bookings.ensure` gives, with what it did. */
export interface EnsuredBooking extends Booking {
  action: EnsureAction;
  /**
   * Only when a new booking was made but storing its id failed: the booking works, but the next
   * `ensure` of the key will not know it unless you store `id` yourself.
   */
  storeError?: ProximusError;
}

/** Options of `bookings.cleanUp`, and the call's own (`signal`, `timeoutMs`, `maxRetries`). */
export interface CleanUpOptions extends RequestOptions {
  /** The store `ensure` keeps the booking ids in (a KV namespace as it is). */
  store: BookingStore;
  /** Orphans booked less than this long ago are kept for a later run (default one hour). */
  graceMs?: number;
  /** Report, delete nothing. */
  dryRun?: boolean;
}

/** What `bookings.cleanUp` found and did. */
export interface CleanUpReport {
  /** Bookings listed (those in their grace period after expiry included). */
  checked: number;
  /** Bookings a key refers to: kept. */
  referenced: number;
  /** Orphans younger than `graceMs`: kept for a later run. */
  waiting: Booking[];
  /** Orphans deleted (in a dry run: to delete). */
  deleted: Booking[];
  /** Orphans whose delete failed. */
  failed: { booking: Booking; error: ProximusError }[];
}

/**
 * A Durable Object class that runs `bookings.ensure` for one key at a time, whichever isolate
 * asks: subclass it with its client and store, export it from the Worker and bind it, then pass
 * the binding as `ensure`'s `coordinator`.
 */
export declare class BookingCoordinator {
  /** The Durable Object's state (its storage keeps the key's entry too) and env, as workerd gives them. */
  constructor(state: unknown, env: unknown);
  /**
   * The client this object books with (called once per object): a new one, not the isolate's
   * (workerd forbids one object's I/O inside another, which a shared client's token request or
   * queue would cause); a shared client is refused with `invalid_argument`.
   */
  createClient(env: unknown): ProximusClient;
  /** Where the booking ids are kept: the store the Worker's `cleanUp` reads (a KV namespace). */
  bookingStore(env: unknown): BookingStore;
  fetch(request: Request): Promise<Response>;
}

/** An instant: a Date, epoch milliseconds or an ISO-8601 string. */
export type Instant = Date | number | string;

/**
 * Options of `bookings.list` and `bookings.listPage` (the same names in both), and the call's own
 * (`signal`, `timeoutMs`, `maxRetries`; for `list`, they apply to each page's request).
 */
export interface BookingListOptions extends RequestOptions {
  /** The page to fetch (0-based); for `list`, the first one. Default 0. */
  page?: number;
  /** Items per page, 1 to 100 (default 20). */
  pageSize?: number;
  /** @deprecated The name `listPage` had before 0.1: use `pageSize`. */
  size?: number;
  /** Also list bookings in their grace period. */
  includeExpired?: boolean;
}

/**
 * Options of `cdrs.list` and `cdrs.listPage` (the same names in both), and the call's own
 * (`signal`, `timeoutMs`, `maxRetries`; for `list`, they apply to each page's request).
 */
export interface CallRecordListOptions extends RequestOptions {
  /** The page to fetch (0-based); for `list`, the first one. Default 0. */
  page?: number;
  /** Items per page, 1 to 100 (default 20). */
  pageSize?: number;
  /** @deprecated The name `listPage` had before 0.1: use `pageSize`. */
  size?: number;
  /** Only calls at or after this instant. */
  from?: Instant;
  /** Only calls at or before this instant. */
  to?: Instant;
}

/**
 * The Proximus API Solutions client. Every options object (the client's and every method's) is
 * strict: an unknown option is a `ProximusError` `invalid_argument` naming it, and nothing is sent.
 * Every method that talks to the platform takes {@link RequestOptions} (`signal`, `timeoutMs`,
 * `maxRetries`): as its last argument, or inside its options object.
 */
export declare class ProximusClient {
  constructor(options: ProximusClientOptions);
  readonly tokens: {
    /** The cached token while fresh; otherwise one `/token` request shared by all callers. */
    get(options?: RequestOptions): Promise<AccessToken>;
    /** Revokes the active token (`POST /revoke`) and forgets it. */
    revoke(options?: RequestOptions): Promise<void>;
  };
  readonly fmu: {
    /** The status of one Belgian mobile (typed any usual way). `fmu_error` for an in-band refusal. */
    getStatus(msisdn: string, options?: RequestOptions): Promise<FmuStatusResult>;
    /** Sets one number's status. `fmu_error` when the platform refuses. */
    setStatus(msisdn: string, status: FmuStatus, options?: RequestOptions): Promise<{ msisdn: string; success: true }>;
    /** Registers the default callback URL of bulk requests. */
    setCallbackUrl(url: string, options?: RequestOptions): Promise<void>;
    /**
     * Any number of numbers: validated and deduplicated first, sent in chunks of 50. On abort it
     * stops sending chunks and rejects with `aborted`, the error's `partial` saying what was sent.
     */
    getStatuses(numbers: string[], options?: FmuBulkOptions): Promise<FmuBulkResult>;
    /** Like `getStatuses`, setting every number to `status`. */
    setStatuses(numbers: string[], status: FmuStatus, options?: FmuBulkOptions): Promise<FmuBulkResult>;
  };
  readonly bookings: {
    /** Books a temporary number. Never retried after an ambiguous failure. */
    create(input: CreateBookingOptions, options?: RequestOptions): Promise<Booking>;
    get(id: string, options?: RequestOptions): Promise<Booking>;
    /** Tops up: the plan's seconds and calls are added, `endTime` moved to now + the plan's days (or kept if later). */
    update(id: string, input: { usagePlan: UsagePlan }, options?: RequestOptions): Promise<Booking>;
    /** Stops the number at once and for good. */
    delete(id: string, options?: RequestOptions): Promise<void>;
    /** Every booking, fetching pages lazily. */
    list(options?: BookingListOptions): AsyncIterable<Booking>;
    /** One page with its totals. */
    listPage(options?: BookingListOptions): Promise<Page<Booking>>;
    /**
     * The active booking for `key` from `store`: reused while active, topped up when its seconds or
     * calls run below `renewBelow`, booked anew when it expired or was deleted. Concurrent calls for
     * the same key in one isolate book once. Aborted while a booking or top-up it sent is under
     * way, it waits for the answer and stores the id before rejecting with `aborted`.
     */
    ensure(options: EnsureBookingOptions | CoordinatedEnsureOptions): Promise<EnsuredBooking>;
    /**
     * Deletes the orphans of `store`: bookings of the account no key refers to, once older than
     * `graceMs` (judged by the platform's clock). Never deletes a booking a key refers to; stops at
     * the first store failure, before deleting anything. Run it where every booking of the account
     * goes through `ensure` with this store (e.g. from a Cron Trigger).
     */
    cleanUp(options: CleanUpOptions): Promise<CleanUpReport>;
  };
  readonly cdrs: {
    get(id: string, options?: RequestOptions): Promise<CallRecord>;
    /**
     * Checks a call event against the platform's record of the call (`GET /cdr/{id}`): id, source
     * and duration equal, timestamps within 60 s, and `service` when given. A forged event
     * resolves `{ confirmed: false, reason }`; a failure to ask the platform rejects.
     */
    confirm(event: CallEvent, options?: ConfirmCallOptions): Promise<CallConfirmation>;
    /** Every call record in the range, fetching pages lazily. */
    list(options?: CallRecordListOptions): AsyncIterable<CallRecord>;
    /** One page with its totals. */
    listPage(options?: CallRecordListOptions): Promise<Page<CallRecord>>;
  };
  /** Never the credentials. */
  toJSON(): { client: "ProximusClient" };
  toString(): string;
}

/** Reads what the platform POSTs to a booking's callback URL; throws `bad_response` on junk. */
export declare function parseCallEvent(body: string | Record<string, unknown>): CallEvent;
/** `url` with an HMAC-SHA-256 signature over it, its context and expiry. `secret`: at least 16 bytes. */
export declare function signCallbackUrl(url: string, secret: string, options?: { context?: string; expiresAt?: Instant }): string;
/** Checks a signed callback URL in constant time; throws `unauthorized` saying why it is refused. */
export declare function verifyCallbackUrl(url: string, secret: string): { url: string; context: string | null; expiresAt: Date | null };

/** `32477121212` from `+32 477 12 12 12`, `0477/12.12.12`, `0032477121212`…; throws `invalid_argument`. */
export declare function normalizeMsisdn(msisdn: string): string;
/** The readable international form: `+32 477 12 12 12`. */
export declare function formatMsisdn(msisdn: string): string;
/** All but the country, operator prefix and last two digits hidden: `+32 477 •• •• 12`. */
export declare function maskMsisdn(msisdn: string): string;
/** Reads an FMU callback body (string or parsed object); throws `bad_response` on junk. */
export declare function parseFmuCallback(body: string | Record<string, unknown>): FmuCallback;
