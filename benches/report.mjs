// The results as one markdown table (to paste into the README), plus the list of "must" checks.
import { int, kb, mib, ms } from "./stats.mjs";

export const GOALS = {
  gzipBytes: 32_800, // the whole library, wasm + JS, gzipped: stripe's SDK bundle (issue 8)
  workerBytes: 100_000, // the Worker bundle by wrangler, gzipped (issue 14; stretch: openai-node's 86 KB)
  workerStretchBytes: 86_000,
  throughputRatio: 0.95, // single calls: library / hand-written, same run (issue 14)
  listRatio: 0.9, // page walks of 100 items
  coldStartMs: 15, // at most this much over the baseline, Node and workerd (issue 14)
};

/** The throughput goal of an operation: page walks have their own. */
const ratioGoal = (op) => (op.includes(".list") ? GOALS.listRatio : GOALS.throughputRatio);
const coldVerdict = (d) => verdict(d <= GOALS.coldStartMs, `met: ${delta(d)}`, `not met: ${delta(d)}`);

const sz = (s) => `${kb(s.raw)} raw, **${kb(s.gzip)} gz**`;
const rate = (r) => `${int(r.callsPerSecond)} calls/s, p50 ${ms(r.medianMs)}, p99 ${ms(r.p99Ms)}, CPU ${int(r.cpuMicrosPerCall)} µs/call`;
const delta = (x) => `${x >= 0 ? "+" : "−"}${ms(Math.abs(x), 0)}`;
const verdict = (ok, yes = "met", no = "not met") => (ok ? yes : `**${no}**`);

