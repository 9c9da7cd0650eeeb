// The Worker that runs matrix rows inside workerd (loaded by workerd.test.mjs through miniflare,
// which resolves these imports itself: the package's `workerd` entry, the .wasm as a compiled
// module). POST /run {rowId, box} runs one row with a fresh client and answers the outcome as
// JSON, with every string the caller could print and every line the client logged (at "debug");
// GET /console answers what console.* received.
import { inspect } from "node:util"; // nodejs_compat: only to inspect like Node would
import { ProximusClient } from "../../pkg/workerd.js";
import { captureConsole, clientOptions, rowById, runCase } from "./matrix.mjs";

const inFlight = new Set();
const consoleLines = [];
const unhandled = [];
let installed = false;

function install() {
  if (installed) return;
  installed = true;
  captureConsole((method, text) => consoleLines.push({ method, rows: [...inFlight], text }));
  globalThis.addEventListener("unhandledrejection", (event) => {
    unhandled.push({ rows: [...inFlight], text: String(event.reason?.stack ?? event.reason) });
  });
}

const deep = (value) => inspect(value, { depth: 5, showHidden: true });

async function run(rowId, box) {
  const row = rowById(rowId);
  if (!row) return Response.json({ error: `no row ${rowId}` }, { status: 400 });
  const retries = [];
  const log = [];
  const client = new ProximusClient(clientOptions(box, (info) => retries.push(info), row, log));
  inFlight.add(row.id);
  let outcome;
  try {
    outcome = await runCase(client, box, row, retries, { captureConsole: false });
    await new Promise((resolve) => setTimeout(resolve, 20)); // let stray rejections surface
  } finally {
    inFlight.delete(row.id);
  }
  const { error } = outcome.live;
  const labelled = [
    ["util.inspect(error)", error === undefined ? "" : deep(error)],
    ["util.inspect(client)", deep(client)],
    ["util.inspect(client.bookings)", deep(client.bookings)],
    ...retries.map((r, i) => [`util.inspect(onRetry[${i}])`, deep(r)]),
  ];
  outcome.console = consoleLines.filter((l) => l.rows.includes(row.id)).map((l) => l.text);
  return Response.json({
    outcome,
    labelled,
    log,
    unhandled: unhandled.filter((u) => u.rows.includes(row.id)).map((u) => u.text),
  });
}

export default {
  async fetch(request) {
    install();
    const url = new URL(request.url);
    if (url.pathname === "/run" && request.method === "POST") {
      const { rowId, box } = await request.json();
      try {
        return await run(rowId, box);
      } catch (error) {
        return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
      }
    }
    if (url.pathname === "/console") return Response.json({ lines: consoleLines, unhandled });
    return new Response("not found", { status: 404 });
  },
};
