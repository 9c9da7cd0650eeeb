#!/usr/bin/env node
// Runs a command against a fresh local Proximus sandbox:
//
//   node scripts/with-sandbox.mjs [--port N] [--quiet] [--] <command> [args…]
//
// Starts the sandbox in this process (port 0 = any free port unless --port), runs the command
// with PROXIMUS_SANDBOX_URL, PROXIMUS_CLIENT_ID, PROXIMUS_CLIENT_SECRET and
// PROXIMUS_PERMANENT_TOKEN set, stdio inherited; stops the sandbox and exits with the command's
// exit code. SIGINT/SIGTERM/SIGHUP are forwarded to the command.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { parseArgs as parseArgv } from "node:util";

const USAGE = "usage: node scripts/with-sandbox.mjs [--port N] [--quiet] [--] <command> [args…]";

function parseArgs(argv) {
  // Not strict: the command's own options (after the first word that is not ours) are no concern
  // of ours; parseArgs tokenizes, the loop below stops where the command starts.
  const { tokens } = parseArgv({
    args: argv,
    options: { port: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const options = { port: 0, quiet: false };
  let start = argv.length; // where the command starts
  for (const token of tokens) {
    const arg = argv[token.index];
    if (token.kind === "option-terminator") { start = token.index + 1; break; }
    if (arg === "--quiet") { options.quiet = true; continue; }
    if (arg === "-h" || arg === "--help") { console.log(USAGE); process.exit(0); }
    if (token.rawName === "--port") { // --port N or --port=N
      const port = Number(token.value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port: ${token.value}`);
      options.port = port;
      continue;
    }
    if (arg.startsWith("--")) fail(`unknown option ${arg} (put -- before the command if it is the command's)`);
    start = token.index;
    break;
  }
  const command = argv.slice(start);
  if (command.length === 0) fail("no command given");
  return { ...options, command };
}

function fail(message) {
  console.error(`with-sandbox: ${message}\n${USAGE}`);
  process.exit(2);
}

const { port, quiet, command } = parseArgs(process.argv.slice(2));
const log = (message) => { if (!quiet) console.error(`[with-sandbox] ${message}`); };

let sandboxModule;
try {
  sandboxModule = await import("../sandbox/index.js");
} catch (error) {
  console.error(`with-sandbox: cannot load sandbox/index.js: ${error?.stack || error}`);
  process.exit(1);
}
const { startSandbox, DEFAULT_CREDENTIALS = {} } = sandboxModule;

let server;
try {
  server = await startSandbox({ port });
} catch (error) {
  const hint = error?.code === "EADDRINUSE"
    ? ` (port ${port} is taken: stop what listens there, e.g. \`ss -ltnp 'sport = :${port}'\`, or pick another port)`
    : "";
  console.error(`with-sandbox: the sandbox did not start: ${error?.message || error}${hint}`);
  process.exit(1);
}

const env = {
  ...process.env,
  PROXIMUS_SANDBOX_URL: server.url,
  ...(DEFAULT_CREDENTIALS.clientId != null && { PROXIMUS_CLIENT_ID: DEFAULT_CREDENTIALS.clientId }),
  ...(DEFAULT_CREDENTIALS.clientSecret != null && { PROXIMUS_CLIENT_SECRET: DEFAULT_CREDENTIALS.clientSecret }),
  ...(DEFAULT_CREDENTIALS.permanentToken != null && { PROXIMUS_PERMANENT_TOKEN: DEFAULT_CREDENTIALS.permanentToken }),
};
log(`sandbox at ${server.url}; running: ${command.join(" ")}`);

let stopping = null;
const stop = () => (stopping ??= Promise.resolve().then(() => server.close()).catch((error) => {
  console.error(`with-sandbox: closing the sandbox failed: ${error?.message || error}`);
}));

const child = spawn(command[0], command.slice(1), { stdio: "inherit", env });

const forwarded = [];
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  const handler = () => {
    forwarded.push(signal);
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on(signal, handler);
}

const code = await new Promise((resolve) => {
  child.once("error", (error) => {
    console.error(`with-sandbox: could not run ${command[0]}: ${error.code === "ENOENT" ? "command not found" : error.message}`);
    resolve(127);
  });
  child.once("exit", (exitCode, signal) => {
    if (signal) resolve(128 + (constants.signals[signal] ?? 1));
    else resolve(exitCode ?? 1);
  });
});

await stop();
log(`sandbox stopped; command exited with ${code}${forwarded.length ? ` (after ${forwarded.join(", ")})` : ""}`);
process.exit(code);
