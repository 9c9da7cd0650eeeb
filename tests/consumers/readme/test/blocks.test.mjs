// Every code block of the shipped README is either a tested example or a shell command: a ```js
// block, a misspelled marker or a runtime nobody runs would slip past the other tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RUNTIMES, readBlocks, shippedReadme } from "../blocks.mjs";

const blocks = readBlocks(shippedReadme());

test("every ```ts block runs somewhere, and the rest is shell or a marked file", () => {
  for (const block of blocks) {
    const where = `README.md:${block.line} (\`\`\`${block.lang})`;
    if (block.lang === "ts") assert.ok(RUNTIMES.includes(block.runtime), `${where}: unknown runtime ${block.runtime}`);
    else if (block.lang !== "sh") assert.ok(block.file !== null && RUNTIMES.includes(block.runtime), `${where}: neither an example nor a marked file`);
  }
});

test("each runtime has its examples", () => {
  for (const runtime of RUNTIMES) {
    assert.ok(blocks.some((b) => b.lang === "ts" && b.runtime === runtime), `no ${runtime} example`);
  }
});

test("an HTML comment that looks like a marker but is not one is an error", () => {
  const lines = shippedReadme().split("\n");
  lines.forEach((line, i) => {
    if (/<!--\s*example/.test(line)) {
      assert.match(line, /^<!--\s*example:\s*\w+\s*(,\s*file:\s*[\w./-]+\s*)?-->$/, `README.md:${i + 1}`);
      assert.match(lines[i + 1] ?? "", /^```/, `README.md:${i + 1}: a marker must be right before its block`);
    }
  });
});
