import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { call, getToken } from "./helpers.js";

const SERVER = fileURLToPath(new URL("../server.js", import.meta.url));

/** Starts server.js, resolves once it printed its URL. */
function startCli(args) {
  const child = spawn(process.execPath, [SERVER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  const ready = new Promise((resolve, reject) => {
    const t = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`no URL printed: ${out} ${err}`)); }, 5000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && /admin:/.test(out)) { clearTimeout(t); resolve(m[1]); }
    });
    child.on("exit", (code) => { clearTimeout(t); reject(new Error(`exited ${code}: ${err}`)); });
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, ready, exited, output: () => out };
}

test("server.js prints its URL and the credentials (overridable), serves, and stops on SIGTERM", async () => {
  const cli = startCli(["--port", "0", "--client-id", "cid", "--client-secret", "csecret", "--permanent-token", "ptok"]);
  try {
    const url = await cli.ready;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const out = cli.output();
    assert.match(out, /client id:\s+cid/);
    assert.match(out, /client secret:\s+csecret/);
    assert.match(out, /permanent token:\s+ptok/);
    const token = await getToken(fetch, url, { clientId: "cid", clientSecret: "csecret" });
    assert.equal((await call(fetch, "GET", "/fmu/1.0.0/status?msisdn=32477121212", { base: url, token })).status, 200);
    assert.equal((await call(fetch, "GET", "/fmu/1.0.0/status?msisdn=32477121212", { base: url, token: "ptok" })).status, 200);
    assert.equal((await call(fetch, "GET", "/fmu/1.0.0/status?msisdn=32477121212", { base: url, token: "sandbox-permanent-token" })).status, 401);
  } finally {
    cli.child.kill("SIGTERM");
  }
  const { code } = await cli.exited;
  assert.equal(code, 0);
});

test("server.js defaults print the seeded credentials; SIGINT stops it", async () => {
  const cli = startCli(["--port=0"]);
  try {
    await cli.ready;
    assert.match(cli.output(), /client id:\s+sandbox-client/);
    assert.match(cli.output(), /client secret:\s+sandbox-secret/);
    assert.match(cli.output(), /permanent token:\s+sandbox-permanent-token/);
  } finally {
    cli.child.kill("SIGINT");
  }
  assert.equal((await cli.exited).code, 0);
});

test("server.js rejects unknown options with exit code 2", async () => {
  const child = spawn(process.execPath, [SERVER, "--bogus"], { stdio: "ignore" });
  const code = await new Promise((r) => child.on("exit", r));
  assert.equal(code, 2);
});

test("server.js: --help and -h print the usage; usage errors name the culprit and exit 2", () => {
  const run = (...args) => spawnSync(process.execPath, [SERVER, ...args], { encoding: "utf8", timeout: 10_000 });
  for (const help of ["--help", "-h"]) {
    const r = run("--port=1", help, "--bogus");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: node sandbox\/server\.js \[--port 8787\]/);
  }
  const errors = [
    [["--bogus=1"], "unknown option --bogus"],
    [["8787"], "unknown option 8787"],
    [["--"], "unknown option --"],
    [["-hx"], "unknown option -hx"],
    [["--help=1"], "unknown option --help"],
    [["constructor"], "unknown option constructor"],
    [["--state"], "--state needs a value"],
    [["--port", "x"], "invalid port: x"],
    [["--port=65536"], "invalid port: 65536"],
    [["--latency-ms", "-1"], "invalid latencyMs: -1"],
    [["--token-lifetime=1.5"], "invalid tokenLifetimeSeconds: 1.5"],
    [["--port", "--host"], "invalid port: --host"],
  ];
  for (const [args, message] of errors) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(" ")}: exit code`);
    assert.equal(r.stderr.split("\n")[0], `sandbox: ${message}`, args.join(" "));
    assert.match(r.stderr, /\nUsage: node sandbox\/server\.js/);
  }
});

test("--state FILE keeps bookings and FMU statuses across restarts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-state-"));
  const file = join(dir, "state.json");
  try {
    const first = startCli(["--port", "0", "--state", file]);
    let id;
    try {
      const url = await first.ready;
      const b = await call(fetch, "POST", "/rentednumbers/1.0.0/bookings", { base: url, token: "sandbox-permanent-token",
        body: { destination: "32477121212", usagePlan: "SMALL", callback: "https://example.com/cb" } });
      id = b.body.id;
      await call(fetch, "PUT", "/fmu/1.0.0/status", { base: url, token: "sandbox-permanent-token", body: { msisdn: ["32477121212"], status: "ON_DUTY" } });
    } finally {
      first.child.kill("SIGTERM");
    }
    assert.equal((await first.exited).code, 0);
    assert.ok(existsSync(file));
    const second = startCli(["--port", "0", "--state", file]);
    try {
      const url = await second.ready;
      assert.equal((await call(fetch, "GET", `/rentednumbers/1.0.0/bookings/${id}`, { base: url, token: "sandbox-permanent-token" })).status, 200);
      assert.equal((await call(fetch, "GET", "/fmu/1.0.0/status?msisdn=32477121212", { base: url, token: "sandbox-permanent-token" })).body.status, "ON_DUTY");
    } finally {
      second.child.kill("SIGTERM");
    }
    assert.equal((await second.exited).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