export function markdown(results) {
  const rows = [];
  const row = (...cells) => rows.push(`| ${cells.join(" | ")} |`);
  const { size, throughput, overhead, cold, bulk, tokens, memory } = results;

  if (size) {
    row("size: wasm `proximus_api_bg.wasm`", sz(size.package.files["proximus_api_bg.wasm"]), "", "", "");
    row("size: JS glue `proximus_api.js`", sz(size.package.files["proximus_api.js"]), "", "", "");
    for (const [entry, e] of Object.entries(size.package.entries)) {
      const ok = e.total.gzip < GOALS.gzipBytes;
      row(`size: \`${entry}\` entry, all it loads (wasm ${kb(e.wasm.gzip)} + JS ${kb(e.js.gzip)} gz)`, sz(e.total), "",
        `< ${kb(GOALS.gzipBytes)} gz`, verdict(ok, "met", `not met (${(e.total.gzip / GOALS.gzipBytes).toFixed(1)}×)`));
    }
    if (size.worker) {
      const w = size.worker;
      row(`size: Worker by \`wrangler deploy --dry-run\` (script ${kb(w.js.gzip)} + wasm ${kb(w.wasm.gzip)} gz)`, sz(w.total), "",
        `≤ ${kb(GOALS.workerBytes)} gz (stretch ${kb(GOALS.workerStretchBytes)})`,
        verdict(w.total.gzip <= GOALS.workerBytes, w.total.gzip <= GOALS.workerStretchBytes ? "met, stretch too" : "met",
          `not met (${(w.total.gzip / GOALS.workerBytes).toFixed(2)}×)`));
    }
  }
  for (const t of throughput ?? []) {
    const goal = ratioGoal(t.op);
    row(`Node: \`${t.op}\`, ${t.concurrency} in flight`, rate(t.library),
      `${rate(t.handWritten)}; with duties (timeout, call-site stack) ${t.dutyRatio.toFixed(2)}×, CPU ${int(t.withDuties.cpuMicrosPerCall)} µs/call`,
      `ratio ≥ ${goal}`, verdict(t.ratio >= goal, `met: ${t.ratio.toFixed(2)}×`, `not met: ${t.ratio.toFixed(2)}×`));
  }
  for (const o of overhead ?? []) {
    row(`Node, no network: \`${o.op}\`, the client's own CPU (answers canned, median of ${o.rounds} rounds)`,
      `${o.libraryMicros.toFixed(1)} µs/call (+${o.extraMicros.toFixed(1)} µs; +${o.extraOverDutifulMicros.toFixed(1)} µs over duties)`,
      `${o.handWrittenMicros.toFixed(1)} µs/call; with duties (timeout, call-site stack) ${o.dutifulMicros.toFixed(1)} µs/call`,
      "where the ratios' gap is spent", "");
  }
  if (cold?.node) {
    const { library: l, baseline: b, pairedDeltaMs } = cold.node;
    row(`cold start, Node: fresh process, medians of ${l.samples}; the delta is the median of the ${l.samples} pairs' differences`,
      `import ${ms(l.importMs, 1)} + first call ${ms(l.firstCallMs, 1)}; answer at ${ms(l.sinceProcessStartMs, 0)}, exit at ${ms(l.wallMs, 0)}`,
      `import ${ms(b.importMs, 1)} + first call ${ms(b.firstCallMs, 1)}; answer at ${ms(b.sinceProcessStartMs, 0)}, exit at ${ms(b.wallMs, 0)}`,
      `≤ +${GOALS.coldStartMs} ms to the answer`, coldVerdict(pairedDeltaMs));
  }
  if (cold?.workerd) {
    const { library: l, baseline: b, pairedDeltaMs, compilingDeltaMs } = cold.workerd;
    const compiling = `; of the ready, compiling the .wasm alone ${delta(compilingDeltaMs)}`;
    row(`cold start, workerd: fresh miniflare, medians of ${l.samples}; the deltas are the medians of the pairs' differences`,
      `ready ${ms(l.readyMs, 0)} + first call ${ms(l.firstCallMs, 0)} = ${ms(l.totalMs, 0)}${compiling}`,
      `ready ${ms(b.readyMs, 0)} + first call ${ms(b.firstCallMs, 0)} = ${ms(b.totalMs, 0)}`,
      `≤ +${GOALS.coldStartMs} ms`, coldVerdict(pairedDeltaMs));
  }
  if (bulk) {
    const m = bulk.median;
    row(`bulk: \`setStatuses\` of ${int(m.numbers)} numbers, latency ${m.latencyMs} ms, concurrency ${m.concurrency} (median of ${bulk.runs.length})`,
      `${bulk.runs.map((r) => r.requests).join(", ")} requests; ${ms(m.wallMs, 0)}`,
      `ideal ${m.idealRoundTrips} round trips = ${ms(m.idealMs, 0)} (${(m.wallMs / m.idealMs).toFixed(2)}×)`,
      `must: ${m.expectedRequests} requests`, bulk.pass ? "PASS" : "**FAIL**");
  }
  if (tokens) {
    row(`tokens: ${int(tokens.calls)} concurrent \`getStatus\` from a fresh client (latency ${tokens.latencyMs} ms)`,
      `${tokens.tokenRequests} \`/token\` request(s), ${tokens.failedCalls} failed, ${ms(tokens.wallMs, 0)}`, "",
      "must: 1 `/token`", tokens.pass ? "PASS" : "**FAIL**");
  }
  if (memory) {
    const l = memory.library;
    const h = memory.handWritten;
    row(`memory: \`list()\` over ${int(memory.total)} bookings, heap growth ${int(l.from)} → ${int(memory.total)} after GC`,
      `heap +${mib(l.heapGrowth)}, wasm +${mib(l.wasmGrowth)} (a kept page: ${kb(l.pageBytes)}; keeping all: ${mib(l.keptEstimate)})`,
      h ? `hand-written: heap +${mib(h.heapGrowth)}` : "",
      `must: < ${mib(memory.bound)}`, memory.pass ? "PASS" : "**FAIL**");
  }
  return [
    "| figure | library | hand-written baseline | goal / must | verdict |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The "must" lines: [{ name, pass, detail }]. */
export function musts(results) {
  const out = [];
  if (results.bulk) out.push({ name: "bulk: setStatuses of 1,000 numbers sends 20 requests", pass: results.bulk.pass, detail: `requests per run: ${results.bulk.runs.map((r) => r.requests).join(", ")}` });
  if (results.tokens) out.push({ name: "tokens: 1,000 concurrent calls cause 1 /token request", pass: results.tokens.pass, detail: `${results.tokens.tokenRequests} /token, ${results.tokens.failedCalls} failed calls` });
  if (results.memory) out.push({ name: "memory: list() over 100,000 bookings stays bounded", pass: results.memory.pass, detail: `heap +${mib(results.memory.library.heapGrowth)} (bound ${mib(results.memory.bound)}), wasm +${mib(results.memory.library.wasmGrowth)}` });
  return out;
}
