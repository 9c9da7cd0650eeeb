// Node-side helpers shared by node.test.mjs and workerd.test.mjs: sandboxes with credentials of
// their own (so a leak cannot hide behind a common word), a pool of them so rows run side by
// side, and the assertions of one row.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startSandbox } from "../../sandbox/index.js";
import { checkOutcome, findLeaks, secretsOf, DESTINATION_FORMS } from "./matrix.mjs";

/** Rows in flight at once per runtime (each on a sandbox of its own): most of a row is waiting. */
export const LANES = 4;

/** Every secret seen so far in this process (client secrets, tokens), to check console output. */
export const allSecrets = new Set(DESTINATION_FORMS);

export async function startBox() {
  const clientId = `rel-client-${randomBytes(4).toString("hex")}`;
  const clientSecret = `rel-secret-${randomBytes(12).toString("hex")}`;
  const server = await startSandbox({ port: 0, clientId, clientSecret, logger: null });
  allSecrets.add(clientSecret);
  return {
    box: { url: server.url, clientId, clientSecret },
    server,
    /** Every token the sandbox holds right now (it is reset at the start of each row). */
    issuedTokens: () => Object.keys(server.sandbox.state.tokens.byToken),
    close: () => server.close(),
  };
}

/** LANES sandboxes; `use(fn)` runs fn(lane) on a free one. */
export async function lanePool(count = LANES) {
  const lanes = await Promise.all(Array.from({ length: count }, () => startBox()));
  const free = [...lanes];
  const waiting = [];
  return {
    async use(fn) {
      const lane = free.pop() ?? (await new Promise((resolve) => waiting.push(resolve)));
      try {
        return await fn(lane);
      } finally {
        const next = waiting.shift();
        if (next) next(lane);
        else free.push(lane);
      }
    },
    close: () => Promise.all(lanes.map((l) => l.close())),
  };
}

/**
 * Asserts one row: its documented outcome, and no secret in any string the caller could see
 * (`labelled`: [label, text] pairs gathered by the runtime, on top of outcome.exposed/console;
 * `log`: every line the client logged at "debug", which cannot be empty: each row sends requests).
 */
export function assertRow(row, outcome, { box, issuedTokens = [], labelled = [], unhandled = [], log = [] }) {
  const problems = checkOutcome(row, outcome);
  const secrets = secretsOf(box, outcome, issuedTokens);
  for (const s of secrets) allSecrets.add(s);
  if (log.length === 0) problems.push("the client logged no line at \"debug\": the log's secrets check saw nothing");
  const everything = [
    ...outcome.exposed.map((t, i) => [`exposed[${i}]`, t]),
    ...outcome.console.map((t, i) => [`console[${i}]`, t]),
    ...log.map((t, i) => [`log[${i}]`, t]),
    ...labelled,
  ];
  problems.push(...findLeaks(everything, secrets).map((l) => `SECRET LEAK: ${l}`));
  if (unhandled.length) problems.push(`unhandled rejection(s): ${unhandled.join(" | ")}`);
  assert.deepEqual(problems, [], `${row.id}: ${problems.join("; ")}\noutcome: ${JSON.stringify({ ...outcome, exposed: undefined, console: undefined })}`);
}

/** Asserts that no console line captured during the run carries a secret seen so far. */
export function assertQuietConsole(lines) {
  const leaks = findLeaks(lines.map((l, i) => [`console.${l.method} #${i} (rows in flight: ${l.rows.join(", ")})`, l.text]), [...allSecrets]);
  assert.deepEqual(leaks, [], leaks.join("\n"));
}
