// Throughput and latency in Node: the library and the hand-written fetch client making the same
// calls against the same sandbox, interleaved in one process (alternating batches, the order
// swapped each round, so drift and noise hit both alike). The ratio is library / hand-written
// throughput, the median over rounds of each round's pair.
import { performance } from "node:perf_hooks";
import { MSISDN, clients, operations, seedSandbox } from "./operations.mjs";
import { median, quantile } from "./stats.mjs";

/**
 * `calls` calls of `fn`, `concurrency` in flight at a time: wall time, each call's latency, and
 * the CPU time this process spent (user + system; steadier than wall time on a busy machine).
 */
async function batch(fn, calls, concurrency) {
  const latencies = [];
  let next = 0;
  const lane = async () => {
    while (next < calls) {
      next++;
      const t0 = performance.now();
      await fn();
      latencies.push(performance.now() - t0);
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, lane));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, latencies, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function summary(calls, { wallMs, latencies, cpuMs }) {
  return {
    calls,
    callsPerSecond: calls / (wallMs / 1000),
    cpuMicrosPerCall: (cpuMs * 1000) / calls,
    medianMs: median(latencies),
    p99Ms: quantile(latencies, 0.99),
  };
}

/**
 * @param {object} pkg   the package's exports (pkg/node.js)
 * @param {object} box   the sandbox (sandbox.mjs)
 * @param {{ rounds: number, scale: number, concurrencies: number[], log: Function }} options
 */
export async function runThroughput(pkg, box, { rounds, scale, concurrencies, log }) {
  const all = clients(pkg, box);
  const { lib, hand } = all;
  const id = await seedSandbox(lib, box);
  // A batch: 100 single calls, or 25 walks of a page of 100.
  const ops = operations(all, id).map((op) => ({ ...op, calls: op.single ? 100 : 25 }));

  // Same answers from both (and the token fetched by each).
  const [a, b] = [await lib.bookings.get(id), await hand.getBooking(id)];
  if (a.id !== b.id || a.endTime.getTime() !== b.endTime.getTime()) throw new Error("the two clients disagree on bookings.get");
  if (JSON.stringify(await lib.fmu.getStatus(MSISDN)) !== JSON.stringify(await hand.getStatus(MSISDN))) throw new Error("the two clients disagree on fmu.getStatus");

  const results = [];
  for (const op of ops) {
    for (const concurrency of concurrencies) {
      const calls = Math.max(5, Math.round(op.calls * scale));
      await batch(op.lib, calls, concurrency); // warm-up, not counted
      await batch(op.hand, calls, concurrency);
      const acc = { lib: { wallMs: 0, cpuMs: 0, latencies: [] }, hand: { wallMs: 0, cpuMs: 0, latencies: [] } };
      const roundRatios = [];
      for (let r = 0; r < rounds; r++) {
        const wall = {};
        for (const who of r % 2 === 0 ? ["lib", "hand"] : ["hand", "lib"]) {
          const res = await batch(op[who], calls, concurrency);
          wall[who] = res.wallMs;
          acc[who].wallMs += res.wallMs;
          acc[who].cpuMs += res.cpuMs;
          acc[who].latencies.push(...res.latencies);
        }
        roundRatios.push(wall.hand / wall.lib); // same calls: the library's throughput over the baseline's
      }
      const row = {
        op: op.name,
        concurrency,
        library: summary(calls * rounds, acc.lib),
        handWritten: summary(calls * rounds, acc.hand),
      };
      // The median of the rounds' ratios: a load spike on this shared machine spoils one round,
      // not the figure. (The calls/s above are over all rounds.)
      row.ratio = median(roundRatios);
      row.roundRatios = roundRatios;
      results.push(row);
      log(`    ${op.name.padEnd(26)} ${String(concurrency).padStart(2)} in flight: library ${row.library.callsPerSecond.toFixed(0)}/s, hand-written ${row.handWritten.callsPerSecond.toFixed(0)}/s, ratio ${row.ratio.toFixed(3)}; CPU/call ${row.library.cpuMicrosPerCall.toFixed(0)} µs vs ${row.handWritten.cpuMicrosPerCall.toFixed(0)} µs`);
    }
  }
  return results;
}
