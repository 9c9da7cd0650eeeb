// Shared setup for the JS tests of the built package: a sandbox on loopback per test file,
// and small helpers to drive its admin routes.
import { startSandbox, DEFAULT_CREDENTIALS } from "../../sandbox/index.js";
import { sandboxAdmin } from "../../sandbox/admin-client.js";

export { DEFAULT_CREDENTIALS };

/** Imports the built package the way Node resolves it for users (the `node` entry). */
export async function loadPackage() {
  return import("../../pkg/node.js");
}

/** A sandbox on loopback; `options` as startSandbox's (credentials of its own, logger…). */
export async function sandbox(options = {}) {
  const server = await startSandbox({ port: 0, ...options });
  return { url: server.url, close: () => server.close(), ...sandboxAdmin(server.url) };
}

/** A loopback HTTP server that records every POSTed JSON body (a callback receiver). */
export async function callbackReceiver() {
  const { createServer } = await import("node:http");
  const bodies = [];
  const waiters = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      bodies.push({ path: req.url, text });
      res.writeHead(204).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    bodies,
    /** Resolves once `count` bodies arrived; rejects after `ms`. */
    async waitFor(count, ms = 5000) {
      const deadline = Date.now() + ms;
      while (bodies.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} callbacks, got ${bodies.length}`);
        await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
      }
      return bodies;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/**
 * Registers node:test hooks that start a sandbox and a callback receiver for the file, reset
 * both before each test, and stop them at the end. Returns `{ box, receiver }`, filled in `before`.
 */
export function useSandboxAndReceiver({ before, after, beforeEach }) {
  const ctx = { box: null, receiver: null };
  before(async () => {
    ctx.box = await sandbox();
    ctx.receiver = await callbackReceiver();
  });
  after(async () => {
    await ctx.box.close();
    await ctx.receiver.close();
  });
  beforeEach(async () => {
    await ctx.box.reset();
    ctx.receiver.bodies.length = 0;
  });
  return ctx;
}

/** A client with the sandbox's default credentials. */
export function sandboxClient(ProximusClient, box, extra = {}) {
  return new ProximusClient({ clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret, baseUrl: box.url, ...extra });
}

/** A sandbox for one test alone, closed when the test ends: tests that wait can run side by side. */
export async function ownSandbox(t, options) {
  const box = await sandbox(options);
  t.after(() => box.close());
  return box;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the sandbox's log once it holds `count` requests to `path` (and `method`); rejects after `ms`. */
export async function waitForRequests(box, path, count, { method, ms = 5000 } = {}) {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = (await box.requests(path)).filter((r) => !method || r.method === method);
    if (seen.length >= count) return seen;
    if (Date.now() > deadline) throw new Error(`expected ${count} ${method ?? ""} requests to ${path}, got ${seen.length}`);
    await sleep(20);
  }
}

/** A port on loopback that nothing listens on. */
export async function closedPort() {
  const { createServer } = await import("node:http");
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}
