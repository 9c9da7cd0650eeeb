#!/usr/bin/env node
// `node sandbox/server.js --port 8787`: the sandbox as a local HTTP server.
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { parseArgs as parseArgv } from "node:util";
import { startSandbox, DEFAULT_CREDENTIALS } from "./index.js";

const USAGE = `Usage: node sandbox/server.js [--port 8787] [--host 127.0.0.1]
       [--client-id ID] [--client-secret SECRET] [--permanent-token TOKEN]
       [--token-lifetime SECONDS] [--latency-ms MS] [--state FILE]`;

// Flag → startSandbox option (and --state).
const FLAGS = {
  port: "port", host: "host", "client-id": "clientId", "client-secret": "clientSecret",
  "permanent-token": "permanentToken", "token-lifetime": "tokenLifetimeSeconds",
  "latency-ms": "latencyMs", state: "stateFile",
};

function parseArgs(argv) {
  // Not strict: its errors would not say what this CLI says (below); the tokens are checked here.
  const { tokens } = parseArgv({
    args: argv,
    options: {
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" }])),
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const out = { port: 8787, host: "127.0.0.1" };
  for (const token of tokens) {
    // The argument as given, and its part before an "=": what an error names.
    const text = argv[token.index];
    const eq = text.indexOf("=");
    const flag = eq > 0 ? text.slice(0, eq) : text;
    // One option spelled out alone (`-h`, `--port`, `--port=N`), not a group like `-hx`.
    const alone = token.kind === "option" &&
      (text === token.rawName || (token.inlineValue === true && text === `${token.rawName}=${token.value}`));
    if (alone && token.name === "help" && !token.inlineValue) { console.log(USAGE); process.exit(0); }
    if (!alone || !Object.hasOwn(FLAGS, token.name)) fail(`unknown option ${flag}`);
    if (token.value === undefined) fail(`${flag} needs a value`);
    out[FLAGS[token.name]] = token.value;
  }
  for (const key of ["port", "tokenLifetimeSeconds", "latencyMs"]) {
    if (out[key] === undefined) continue;
    const n = Number(out[key]);
    if (!Number.isInteger(n) || n < 0 || (key === "port" && n > 65535)) fail(`invalid ${key}: ${out[key]}`);
    out[key] = n;
  }
  return out;
}

function fail(message) {
  console.error(`sandbox: ${message}\n${USAGE}`);
  process.exit(2);
}

const { stateFile, ...options } = parseArgs(process.argv.slice(2));
const running = await startSandbox(options).catch((err) => fail(`cannot listen: ${err.message}`));
const { url, sandbox } = running;

let saveTimer = null;
function save() {
  if (!stateFile) return;
  const tmp = `${stateFile}.tmp`;
  writeFileSync(tmp, JSON.stringify(sandbox.snapshot()));
  renameSync(tmp, stateFile);
}
if (stateFile) {
  try {
    sandbox.restore(JSON.parse(readFileSync(stateFile, "utf8")));
    console.log(`state restored from ${stateFile}`);
  } catch (err) {
    if (err.code !== "ENOENT") console.error(`sandbox: could not read ${stateFile} (${err.message}); starting from the seed`);
  }
  // Persist every couple of seconds and at exit: simple and cheap for an in-memory model.
  saveTimer = setInterval(() => { try { save(); } catch (err) { console.error(`sandbox: save failed: ${err.message}`); } }, 2000);
  saveTimer.unref();
}

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  clearInterval(saveTimer);
  try { save(); } catch (err) { console.error(`sandbox: save failed: ${err.message}`); }
  await running.close();
  console.log(`sandbox stopped (${signal})`);
  process.exit(0);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));

const creds = { ...DEFAULT_CREDENTIALS };
for (const k of ["clientId", "clientSecret", "permanentToken"]) if (options[k]) creds[k] = options[k];
console.log(`Proximus sandbox listening on ${url}
  client id:        ${creds.clientId}
  client secret:    ${creds.clientSecret}
  permanent token:  ${creds.permanentToken}
  token:            ${url}/token
  FMU:              ${url}/fmu/1.0.0
  rented numbers:   ${url}/rentednumbers/1.0.0
  admin:            ${url}/_sandbox/state`);

