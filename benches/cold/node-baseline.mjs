// The cold-start baseline in a fresh Node process: the same first call with the hand-written
// fetch client (a token, then one FMU status), no wasm. Prints the timings as JSON.
import { performance } from "node:perf_hooks";

const [baseUrl, clientId, clientSecret] = process.argv.slice(2);
const t0 = performance.now();
const { HandWrittenClient } = await import("../hand-written-client.mjs");
const t1 = performance.now();
const status = await new HandWrittenClient({ clientId, clientSecret, baseUrl }).getStatus("32477121212");
const t2 = performance.now();
if (status.status !== "PRIVATE") throw new Error(`unexpected answer ${JSON.stringify(status)}`);
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1, sinceProcessStartMs: t2 }));
process.exit(0);
