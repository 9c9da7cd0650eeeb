// The README's Node examples, compiled by tsc --strict and run with node as a user would: the
// variables of "Develop against the sandbox" set, the sandbox reset before each. Each must exit
// 0 and print what its `// prints:` (stdout) and `// stderr:` comments say, nothing else.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readExamples, expectedOutput, mismatch, shippedReadme } from "../blocks.mjs";
import { compile } from "../compile.mjs";
import { startEnvironment } from "../environment.mjs";

const examples = readExamples(shippedReadme()).filter((e) => e.runtime === "node");
const dist = new URL("../dist/node/", import.meta.url);

let environment;
before(async () => { environment = await startEnvironment(); });
after(async () => { await environment?.close(); });

function run(file) {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], {
      cwd: dist,
      env: { PATH: process.env.PATH, ...environment.variables },
      timeout: 60_000,
    }, (error, stdout, stderr) => resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr }));
  });
}

const lines = (text) => text.split("\n").filter((line, i, all) => line !== "" || i < all.length - 1);

let compiled = false;
test("the Node examples type-check under tsc --strict", () => {
  assert.ok(examples.length > 0, "no Node example in the README");
  assert.equal(compile("node", examples), "");
  compiled = true;
});

for (const example of examples) {
  test(`README.md:${example.line} ${example.name} runs in Node and prints what it says`, async () => {
    assert.ok(compiled, "the examples do not compile (see above)");
    await environment.reset();
    const { code, stdout, stderr } = await run(new URL(example.name.replace(/\.ts$/, ".js"), dist).pathname);
    const expected = expectedOutput(example.code);
    const report = `exit ${code}\n--- stdout\n${stdout}--- stderr\n${stderr}`;
    assert.equal(code, 0, report);
    assert.equal(mismatch(expected.stdout, lines(stdout)), null, report);
    assert.equal(mismatch(expected.stderr, lines(stderr)), null, report);
  });
}
