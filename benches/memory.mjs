// Memory: heap growth while iterating 100,000 bookings with list() (served by the sandbox's
// `syntheticBookings` knob), in a child process with --expose-gc; the hand-written client's
// listing is run the same way as a control (Node's own drift). Bounded: from the 10,000th booking
// to the last, the JS heap (after GC) may grow by less than BOUND_BYTES (a handful of pages;
// keeping every booking would cost about pageBytes × 1,000), and the wasm memory not at all
// beyond one 64 KiB page.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const BOUND_BYTES = 2 * 1024 * 1024;
const WASM_PAGE = 65536;
const run = promisify(execFile);
const childScript = fileURLToPath(new URL("./memory-child.mjs", import.meta.url));

async function child(box, total, which) {
  const args = ["--expose-gc", childScript, box.url, box.credentials.clientId, box.credentials.clientSecret, String(total), which];
  const out = JSON.parse((await run(process.execPath, args, { maxBuffer: 1 << 20 })).stdout);
  const from = out.samples.find((s) => s.items >= Math.min(10_000, total)) ?? out.samples[1];
  const last = out.samples.at(-1);
  return {
    ...out,
    from: from.items,
    heapGrowth: last.heapUsed - from.heapUsed,
    wasmGrowth: last.wasmMemory - from.wasmMemory,
    heapGrowthFromStart: last.heapUsed - out.samples[0].heapUsed,
    keptEstimate: out.pageBytes * Math.ceil(total / out.pageSize),
  };
}

export async function listMemory(box, { total = 100_000, control = true }) {
  await box.reset();
  await box.config({ syntheticBookings: total });
  try {
    const library = await child(box, total, "library");
    const handWritten = control ? await child(box, total, "hand-written") : null;
    return {
      total,
      bound: BOUND_BYTES,
      library,
      handWritten,
      pass: library.heapGrowth < BOUND_BYTES && library.wasmGrowth <= WASM_PAGE,
    };
  } finally {
    await box.config({ syntheticBookings: 0 });
  }
}
