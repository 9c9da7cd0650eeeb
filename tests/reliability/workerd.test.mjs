// The fault matrix (matrix.mjs) through the built package in workerd (miniflare): the rows run
// inside a Worker (worker.mjs) that imports `pkg/workerd.js`; Node drives the sandboxes and
// asserts each row's documented outcome and the secrets check on what the Worker saw.
import { test, describe, before, after } from "node:test";
import { startWorker } from "../js/workerd.mjs";
import { RUN_ORDER } from "./matrix.mjs";
import { LANES, assertQuietConsole, assertRow, lanePool } from "./harness.mjs";

let pool;
let mf;
before(async () => {
  pool = await lanePool();
  mf = await startWorker(new URL("./worker.mjs", import.meta.url), { compatibilityFlags: ["nodejs_compat"] });
});
after(async () => {
  await mf?.dispose();
  await pool?.close();
});

describe("fault matrix in workerd (pkg/workerd.js)", { concurrency: LANES }, () => {
  for (const row of RUN_ORDER) {
    test(`${row.id}: ${row.faultLabel}`, row.knownBug ? { todo: `known bug: ${row.knownBug}` } : {}, () => pool.use(async (lane) => {
      const response = await mf.dispatchFetch("http://matrix.test/run", {
        method: "POST",
        body: JSON.stringify({ rowId: row.id, box: lane.box }),
      });
      const answer = await response.json();
      if (response.status !== 200) throw new Error(`the Worker failed: ${answer.error}`);
      assertRow(row, answer.outcome, {
        box: lane.box,
        issuedTokens: lane.issuedTokens(),
        labelled: answer.labelled,
        log: answer.log,
        unhandled: answer.unhandled,
      });
    }));
  }
});

test("no console output in the Worker carries a secret, and no unhandled rejection happened there", async () => {
  const { lines, unhandled } = await (await mf.dispatchFetch("http://matrix.test/console")).json();
  assertQuietConsole(lines);
  if (unhandled.length) throw new Error(`unhandled rejections: ${unhandled.map((u) => `${u.rows}: ${u.text}`).join("\n")}`);
});
