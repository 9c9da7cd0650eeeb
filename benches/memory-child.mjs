// Child process (node --expose-gc): iterates N bookings with the library's lazy list() against a
// sandbox that serves them synthetically, and samples the JS heap (after a full GC) and the wasm
// linear memory at checkpoints. Prints the samples as JSON.
// Usage: memory-child.mjs URL ID SECRET N [library|hand-written]
import { initSync } from "../pkg/proximus_api.js";
import { HandWrittenClient } from "./hand-written-client.mjs";

const [baseUrl, clientId, clientSecret, total, which = "library"] = process.argv.slice(2);
const N = Number(total);
const PAGE = 100;
const { ProximusClient } = await import("../pkg/node.js");
const wasmMemory = initSync({ module: new Uint8Array(0) }).memory; // already instantiated: returns its exports

function sample(items) {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { items, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, wasmMemory: wasmMemory.buffer.byteLength };
}

const options = { clientId, clientSecret, baseUrl };
const client = new ProximusClient(options);
const hand = new HandWrittenClient(options);
const list = which === "library" ? () => client.bookings.list({ pageSize: PAGE }) : () => hand.listBookings({ pageSize: PAGE });

// What a page costs when it is kept: 10 pages of 100 bookings held in an array, divided by 10
// (after a warm-up page, so that loading fetch itself is not counted).
await client.bookings.listPage({ page: 0, size: PAGE });
const before = sample(0);
let held = [];
for (let page = 0; page < 10; page++) held.push(...(await client.bookings.listPage({ page, size: PAGE })).items);
const holding = sample(0);
const pageBytes = (holding.heapUsed - before.heapUsed) / 10;
if (held.length !== 10 * PAGE) throw new Error(`listPage gave ${held.length} items`);
held = null;

const checkpoints = new Set([1_000, N]);
for (let i = 10_000; i < N; i += 10_000) checkpoints.add(i);
const samples = [sample(0)];
let n = 0;
for await (const booking of list()) {
  if (!booking.id) throw new Error("a booking without id");
  n++;
  if (checkpoints.has(n)) samples.push(sample(n));
}
if (n !== N) throw new Error(`listed ${n} bookings, expected ${N}`);
process.stdout.write(JSON.stringify({ client: which, total: n, pageSize: PAGE, pageBytes, samples }));
process.exit(0);
