// Two builds of the package compared in one process: the library's own CPU per call of each (the
// four calls of operations.mjs, answers canned as in overhead.mjs), their batches interleaved and
// each build going first in turn, so that the machine's drift hits both alike. Separate runs of
// `make bench` differ by ±30 % on this machine; two copies of one build compared this way differ
// by up to ±2 %.
//
//   node benches/compare-builds.mjs <package dir A> <package dir B> [rounds, default 25]
//
// e.g. `cp -r pkg /tmp/before`, change and `make pkg`, then `node benches/compare-builds.mjs
// /tmp/before pkg`. Each directory is a built package (its node.js is imported).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { sandboxAdmin } from "../sandbox/admin-client.js";
import { DEFAULT_CREDENTIALS } from "../sandbox/index.js";
import { spawnSandbox } from "../sandbox/spawn.js";
import { cannedFetch, interleavedCpu } from "./overhead.mjs";
import { clients, operations, seedSandbox } from "./operations.mjs";
import { median } from "./stats.mjs";

const [dirA, dirB, roundsArg = "25"] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error("usage: node benches/compare-builds.mjs <package dir A> <package dir B> [rounds]");
  process.exit(2);
}
const rounds = Number(roundsArg);
const builds = await Promise.all([dirA, dirB].map((dir) => import(pathToFileURL(resolve(dir, "node.js")).href)));
const sandbox = await spawnSandbox({ receiver: true });
const box = { ...sandbox, ...sandboxAdmin(sandbox.url), credentials: DEFAULT_CREDENTIALS };
const real = globalThis.fetch;
try {
  const both = builds.map((pkg) => clients(pkg, box));
  const id = await seedSandbox(both[0].lib, box);
  const ops = both.map((all) => operations(all, id));
  const canned = cannedFetch(real);
  globalThis.fetch = canned.fetch;
  for (const list of ops) for (const op of list) await op.lib(); // recorded through the sandbox
  canned.replay();
  console.log(`CPU µs per call, medians of ${rounds} rounds; B/A is the median of the rounds' ratios`);
  for (let k = 0; k < ops[0].length; k++) {
    const calls = ops[0][k].single ? 2000 : 100;
    const cpu = await interleavedCpu([ops[0][k].lib, ops[1][k].lib], { calls, rounds });
    const ratio = median(cpu[1].map((b, i) => b / cpu[0][i]));
    console.log(`  ${ops[0][k].name.padEnd(26)} A ${median(cpu[0]).toFixed(1).padStart(7)}  B ${median(cpu[1]).toFixed(1).padStart(7)}  B/A ${ratio.toFixed(3)}`);
  }
} finally {
  globalThis.fetch = real;
  await sandbox.close();
}
