#!/usr/bin/env node
// The benchmark harness (issue 8): builds the release package, starts the sandbox, measures size,
// throughput/latency against a hand-written fetch client, cold start (Node, workerd), bulk FMU,
// token sharing and listing memory; prints a markdown table and writes target/bench/results.json.
// Exits 1 if a "must" fails. `make bench` runs it.
//
//   node benches/run.mjs [--no-build] [--quick] [--only size,throughput,overhead,cold,bulk,tokens,memory]
//                        [--out target/bench/results.json]
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_CREDENTIALS } from "../sandbox/index.js";
import { sandboxAdmin } from "../sandbox/admin-client.js";
import { spawnSandbox } from "../sandbox/spawn.js";
import { packageSizes, ensureWorkerDeps, workerBundle } from "./size.mjs";
import { runThroughput } from "./throughput.mjs";
import { clientOverhead } from "./overhead.mjs";
import { nodeColdStart, workerdColdStart } from "./cold-start.mjs";
import { bulkSetStatuses, concurrentTokens } from "./bulk.mjs";
import { listMemory } from "./memory.mjs";
import { markdown, musts } from "./report.mjs";
import { median } from "./stats.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const ALL = ["size", "throughput", "overhead", "cold", "bulk", "tokens", "memory"];
const { values: args } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string", default: "target/bench/results.json" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log("node benches/run.mjs [--no-build] [--quick] [--only size,throughput,overhead,cold,bulk,tokens,memory] [--out FILE]");
  process.exit(0);
}
const only = new Set(args.only ? args.only.split(",").map((s) => s.trim()) : ALL);
for (const name of only) if (!ALL.includes(name)) throw new Error(`--only: unknown benchmark "${name}" (one of ${ALL.join(", ")})`);
const quick = args.quick;
const plan = {
  rounds: quick ? 2 : 10,
  // Three clients take turns going first: a multiple of 3 gives each the same share.
  throughputRounds: quick ? 3 : 21,
  scale: quick ? 0.3 : 1,
  concurrencies: [1, 8],
  nodeSamples: quick ? 3 : 11,
  workerdSamples: quick ? 2 : 7,
  bulkRuns: quick ? 1 : 3,
  bulkLatencyMs: 50,
  tokenCalls: 1000,
  tokenLatencyMs: 20,
  memoryItems: 100_000,
};

const log = (...a) => console.error(...a);
const step = (s) => log(`==> ${s}`);
const started = Date.now();

if (!args["no-build"]) {
  step("scripts/build-pkg.sh (release package into pkg/)");
  execFileSync(`${root}scripts/build-pkg.sh`, { cwd: root, stdio: ["ignore", process.stderr, "inherit"] });
}

const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version, loadAverage: os.loadavg() },
  quick,
  plan,
};

if (only.has("size") || only.has("cold")) {
  step("size: pkg/ per entry point; the Worker bundled by wrangler's dry run");
  results.size = { package: packageSizes(`${root}pkg`) };
  ensureWorkerDeps(log);
  results.size.worker = workerBundle();
  if (!only.has("size")) delete results.size.package;
}

// The sandbox in its own process, so that its work does not share the measuring event loop.
const sandbox = await spawnSandbox({ receiver: true });
const box = {
  ...sandbox,
  ...sandboxAdmin(sandbox.url),
  credentials: { clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret },
};
try {
  const pkg = await import(pathToFileURL(`${root}pkg/node.js`).href);

  if (only.has("throughput")) {
    step(`throughput and latency in Node: library, hand-written and hand-written with duties, interleaved (${plan.throughputRounds} rounds)`);
    results.throughput = await runThroughput(pkg, box, { rounds: plan.throughputRounds, scale: plan.scale, concurrencies: plan.concurrencies, log });
  }
  if (only.has("overhead")) {
    step(`the clients' own CPU per call, answers canned (no network; ${plan.rounds} rounds)`);
    results.overhead = await clientOverhead(box, { rounds: plan.rounds, scale: plan.scale, log });
  }
  if (only.has("cold")) {
    step(`cold start in Node (${plan.nodeSamples} fresh processes each)`);
    results.cold = { node: await nodeColdStart(box, { samples: plan.nodeSamples }) };
    step(`cold start in workerd (${plan.workerdSamples} fresh miniflare instances each)`);
    results.cold.workerd = await workerdColdStart(box, { samples: plan.workerdSamples, bundledScript: results.size.worker.script });
  }
  if (results.size && !only.has("size")) delete results.size;
  if (only.has("bulk")) {
    step(`bulk: setStatuses of 1,000 numbers, sandbox latency ${plan.bulkLatencyMs} ms`);
    await bulkSetStatuses(pkg, box, { latencyMs: plan.bulkLatencyMs }); // warm-up (connections, code)
    const runs = [];
    for (let i = 0; i < plan.bulkRuns; i++) runs.push(await bulkSetStatuses(pkg, box, { latencyMs: plan.bulkLatencyMs }));
    const mid = median(runs.map((r) => r.wallMs));
    results.bulk = { runs, median: runs.find((r) => r.wallMs === mid) ?? runs[0], pass: runs.every((r) => r.pass) };
  }
  if (only.has("tokens")) {
    step(`tokens: ${plan.tokenCalls} concurrent calls from a fresh client`);
    results.tokens = await concurrentTokens(pkg, box, { calls: plan.tokenCalls, latencyMs: plan.tokenLatencyMs });
  }
  if (only.has("memory")) {
    step(`memory: list() over ${plan.memoryItems} bookings (child process, --expose-gc)`);
    results.memory = await listMemory(box, { total: plan.memoryItems });
  }
} finally {
  await box.close();
}

results.durationSeconds = Math.round((Date.now() - started) / 1000);
results.musts = musts(results);
results.table = markdown(results);
const out = resolve(root, args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

const m = results.machine;
console.log(`\n## proximus-api benchmarks — ${results.date.slice(0, 10)}${quick ? " (--quick)" : ""}\n`);
console.log(`${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}; load average at start ${m.loadAverage.map((x) => x.toFixed(1)).join(" ")}\n`);
console.log(results.table);
console.log("");
for (const must of results.musts) console.log(`${must.pass ? "PASS" : "FAIL"}  ${must.name} (${must.detail})`);
console.log(`\nresults: ${out} (${results.durationSeconds} s)`);
process.exitCode = results.musts.every((x) => x.pass) ? 0 : 1;
