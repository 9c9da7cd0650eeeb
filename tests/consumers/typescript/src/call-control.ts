// Per-call options on every method, logging, tokens from getToken in the OAuth shape, and the
// errors of cancelled calls, type-checked (never run). Each @ts-expect-error must be an error.
import {
  ProximusClient,
  ProximusError,
  type FmuBulkResult,
  type Logger,
  type LogLevel,
  type OAuthTokenResponse,
  type ProximusErrorJSON,
  type RequestOptions,
} from "proximus-api";

// What @types/node declares for process.env: any variable may be unset.
declare const process: { env: Record<string, string | undefined> };

export async function callControl(baseUrl: string): Promise<void> {
  // --- logging: console and any object with the four methods
  const lines: string[] = [];
  const logger: Logger = {
    debug: (line) => lines.push(`debug ${line}`),
    info: (line) => lines.push(`info ${line}`),
    warn: (line) => lines.push(`warn ${line}`),
    error: (line) => lines.push(`error ${line}`),
  };
  const level: LogLevel = "debug";
  const client = new ProximusClient({ clientId: "id", clientSecret: "secret", baseUrl, logger, logLevel: level });
  new ProximusClient({ accessToken: "t", logger: console, logLevel: "off" });
  new ProximusClient({ getToken: () => "t", logLevel: "error" });
  // @ts-expect-error: not a log level
  new ProximusClient({ accessToken: "t", logLevel: "verbose" });
  // @ts-expect-error: a logger needs all four methods
  new ProximusClient({ accessToken: "t", logger: { warn: (line: string) => void line } });

  // @ts-expect-error: unchecked environment variables (the message: check-messages.mjs)
  new ProximusClient({ clientId: process.env.PROXIMUS_CLIENT_ID, clientSecret: process.env.PROXIMUS_CLIENT_SECRET });
  const id = process.env.PROXIMUS_CLIENT_ID;
  const secret = process.env.PROXIMUS_CLIENT_SECRET;
  if (!id || !secret) throw new Error("set PROXIMUS_CLIENT_ID and PROXIMUS_CLIENT_SECRET");
  new ProximusClient({ clientId: id, clientSecret: secret });

  // --- getToken may forward the OAuth answer of a backend as it is
  const oauth: OAuthTokenResponse = { access_token: "t", expires_in: 3600, token_type: "Bearer", scope: "openid" };
  new ProximusClient({ getToken: async () => oauth });
  new ProximusClient({ getToken: () => ({ access_token: "t" }) });
  new ProximusClient({ getToken: async () => (await fetch("/api/proximus-token")).json() });
  // @ts-expect-error: expires_in is a number of seconds
  new ProximusClient({ getToken: () => ({ access_token: "t", expires_in: "3600" }) });

  // --- per-call options: the last argument of single calls
  const controller = new AbortController();
  const call: RequestOptions = { signal: controller.signal, timeoutMs: 5_000, maxRetries: 0 };
  await client.tokens.get(call);
  await client.tokens.revoke({ signal: AbortSignal.timeout(1_000) });
  await client.fmu.getStatus("0477 12 12 12", call);
  await client.fmu.setStatus("0477 12 12 12", "ON_DUTY", { maxRetries: 1 });
  await client.fmu.setCallbackUrl("https://example.com/fmu", { timeoutMs: 2_000 });
  const booking = await client.bookings.create({ destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: "https://example.com/c" }, call);
  await client.bookings.get(booking.id, call);
  await client.bookings.update(booking.id, { usagePlan: "MEDIUM" }, call);
  await client.bookings.delete(booking.id, call);
  await client.cdrs.get("cdr_1", call);

  // --- and inside the options object of the others
  await client.fmu.getStatuses(["0477 12 12 12"], { concurrency: 2, signal: controller.signal, timeoutMs: 1_000 });
  await client.fmu.setStatuses(["0477 12 12 12"], "PRIVATE", { maxRetries: 0, signal: controller.signal });
  for await (const b of client.bookings.list({ pageSize: 10, signal: controller.signal })) void b.id;
  await client.bookings.listPage({ page: 0, timeoutMs: 3_000 });
  const store = new Map<string, string>();
  await client.bookings.ensure({
    key: "listing-42",
    store: { get: (key) => store.get(key), set: (key, id) => void store.set(key, id) },
    destination: "0477 12 12 12",
    usagePlan: "SMALL",
    callbackUrl: "https://example.com/c",
    signal: controller.signal,
    maxRetries: 1,
  });
  for await (const r of client.cdrs.list({ from: new Date(0), signal: controller.signal })) void r.id;
  await client.cdrs.listPage({ pageSize: 5, maxRetries: 3 });

  // @ts-expect-error: a misspelled per-call option (signal)
  await client.fmu.getStatus("0477 12 12 12", { signall: controller.signal });
  // @ts-expect-error: a misspelled per-call option (timeoutMs)
  await client.bookings.get(booking.id, { timeoutMS: 5 });
  // @ts-expect-error: a misspelled per-call option inside a method's options
  await client.bookings.listPage({ page: 0, maxRetry: 1 });
  // @ts-expect-error: the per-call options of create are its second argument, not part of the booking
  await client.bookings.create({ destination: "0477 12 12 12", usagePlan: "SMALL", callbackUrl: "https://example.com/c", signal: controller.signal });
  // @ts-expect-error: a signal is an AbortSignal, not its controller
  await client.tokens.get({ signal: controller });
  // @ts-expect-error: timeoutMs is a number of milliseconds
  await client.cdrs.get("cdr_1", { timeoutMs: "5s" });

  // --- the errors of cancelled and failed calls
  try {
    await client.fmu.setStatuses(["0477 12 12 12", "0478 12 12 12"], "ON_DUTY", { signal: controller.signal });
  } catch (e) {
    if (e instanceof ProximusError && e.code === "aborted") {
      const partial: FmuBulkResult | undefined = e.partial;
      for (const chunk of partial?.chunks ?? []) {
        const sent: string | undefined = chunk.requestId;
        const why: string | undefined = chunk.error?.code;
        void sent, why;
      }
    }
    if (e instanceof ProximusError && e.code === "network") {
      const cause: unknown = e.cause;
      if (cause instanceof Error) void cause.message;
    }
    if (e instanceof ProximusError) {
      const json: ProximusErrorJSON = e.toJSON();
      const text: string = JSON.stringify(e);
      void json.code, json.retryable, json.msisdn, text;
      // @ts-expect-error: the error's fields are read-only
      e.code = "timeout";
    }
  }
  new ProximusError("fake", { code: "aborted", cause: new Error("underneath") });
  new ProximusError("fake", { code: "network", retryable: true, cause: "anything" });
  void lines;
}
