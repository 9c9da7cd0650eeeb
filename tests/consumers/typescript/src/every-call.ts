// Every public call of proximus-api, type-checked (never run). The @ts-expect-error lines prove
// the types reject what the library rejects at run time: tsc fails if any of them is not an error.
import {
  BookingCoordinator,
  ProximusClient,
  ProximusError,
  parseCallEvent,
  parseFmuCallback,
  normalizeMsisdn,
  formatMsisdn,
  maskMsisdn,
  signCallbackUrl,
  verifyCallbackUrl,
  type AccessToken,
  type Booking,
  type BookingStore,
  type CleanUpReport,
  type CallConfirmation,
  type CallEvent,
  type CallRecord,
  type EnsureAction,
  type FmuBulkResult,
  type FmuCallback,
  type FmuStatus,
  type FmuStatusResult,
  type Page,
  type ProximusClientOptions,
  type ProximusErrorCode,
  type TokenStore,
  type UsagePlan,
} from "proximus-api";

// Exact type equality, for the results.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T): void => {};

export async function everyCall(baseUrl: string): Promise<void> {
  // --- the three ways to authenticate
  const store: TokenStore = {
    get: async () => ({ accessToken: "t", expiresAt: Date.now() + 60_000 }),
    set: async (_token: string, _expiresAt: Date | null) => {},
  };
  const client = new ProximusClient({
    clientId: "sandbox-client",
    clientSecret: "sandbox-secret",
    clientAuth: "basic",
    tokenStore: store,
    baseUrl,
    tokenUrl: `${baseUrl}/token`,
    revokeUrl: `${baseUrl}/revoke`,
    fmuUrl: `${baseUrl}/fmu/1.0.0`,
    rentedNumbersUrl: `${baseUrl}/rentednumbers/1.0.0`,
    timeoutMs: 10_000,
    maxRetries: 2,
    fetch: (request: Request) => fetch(request),
    onRetry: ({ attempt, delayMs, error }) => console.log(attempt, delayMs, error.code),
  });
  new ProximusClient({ accessToken: "permanent", fetch });
  new ProximusClient({ getToken: async () => "token" });
  new ProximusClient({ getToken: () => ({ accessToken: "t", expiresAt: new Date() }) });
  // @ts-expect-error: a permanent token and client credentials at once
  new ProximusClient({ accessToken: "permanent", clientId: "id", clientSecret: "secret" });
  // @ts-expect-error: a missing option (clientSecret)
  new ProximusClient({ clientId: "id" });
  // @ts-expect-error: an unknown client authentication
  new ProximusClient({ clientId: "id", clientSecret: "s", clientAuth: "digest" });
  const options: ProximusClientOptions = { accessToken: "t" };
  void options;

  // --- tokens
  const token = await client.tokens.get();
  assertType<Equals<typeof token, AccessToken>>();
  const expires: Date | null = token.expiresAt;
  void expires;
  await client.tokens.revoke();

  // --- FMU
  const one = await client.fmu.getStatus("0477 12 12 12");
  assertType<Equals<typeof one, FmuStatusResult>>();
  assertType<Equals<typeof one.status, "PRIVATE" | "PROFESSIONAL" | "ON_DUTY">>();
  const set = await client.fmu.setStatus("32477121212", "ON_DUTY");
  const success: true = set.success;
  void success;
  // @ts-expect-error: a wrong FMU status
  await client.fmu.setStatus("32477121212", "BUSY");
  // @ts-expect-error: statuses are upper case
  await client.fmu.setStatuses(["32477121212"], "private");
  await client.fmu.setCallbackUrl("https://example.com/fmu");
  const bulk: FmuBulkResult = await client.fmu.getStatuses(["0477 12 12 12", "0478 12 12 12"], {
    callbackUrl: "https://example.com/fmu",
    concurrency: 4,
    onProgress: ({ done, total }) => console.log(done / total),
  });
  for (const chunk of bulk.chunks) {
    const requestId: string | undefined = chunk.requestId;
    const failure: ProximusError | undefined = chunk.error;
    void requestId, failure;
  }
  await client.fmu.setStatuses(["0477 12 12 12"], "PROFESSIONAL", { concurrency: 2 });
  // @ts-expect-error: a missing option argument of setStatuses (the status)
  await client.fmu.setStatuses(["0477 12 12 12"]);

  // --- bookings
  const booking = await client.bookings.create({ destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: "https://example.com/calls" });
  assertType<Equals<typeof booking, Booking>>();
  const endTime: Date = booking.endTime;
  void endTime;
  // @ts-expect-error: a wrong usage plan
  await client.bookings.create({ destination: "0477 12 12 12", usagePlan: "HUGE", callbackUrl: "https://example.com/calls" });
  // @ts-expect-error: a missing option (usagePlan)
  await client.bookings.create({ destination: "0477 12 12 12", callbackUrl: "https://example.com/calls" });
  // @ts-expect-error: a missing option (callbackUrl)
  await client.bookings.create({ destination: "0477 12 12 12", usagePlan: "SMALL" });
  await client.bookings.get(booking.id);
  await client.bookings.update(booking.id, { usagePlan: "MEDIUM" });
  // @ts-expect-error: a wrong usage plan in a top-up
  await client.bookings.update(booking.id, { usagePlan: "small" });
  await client.bookings.delete(booking.id);
  for await (const b of client.bookings.list({ includeExpired: true, pageSize: 50 })) {
    const plan: UsagePlan | undefined = b.usagePlan;
    void plan;
  }
  const page: Page<Booking> = await client.bookings.listPage({ page: 0, size: 50, includeExpired: false });
  const total: number | null = page.totalElements;
  void total;
  const kv = new Map<string, string>();
  const bookingStore: BookingStore = { get: (key) => kv.get(key), set: (key, id) => void kv.set(key, id) };
  const ensured = await client.bookings.ensure({
    key: "listing-42",
    store: bookingStore,
    destination: "0477 12 12 12",
    usagePlan: "SMALL",
    callbackUrl: "https://example.com/calls",
    renewBelow: { seconds: 300, calls: 2 },
  });
  assertType<Equals<typeof ensured.action, EnsureAction>>();
  assertType<Equals<EnsureAction, "reused" | "topped_up" | "booked" | "adopted">>();
  const stored: ProximusError | undefined = ensured.storeError;
  void stored;
  // Across isolates: a Durable Object namespace as the coordinator, no store.
  const namespace = {
    idFromName: (name: string) => ({ name }),
    get: (_id: unknown) => ({ fetch: (_input: string, _init?: RequestInit) => Promise.resolve(new Response("{}")) }),
  };
  const coordinated = await client.bookings.ensure({
    key: "listing-42", coordinator: namespace, destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: "https://example.com/calls",
  });
  assertType<Equals<typeof coordinated.action, EnsureAction>>();
  // @ts-expect-error: a store and a coordinator at once
  await client.bookings.ensure({ key: "k", store: bookingStore, coordinator: namespace, destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: "https://example.com/c" });
  const report: CleanUpReport = await client.bookings.cleanUp({ store: bookingStore, graceMs: 3_600_000, dryRun: true, timeoutMs: 5_000 });
  const deletedIds: string[] = report.deleted.map((b) => b.id);
  const failedCodes: ProximusErrorCode[] = report.failed.map((f) => f.error.code);
  void deletedIds, failedCodes;
  // @ts-expect-error: cleanUp needs the store
  await client.bookings.cleanUp({ graceMs: 0 });
  class Bookings extends BookingCoordinator {
    createClient(_env: { ID: string }) {
      return new ProximusClient({ accessToken: "t" });
    }
    bookingStore(_env: { ID: string }) {
      return bookingStore;
    }
  }
  void Bookings;
  // @ts-expect-error: a missing option (store)
  await client.bookings.ensure({ key: "k", destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: "https://example.com/c" });

  // --- call records
  const record: CallRecord = await client.cdrs.get("cdr_1");
  const at: Date = record.timestamp;
  void at;
  for await (const r of client.cdrs.list({ from: new Date(0), to: Date.now(), pageSize: 100 })) void r.id;
  await client.cdrs.listPage({ page: 0, size: 10, from: "2026-01-01T00:00:00Z" });

  // --- callbacks
  const event: CallEvent = parseCallEvent('{"id":"x"}');
  parseCallEvent({ id: "x" });
  // @ts-expect-error: `.message` exists only on expired events: narrow on `kind` first
  void event.message;
  if (event.kind === "completed") {
    const duration: number = event.duration;
    // @ts-expect-error: a wrong callback event field (completed events carry no message)
    void event.message;
    void duration;
  } else {
    const message: string = event.message;
    // @ts-expect-error: expired events have no duration
    void event.duration;
    void message;
  }
  // @ts-expect-error: a wrong event kind
  if (event.kind === "missed") void 0;
  const confirmation: CallConfirmation = await client.cdrs.confirm(event, { service: "3278000100", timeoutMs: 5_000 });
  if (confirmation.confirmed) {
    const confirmedAt: Date = confirmation.record.timestamp;
    void confirmedAt;
  } else if (confirmation.reason === "mismatch") {
    assertType<Equals<typeof confirmation.field, "id" | "source" | "duration" | "timestamp" | "service">>();
  } else {
    assertType<Equals<typeof confirmation.reason, "no_record" | "expired_booking">>();
  }
  // @ts-expect-error: confirm takes a parsed event, not the body's text
  await client.cdrs.confirm('{"id":"x"}');
  const fmuCallback: FmuCallback = parseFmuCallback({ requestId: "r", type: "GET_STATUS", results: [] });
  for (const result of fmuCallback.results) {
    const status: FmuStatus | undefined = result.status;
    void status;
  }
  // @ts-expect-error: a callback body is a string or a parsed JSON object
  parseFmuCallback(42);

  const signed: string = signCallbackUrl("https://example.com/calls?listing=42", "a-long-enough-secret", { context: "listing-42", expiresAt: new Date() });
  const verified = verifyCallbackUrl(signed, "a-long-enough-secret");
  const context: string | null = verified.context;
  const until: Date | null = verified.expiresAt;
  void context, until;

  // --- numbers
  const n: string = normalizeMsisdn("+32 477 12 12 12");
  void formatMsisdn(n), maskMsisdn(n);

  // --- errors
  try {
    await client.fmu.getStatus("not a number");
  } catch (e) {
    if (e instanceof ProximusError) {
      const code: ProximusErrorCode = e.code;
      const outcome: "unknown" | undefined = e.outcome;
      void outcome;
      const status: number | undefined = e.status;
      const retryable: boolean = e.retryable;
      void code, status, retryable, e.retryAfterMs, e.serviceCode, e.msisdn;
      // @ts-expect-error: not a code of the library
      if (e.code === "oops") void 0;
    }
  }
  new ProximusError("fake", { code: "timeout", retryable: true });
  // @ts-expect-error: an error needs a known code
  new ProximusError("fake", { code: "teapot" });
  const json: { client: "ProximusClient" } = client.toJSON();
  void json;
}
