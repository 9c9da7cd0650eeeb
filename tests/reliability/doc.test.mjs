// docs/reliability.md's table is the matrix the tests run: it must be exactly what
// render-table.mjs renders from matrix.mjs (fix with `node tests/reliability/render-table.mjs --write`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DOC, renderDoc } from "./render-table.mjs";
import { ROWS, KINDS, FAULTS } from "./matrix.mjs";

test("docs/reliability.md's table is the one matrix.mjs renders", () => {
  const doc = readFileSync(DOC, "utf8");
  assert.equal(doc, renderDoc(doc), "docs/reliability.md is stale: run node tests/reliability/render-table.mjs --write");
});

test("the matrix covers every call kind × every fault, once", () => {
  assert.equal(ROWS.length, Object.keys(KINDS).length * FAULTS.length);
  assert.equal(new Set(ROWS.map((r) => r.id)).size, ROWS.length);
  for (const f of FAULTS) for (const kind of Object.keys(KINDS)) assert.ok(f.expect[kind], `${f.id} has no expectation for ${kind}`);
});
