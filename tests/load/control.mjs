// Control for the workerd soak: runs N requests of one Worker route (tests/load/worker/worker.mjs)
// in miniflare and prints workerd's RSS and the isolate's JS heap every 10, to tell the library's
// memory from workerd's.
//
//   node tests/load/control.mjs /raw-signal 60   # 1,090 plain fetches per request, no library
//   node tests/load/control.mjs / 60             # the library's wave
//   node tests/load/control.mjs /offline 60      # 1,000 library calls that send nothing
import { startWorker } from "../js/workerd.mjs";
import { spawnSandbox, preparePlan, armWave, childRss, mb, freePort, workerHeap } from "./harness.mjs";
const route = process.argv[2]; const waves = Number(process.argv[3]);
const sb = await spawnSandbox();
const plan = await preparePlan(sb.url, await import("../../pkg/node.js"));
const port = await freePort();
const mf = await startWorker(new URL("./worker/worker.mjs", import.meta.url), {
  inspectorPort: port,
  bindings: { SANDBOX_URL: sb.url, CLIENT_ID: "sandbox-client", CLIENT_SECRET: "sandbox-secret" },
});
const t0 = Date.now();
try {
  for (let w = 1; w <= waves; w++) {
    if (route === "/") await armWave(sb.url, plan);
    const s = await (await mf.dispatchFetch(`http://load.test${route}`, { method: "POST", body: JSON.stringify(plan) })).json();
    if (w % 10 === 0) console.log(route, w, Math.round((Date.now() - t0) / 1000) + "s", s.durationMs, "rss", mb(await childRss("workerd")), "heap", mb((await workerHeap(port))?.usedSize ?? null), "rss after gc", mb(await childRss("workerd")));
  }
} finally { await mf.dispose(); await sb.close(); }
