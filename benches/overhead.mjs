// The clients' own CPU per call, without the network: `globalThis.fetch` is replaced by one that
// answers at once with the sandbox's own answers (recorded once per URL through the real fetch),
// so what is left is each client's work: arguments, the request, the token, parsing, results.
// The throughput rows carry the same work plus undici's and the sandbox's, and their noise; this
// row is the part the library can change, side by side with the hand-written client's, and with
// that client's when it also does the duties the design asks of every call (a floor for the
// library). It runs in a child process of its own, so that no other benchmark's garbage is
// collected on its clock.
import { execFile } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { sandboxAdmin } from "../sandbox/admin-client.js";
import { clients, operations, seedSandbox } from "./operations.mjs";
import { inTurn, median } from "./stats.mjs";

// The library, the hand-written client, and the hand-written client with duties (a timeout and
// a call-site stack per call, as the design asks of the library).
const CLIENTS = ["lib", "hand", "duty"];

/** A `fetch` that records each URL's answer through `real`, or serves the recorded one. */
export function cannedFetch(real) {
  const answers = new Map();
  let replaying = false;
  const fetch = async (url, init) => {
    const key = `${init?.method ?? "GET"} ${url}`;
    if (replaying) {
      const a = answers.get(key);
      if (!a) throw new Error(`overhead: no recorded answer for ${key}`);
      return new Response(a.text, { status: a.status, headers: a.headers });
    }
    const res = await real(url, init);
    const text = await res.text();
    const headers = { "content-type": res.headers.get("content-type") ?? "application/json" };
    const date = res.headers.get("date");
    if (date) headers.date = date;
    answers.set(key, { status: res.status, text, headers });
    return new Response(text, { status: res.status, headers });
  };
  return { fetch, replay: () => { replaying = true; } };
}

/**
 * @param {object} box  the sandbox (its URLs, credentials and admin calls)
 * @param {{ rounds: number, scale: number, log: Function }} options
 */
export async function clientOverhead(box, { rounds, scale, log }) {
  const args = [fileURLToPath(import.meta.url), box.url, box.receiverUrl, box.credentials.clientId, box.credentials.clientSecret, String(rounds), String(scale)];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20 });
  const results = JSON.parse(stdout);
  for (const row of results) {
    log(`    ${row.op.padEnd(26)} library ${row.libraryMicros.toFixed(1)} µs/call, hand-written ${row.handWrittenMicros.toFixed(1)} µs/call: +${row.extraMicros.toFixed(1)} µs` +
      ` (with duties ${row.dutifulMicros.toFixed(1)} µs/call: +${row.extraOverDutifulMicros.toFixed(1)} µs)`);
  }
  return results;
}

/**
 * CPU µs per call of each of `fns` (async, no arguments): `rounds` rounds of one batch of `calls`
 * calls per function, each function first in turn, after two rounds of warm-up. One array of
 * per-round samples per function.
 */
export async function interleavedCpu(fns, { calls, rounds }) {
  const cpu = fns.map(() => []);
  for (let r = -2; r < rounds; r++) {
    for (const i of inTurn(fns.map((_, i) => i), r)) {
      const c0 = process.cpuUsage();
      for (let n = 0; n < calls; n++) await fns[i]();
      const used = process.cpuUsage(c0);
      if (r >= 0) cpu[i].push((used.user + used.system) / calls);
    }
  }
  return cpu;
}

async function measure(pkg, box, { rounds, scale }) {
  const all = clients(pkg, box);
  const id = await seedSandbox(all.lib, box);
  // A batch: 2,000 single calls, or 100 walks of a page of 100.
  const ops = operations(all, id).map((op) => ({ ...op, calls: op.single ? 2000 : 100 }));

  const real = globalThis.fetch;
  const canned = cannedFetch(real);
  globalThis.fetch = canned.fetch;
  try {
    // Each call once through the sandbox, recorded; from then on every answer is canned.
    for (const op of ops) for (const who of CLIENTS) await op[who]();
    canned.replay();

    const results = [];
    for (const op of ops) {
      const calls = Math.max(10, Math.round(op.calls * scale));
      const [lib, hand, duty] = await interleavedCpu(CLIENTS.map((who) => op[who]), { calls, rounds });
      const cpu = { lib, hand, duty };
      const row = { op: op.name, calls, rounds, libraryMicros: median(cpu.lib), handWrittenMicros: median(cpu.hand), dutifulMicros: median(cpu.duty), samples: cpu };
      row.extraMicros = row.libraryMicros - row.handWrittenMicros;
      row.extraOverDutifulMicros = row.libraryMicros - row.dutifulMicros;
      results.push(row);
    }
    return results;
  } finally {
    globalThis.fetch = real;
  }
}

// The child: node overhead.mjs <sandbox url> <receiver url> <client id> <client secret> <rounds> <scale>
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [url, receiverUrl, clientId, clientSecret, rounds, scale] = process.argv.slice(2);
  const pkg = await import(new URL("../pkg/node.js", import.meta.url).href);
  const box = { url, receiverUrl, credentials: { clientId, clientSecret }, ...sandboxAdmin(url) };
  process.stdout.write(JSON.stringify(await measure(pkg, box, { rounds: Number(rounds), scale: Number(scale) })));
}
