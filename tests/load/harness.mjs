// Node-side helpers of the load tests and the soak: the sandbox in a process of its own and its
// admin routes (from sandbox/), the data a wave needs (bookings, call records), memory figures.
import v8 from "node:v8";
import vm from "node:vm";
import { DEFAULT_CREDENTIALS } from "../../sandbox/index.js";
import { sandboxAdmin } from "../../sandbox/admin-client.js";
import { spawnSandbox } from "../../sandbox/spawn.js";
import { faults } from "./wave.mjs";

export { DEFAULT_CREDENTIALS, sandboxAdmin, spawnSandbox };

/**
 * Books 6 numbers and makes a call on each with a permanent-token client (no /token request),
 * then measures what one `list({ pageSize: 4 })` costs. Returns the wave's plan.
 */
export async function preparePlan(url, { ProximusClient }) {
  const box = sandboxAdmin(url);
  const setup = new ProximusClient({ accessToken: DEFAULT_CREDENTIALS.permanentToken, baseUrl: url, logLevel: "off" });
  const bookings = [];
  for (let i = 0; i < 6; i++) {
    bookings.push(await setup.bookings.create({ destination: "0477 12 12 12", usagePlan: "LARGE", callbackUrl: "https://example.com/calls" }));
  }
  for (const b of bookings) await box.call(b.service);
  const cdrRange = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
  const records = (await setup.cdrs.listPage({ page: 0, size: 50, ...cdrRange })).items;
  await box.clearRequests();
  for await (const _ of setup.bookings.list({ pageSize: 4 }));
  const listBookingsRequests = (await box.requests()).length;
  await box.clearRequests();
  for await (const _ of setup.cdrs.list({ ...cdrRange, pageSize: 4 }));
  const listCdrsRequests = (await box.requests()).length;
  await box.clearRequests();
  return {
    bookingIds: bookings.slice(0, 5).map((b) => b.id),
    f429Id: bookings[5].id,
    bookingCount: bookings.length,
    cdrIds: records.map((r) => r.id),
    cdrCount: records.length,
    cdrRange,
    listBookingsRequests,
    listCdrsRequests,
  };
}

/** Clears the request log and injects the wave's faults. */
export async function armWave(url, plan) {
  const box = sandboxAdmin(url);
  await box.clearFaults();
  await box.clearRequests();
  for (const fault of faults(plan)) await box.addFault(fault);
}

/** `global.gc`, without needing --expose-gc on the command line. */
export const gc = globalThis.gc ?? (() => {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc");
})();

/** The wasm instance's linear memory (not exported by the package: reached through initSync). */
export async function wasmMemory() {
  try {
    const glue = await import("../../pkg/proximus_api.js");
    const exports = glue.initSync();
    return exports?.memory instanceof WebAssembly.Memory ? exports.memory : null;
  } catch (err) {
    if (process.env.LOAD_DEBUG) console.error(err);
    return null;
  }
}

/** Memory after a full collection, in bytes. */
export async function sampleMemory(memory) {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, wasm: memory?.buffer.byteLength ?? null };
}

export const mb = (bytes) => (bytes === null ? "n/a" : `${(bytes / 1048576).toFixed(2)} MB`);

/** The resident set size of this process's child named `name` (Linux /proc; null elsewhere). */
export async function childRss(name) {
  const { readdir, readFile } = await import("node:fs/promises");
  try {
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (!m || m[1] !== name || Number(m[2]) !== process.pid) continue;
      const status = await readFile(`/proc/${entry}/status`, "utf8");
      const kb = /VmRSS:\s+(\d+) kB/.exec(status);
      return kb ? Number(kb[1]) * 1024 : null;
    }
  } catch {
    // no /proc
  }
  return null;
}

/** A free loopback TCP port (for miniflare's inspectorPort). */
export async function freePort() {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The JS heap of the Worker's isolate after a full GC, through workerd's inspector (Chrome DevTools
 * protocol: a heap snapshot, which starts with a full GC, then Runtime.getHeapUsage). Needs a WebSocket client: the
 * global one, or the `ws` package miniflare depends on. Resolves null when unavailable.
 */
export async function workerHeap(inspectorPort) {
  try {
    const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
    const target = targets.find((t) => t.webSocketDebuggerUrl);
    if (!target) return null;
    const WebSocketClass = globalThis.WebSocket ?? (await import("ws")).default;
    const socket = new WebSocketClass(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error("inspector: connection timed out")), 10_000).unref?.();
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error("inspector connection failed"));
    });
    let id = 0;
    const pending = new Map();
    socket.onmessage = (event) => {
      const message = JSON.parse(typeof event.data === "string" ? event.data : event.data.toString());
      const waiter = pending.get(message.id);
      if (waiter) {
        pending.delete(message.id);
        message.error ? waiter.reject(new Error(message.error.message)) : waiter.resolve(message.result);
      }
    };
    const send = (method, params = {}) => new Promise((resolve, reject) => {
      pending.set(++id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
      setTimeout(() => reject(new Error(`inspector: no answer to ${method}`)), 10_000).unref?.();
    });
    try {
      // HeapProfiler.collectGarbage gets no answer from workerd; a heap snapshot starts with a
      // full GC (its chunks are ignored).
      await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      const { usedSize, totalSize } = await send("Runtime.getHeapUsage");
      return { usedSize, totalSize };
    } finally {
      socket.close();
    }
  } catch (err) {
    if (process.env.LOAD_DEBUG) console.error(err);
    return null;
  }
}
