// Throughput and latency in Node: the library, the hand-written fetch client and that client with
// the design's duties (a timeout, a call-site stack) making the same calls against the same
// sandbox, interleaved in one process (batches in turn, each client going first in turn, so
// drift and noise hit all alike). The ratio is library / hand-written throughput, the median over
// rounds of each round's pair; the duties client's own ratio shows what those duties alone cost.
import { performance } from "node:perf_hooks";
import { MSISDN, clients, operations, seedSandbox } from "./operations.mjs";
import { inTurn, median, quantile } from "./stats.mjs";

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
  const who = ["lib", "hand", "duty"];
  const id = await seedSandbox(lib, box);
  // A batch: 100 single calls, or 25 walks of a page of 100.
  const ops = operations(all, id).map((op) => ({ ...op, calls: op.single ? 100 : 25 }));

  // Same answers from each (and the token fetched by each).
  const [a, b] = [await lib.bookings.get(id), await hand.getBooking(id)];
  if (a.id !== b.id || a.endTime.getTime() !== b.endTime.getTime()) throw new Error("the two clients disagree on bookings.get");
  const status = JSON.stringify(await lib.fmu.getStatus(MSISDN));
  if (status !== JSON.stringify(await hand.getStatus(MSISDN)) || status !== JSON.stringify(await all.duty.getStatus(MSISDN))) {
    throw new Error("the clients disagree on fmu.getStatus");
  }

  const results = [];
  for (const op of ops) {
    for (const concurrency of concurrencies) {
      const calls = Math.max(5, Math.round(op.calls * scale));
      for (const w of who) await batch(op[w], calls, concurrency); // warm-up, not counted
      const acc = Object.fromEntries(who.map((w) => [w, { wallMs: 0, cpuMs: 0, latencies: [] }]));
      const roundRatios = [];
      const dutyRatios = [];
      for (let r = 0; r < rounds; r++) {
        const wall = {};
        for (const w of inTurn(who, r)) {
          const res = await batch(op[w], calls, concurrency);
          wall[w] = res.wallMs;
          acc[w].wallMs += res.wallMs;
          acc[w].cpuMs += res.cpuMs;
          acc[w].latencies.push(...res.latencies);
        }
        // Same calls: each client's throughput over the baseline's.
        roundRatios.push(wall.hand / wall.lib);
        dutyRatios.push(wall.hand / wall.duty);
      }
      const row = {
        op: op.name,
        concurrency,
        library: summary(calls * rounds, acc.lib),
        handWritten: summary(calls * rounds, acc.hand),
        withDuties: summary(calls * rounds, acc.duty),
      };
      // The median of the rounds' ratios: a load spike on this shared machine spoils one round,
      // not the figure. (The calls/s above are over all rounds.)
      row.ratio = median(roundRatios);
      row.roundRatios = roundRatios;
      row.dutyRatio = median(dutyRatios);
      results.push(row);
      const cpu = (w) => row[w].cpuMicrosPerCall.toFixed(0);
      log(`    ${op.name.padEnd(26)} ${String(concurrency).padStart(2)} in flight: library ${row.library.callsPerSecond.toFixed(0)}/s, hand-written ${row.handWritten.callsPerSecond.toFixed(0)}/s, ratio ${row.ratio.toFixed(3)} (with duties ${row.dutyRatio.toFixed(3)}); CPU/call ${cpu("library")} µs vs ${cpu("handWritten")} µs (with duties ${cpu("withDuties")} µs)`);
    }
  }
  return results;
}
