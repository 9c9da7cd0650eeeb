// The fault matrix (matrix.mjs) through the built package in Node: every row's documented
// outcome, the client usable afterwards, no unhandled rejection, and no secret in anything the
// caller can print (errors, the client, util.inspect of both, console output, every log line).
import { test, describe, before, after } from "node:test";
import { inspect } from "node:util";
import { RUN_ORDER, captureConsole, clientOptions, runCase } from "./matrix.mjs";
import { LANES, assertQuietConsole, assertRow, lanePool } from "./harness.mjs";

const { ProximusClient } = await import("../../pkg/node.js");

// Rows run side by side: console output and unhandled rejections are tagged with the rows in
// flight when they happened.
const inFlight = new Set();
const consoleLines = [];
const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push({ rows: [...inFlight], text: String(reason?.stack ?? reason) }));

let pool;
let undoConsole;
before(async () => {
  pool = await lanePool();
  undoConsole = captureConsole((method, text) => consoleLines.push({ method, rows: [...inFlight], text }));
});
after(async () => {
  undoConsole?.();
  await pool?.close();
});

const deep = (value) => inspect(value, { depth: 5, showHidden: true });

describe("fault matrix in Node (pkg/node.js)", { concurrency: LANES }, () => {
  for (const row of RUN_ORDER) {
    test(`${row.id}: ${row.faultLabel}`, row.knownBug ? { todo: `known bug: ${row.knownBug}` } : {}, () => pool.use(async (lane) => {
      const retries = [];
      const log = [];
      const client = new ProximusClient(clientOptions(lane.box, (info) => retries.push(info), row, log));
      inFlight.add(row.id);
      let outcome;
      try {
        outcome = await runCase(client, lane.box, row, retries, { captureConsole: false });
        await new Promise((resolve) => setTimeout(resolve, 20)); // let stray rejections surface
      } finally {
        inFlight.delete(row.id);
      }
      const issuedTokens = lane.issuedTokens();
      const { error } = outcome.live;
      outcome.console = consoleLines.filter((l) => l.rows.includes(row.id)).map((l) => l.text);
      const labelled = [
        ["util.inspect(error)", error === undefined ? "" : deep(error)],
        ["util.inspect(client)", deep(client)],
        ["util.inspect(client.bookings)", deep(client.bookings)],
        ...retries.map((r, i) => [`util.inspect(onRetry[${i}])`, deep(r)]),
      ];
      assertRow(row, outcome, {
        box: lane.box, issuedTokens, labelled, log,
        unhandled: unhandled.filter((u) => u.rows.includes(row.id)).map((u) => u.text),
      });
    }));
  }
});

test("no console output of the whole run carries a secret, and no unhandled rejection happened", () => {
  assertQuietConsole(consoleLines);
  if (unhandled.length) throw new Error(`unhandled rejections: ${unhandled.map((u) => `${u.rows}: ${u.text}`).join("\n")}`);
});
