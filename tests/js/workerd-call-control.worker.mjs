// The Worker of workerd-call-control.test.mjs, run in miniflare's workerd with the package's
// `workerd` entry. Each route makes a client of the sandbox at `?box=` and runs one call; how the
// call ended is recorded under `?id=` (GET /outcome?id= reads it back), because a call whose
// caller went away has no one to answer to. The call is kept alive with waitUntil: only its
// signal may end it early, not workerd dropping the request.
import { ProximusClient, ProximusError } from "../../pkg/workerd.js";

const NUMBER = "0477 12 12 12";
const outcomes = new Map();

const note = (id, data) => outcomes.set(id, { ...outcomes.get(id), ...data });

function described(error) {
  return {
    isProximusError: error instanceof ProximusError,
    name: error?.name,
    code: error?.code,
    retryable: error?.retryable,
    message: String(error?.message ?? error),
  };
}

/** A logger that keeps every line with its level. */
function recorder() {
  const lines = [];
  const logger = Object.fromEntries(["debug", "info", "warn", "error"].map((level) => [level, (line) => lines.push({ level, line })]));
  return { logger, lines };
}

/** Each route: ({ client, env, request, id, box }) → what the call gave. */
const ROUTES = {
  // The caller's disconnect aborts request.signal: a call in flight or waiting out a Retry-After ends.
  "/get-status": ({ client, request }) => client.fmu.getStatus(NUMBER, { signal: request.signal }),

  // A walk over many pages, which only the caller's disconnect stops.
  "/list": async ({ client, request, id }) => {
    let items = 0;
    for await (const booking of client.bookings.list({ pageSize: 1, signal: request.signal })) {
      if (booking.id) note(id, { items: ++items });
    }
    return { items };
  },

  "/already-aborted": ({ client }) => client.fmu.getStatus(NUMBER, { signal: AbortSignal.abort() }),

  // Aborted 200 ms into the wait before a retry (the test makes the sandbox ask for 5 s).
  "/abort-in-backoff": async ({ env, box, id }) => {
    const controller = new AbortController();
    const client = newClient(env, box, {
      onRetry: ({ delayMs }) => {
        note(id, { delayMs });
        setTimeout(() => (note(id, { abortedAt: Date.now() }), controller.abort()), 200);
      },
    });
    return client.fmu.getStatus(NUMBER, { signal: controller.signal });
  },

  "/timeout-override": async ({ client, id }) => {
    await client.tokens.get();
    note(id, { callStartedAt: Date.now() });
    return client.fmu.getStatus(NUMBER, { timeoutMs: 100, maxRetries: 0 });
  },

  // Calls that log at every level; the lines and the token go back for the leak check.
  "/logging": async ({ env, box, id }) => {
    const { logger, lines } = recorder();
    const client = newClient(env, box, { logger, logLevel: "debug" });
    const { accessToken } = await client.tokens.get();
    note(id, { accessToken, lines });
    await client.fmu.getStatus(NUMBER).catch(() => {}); // the test makes the sandbox answer 503 (echoing secrets)
    await client.fmu.setStatus("+32 477 12 12 12", "ON_DUTY");
    const booking = await client.bookings.create({ destination: "0479 12 39 87", usagePlan: "SMALL", callbackUrl: "https://example.com/c" });
    await client.bookings.get(booking.id); // the test makes the sandbox answer 401 once: a new token
    return { lines: lines.length };
  },
};

function newClient(env, box, extra = {}) {
  return new ProximusClient({ clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, baseUrl: box, logLevel: "off", ...extra });
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const id = url.searchParams.get("id");
    if (url.pathname === "/outcome") return Response.json(outcomes.get(id) ?? null);
    const route = ROUTES[url.pathname];
    if (!route) return new Response("no such route", { status: 404 });
    const box = url.searchParams.get("box");
    note(id, { started: Date.now() });
    request.signal.addEventListener("abort", () => note(id, { sawAbort: true, abortSeenAt: Date.now() }));
    const client = newClient(env, box);
    const work = Promise.resolve()
      .then(() => route({ client, env, request, id, box }))
      .then(
        (value) => note(id, { settled: "resolved", value, settledAt: Date.now() }),
        (error) => note(id, { settled: "rejected", error: described(error), settledAt: Date.now() }),
      );
    ctx.waitUntil(work);
    await work;
    return Response.json(outcomes.get(id));
  },
};
