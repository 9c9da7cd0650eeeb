// scripts/with-sandbox.mjs: its own options, usage errors, and the command passed through untouched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/with-sandbox.mjs", import.meta.url));
const run = (...args) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", timeout: 20_000 });
// A command that prints its arguments (JSON) and the sandbox URL it was given.
const ECHO = [process.execPath, "-e", "console.log(JSON.stringify([process.env.PROXIMUS_SANDBOX_URL, ...process.argv.slice(1)]))"];

test("with-sandbox runs the command against a sandbox, arguments untouched, and exits with its code", () => {
  const r = run("--quiet", "--", ...ECHO, "--", "--port", "-h", "--quiet", "a b", "");
  assert.equal(r.status, 0, r.stderr);
  const [url, ...args] = JSON.parse(r.stdout);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(args, ["--port", "-h", "--quiet", "a b", ""]);
  assert.equal(r.stderr, "");

  // Without --: the command starts at the first word that is not an option of with-sandbox.
  const bare = run("--port=0", "--quiet", ...ECHO, "--", "--port=1", "x");
  assert.equal(bare.status, 0, bare.stderr);
  assert.deepEqual(JSON.parse(bare.stdout).slice(1), ["--port=1", "x"]);

  const failing = run("--quiet", process.execPath, "-e", "process.exit(3)");
  assert.equal(failing.status, 3);
  const chatty = run(process.execPath, "-e", "");
  assert.equal(chatty.status, 0);
  assert.match(chatty.stderr, /\[with-sandbox\] sandbox at http:\/\/127\.0\.0\.1:\d+; running: /);
  assert.match(chatty.stderr, /\[with-sandbox\] sandbox stopped; command exited with 0/);
});

test("with-sandbox: --help and -h print the usage; usage errors exit 2", () => {
  for (const help of ["--help", "-h"]) {
    const r = run("--quiet", help, "true");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^usage: node scripts\/with-sandbox\.mjs \[--port N\] \[--quiet\] \[--\] <command>/);
  }
  const errors = [
    [["--bogus", "true"], "unknown option --bogus (put -- before the command if it is the command's)"],
    [["--quiet=1", "true"], "unknown option --quiet=1 (put -- before the command if it is the command's)"],
    [["--port", "70000", "true"], "invalid --port: 70000"],
    [["--port=x", "true"], "invalid --port: x"],
    [["--port"], "invalid --port: undefined"],
    [["--quiet"], "no command given"],
    [["--quiet", "--"], "no command given"],
  ];
  for (const [args, message] of errors) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(" ")}: exit code`);
    assert.equal(r.stderr.split("\n")[0], `with-sandbox: ${message}`, args.join(" "));
    assert.match(r.stderr, /\nusage: node scripts\/with-sandbox\.mjs/);
  }
});
