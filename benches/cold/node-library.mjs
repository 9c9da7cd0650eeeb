// One cold start in a fresh Node process: import the package (reads and instantiates the wasm),
// make a client, first call (a token, then one FMU status). Prints the timings as JSON.
import { performance } from "node:perf_hooks";

const [baseUrl, clientId, clientSecret] = process.argv.slice(2);
const t0 = performance.now();
const { ProximusClient } = await import("../../pkg/node.js");
const t1 = performance.now();
const status = await new ProximusClient({ clientId, clientSecret, baseUrl }).fmu.getStatus("32477121212");
const t2 = performance.now();
if (status.status !== "PRIVATE") throw new Error(`unexpected answer ${JSON.stringify(status)}`);
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1, sinceProcessStartMs: t2 }));
process.exit(0);
