// A busy DEMO_PORT: what `make demo` runs (`node www/demo.mjs --port N`) prints one line naming
// DEMO_PORT and exits non-zero, without workerd's kj::Exception dump; and when the port is taken
// only by the time miniflare binds it (after demo.mjs's own check), startDemo says the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { PROXIMUS_CLIENT_ID, PROXIMUS_CLIENT_SECRET, ...env } = process.env; // never the real platform

/** A port something already listens on, as long as the test runs. */
async function busyPort(t) {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(() => server.close());
  return server.address().port;
}

/** Runs node with args from the repository's root; its exit code and all it printed. */
async function run(args) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const [code] = await once(child, "close");
  return { code, output };
}

const line = (port) => `port ${port} is in use: set DEMO_PORT, e.g. make demo DEMO_PORT=${port + 1}\n`;

test("node www/demo.mjs --port <busy>: one line naming DEMO_PORT, non-zero exit", async (t) => {
  const port = await busyPort(t);
  const { code, output } = await run(["www/demo.mjs", "--port", String(port)]);
  assert.notEqual(code, 0);
  assert.doesNotMatch(output, /kj::/);
  assert.equal(output, line(port));
});

test("a port miniflare cannot bind (taken after the check): the same line, no stack dump", async (t) => {
  const port = await busyPort(t);
  const script = `import("./www/demo.mjs").then((m) => m.startDemo({ port: ${port}, quiet: true }))
    .then(() => { console.log("started"); process.exit(0); }, (e) => { console.error(e.message); process.exit(1); });`;
  const { code, output } = await run(["--input-type=module", "-e", script]);
  assert.equal(code, 1);
  assert.doesNotMatch(output, /kj::/);
  assert.equal(output, line(port));
});
