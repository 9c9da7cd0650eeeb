// The client's `logger` and `logLevel`: each level gets exactly its lines (debug: one per request
// and one per answer; info: tokens; warn: retries; error: final failures), each through the
// logger method of its name, every line prefixed `proximus-api: `; no line at any level holds a
// secret or a full phone number; a logger never breaks a call; the default is console at "warn".
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { closedPort, loadPackage, sandbox } from "./helpers.mjs";
import { findLeaks } from "./leaks.mjs";

const { ProximusClient, ProximusError } = await loadPackage();

const LEVELS = ["debug", "info", "warn", "error"];
const STATUS = "/fmu/1.0.0/status";
const BOOKINGS = "/rentednumbers/1.0.0/bookings";
const NUMBER = "0477 12 12 12";
/** Every phone number the calls here use: none may show in a log line. */
const NUMBERS = ["32477121212", "32471121212", "32479123987"];
// Credentials of this file's own, so that a leak cannot hide behind a common word.
const CLIENT_ID = `log-client-${randomBytes(4).toString("hex")}`;
const CLIENT_SECRET = `log-secret-${randomBytes(12).toString("hex")}`;
const PERMANENT_TOKEN = `log-permanent-${randomBytes(12).toString("hex")}`;

let box;
before(async () => (box = await sandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, permanentToken: PERMANENT_TOKEN, logger: null })));
after(() => box.close());
beforeEach(() => box.reset());

/** A logger that keeps each line with the method it came through. */
function recorder() {
  const lines = [];
  const logger = Object.fromEntries(LEVELS.map((level) => [level, (line) => lines.push({ level, line })]));
  return { logger, lines, of: (level) => lines.filter((l) => l.level === level).map((l) => l.line) };
}

const newClient = (extra = {}) => new ProximusClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: box.url, ...extra });

/**
 * Calls that make lines of every level: 3 info (2 new tokens, 1 refused token), 2 warn (retries),
 * 1 error (a 503 to the end), and 2 debug per request.
 */
async function everyKindOfLine(client) {
  await client.tokens.get();
  await box.addFault({ path: STATUS, status: 503, retryAfter: 0, count: 1 });
  await client.fmu.getStatus(NUMBER);
  await box.addFault({ path: BOOKINGS, status: 401, count: 1 });
  await assert.rejects(client.bookings.get("bk_missing"), (e) => e.code === "not_found");
  await box.addFault({ path: STATUS, status: 503, retryAfter: 0, count: 2 });
  await assert.rejects(client.fmu.getStatus(NUMBER, { maxRetries: 1 }), (e) => e.code === "unavailable");
}

const EXPECTED = {
  debug: ["debug", "info", "warn", "error"],
  info: ["info", "warn", "error"],
  warn: ["warn", "error"],
  error: ["error"],
  off: [],
};

test("each logLevel gets exactly its lines, each through the logger method of its level", async () => {
  for (const [logLevel, shown] of Object.entries(EXPECTED)) {
    await box.reset();
    const { logger, lines, of } = recorder();
    await everyKindOfLine(newClient({ logger, logLevel }));
    const requests = (await box.requests()).length;
    const counts = { debug: 2 * requests, info: 3, warn: 2, error: 1 };
    for (const level of LEVELS) {
      assert.equal(of(level).length, shown.includes(level) ? counts[level] : 0, `logLevel ${logLevel}: ${level} lines\n${of(level).join("\n")}`);
    }
    assert.ok(lines.every(({ line }) => line.startsWith("proximus-api: ")), `logLevel ${logLevel}: ${lines.map((l) => l.line).join("\n")}`);
  }
});

test("the lines say what happened: requests and answers, tokens, retries with their reason, failures", async () => {
  const { logger, of } = recorder();
  const client = newClient({ logger, logLevel: "debug" });
  await everyKindOfLine(client);
  await box.addFault({ path: STATUS, latencyMs: 300, count: 1 });
  await client.fmu.getStatus(NUMBER);

  const debug = of("debug");
  const request = /^proximus-api: (GET|POST|PUT|DELETE) (\/\S*) \(attempt (\d+)\)$/;
  const answer = /^proximus-api: (\d{3}|no answer) for (GET|POST|PUT|DELETE) (\/\S*) \(attempt (\d+), (\d+) ms\)$/;
  assert.ok(debug.every((l) => request.test(l) || answer.test(l)), debug.join("\n"));
  assert.equal(debug[0], "proximus-api: POST /token (attempt 1)");
  assert.match(debug[1], /^proximus-api: 200 for POST \/token \(attempt 1, \d+ ms\)$/);
  const status = "GET /fmu/1.0.0/status?msisdn=•••••••••12";
  assert.ok(debug.includes(`proximus-api: ${status} (attempt 2)`), "the retry is attempt 2");
  assert.ok(debug.some((l) => l.startsWith(`proximus-api: 503 for ${status} (attempt 1, `)));
  assert.ok(debug.some((l) => l.startsWith("proximus-api: 401 for GET /rentednumbers/1.0.0/bookings/bk_missing (attempt 1, ")));
  const slow = Number(debug.at(-1).match(answer)?.[5]);
  assert.ok(slow >= 290 && slow < 5000, `the 300 ms answer took ${slow} ms by the log`);

  const info = of("info");
  assert.match(info[0], /^proximus-api: new token, valid for 3\d{3} s$/);
  assert.match(info[1], /^proximus-api: the token was refused \(401\)/);
  assert.match(info[2], /^proximus-api: new token/);
  const [retry] = of("warn");
  assert.match(retry, new RegExp(`^proximus-api: retry 1 of 2 of ${status.replace(/[?.]/g, "\\$&")} in \\d+ ms after unavailable: HTTP 503`));
  assert.match(of("error")[0], new RegExp(`^proximus-api: ${status.replace(/[?.]/g, "\\$&")} failed: unavailable: HTTP 503`));
});

/** A 503 body that repeats what the client sent: the secrets, and the number as it went out. */
const echo = (...said) => ({
  status: 503, retryAfter: 0, contentType: "application/json",
  body: JSON.stringify({ code: "SERVER_ERROR", message: `echo-marker ${said.join(" ")}` }),
});

/** The bearer tokens the sandbox received, and the log lines' leaks of them or of `secrets` and NUMBERS. */
async function leaksIn(lines, secrets) {
  const tokens = (await box.requests()).map((r) => r.headers.authorization?.replace(/^Bearer /i, "")).filter((t) => t && !t.startsWith("Basic"));
  return findLeaks(lines.map((l, i) => [`${l.level} line ${i}`, l.line]), { secrets: [...secrets, ...tokens], numbers: NUMBERS });
}

test("no log line at any level holds the client secret, a token or a full phone number (client credentials)", async () => {
  const { logger, lines } = recorder();
  const client = newClient({ logger, logLevel: "debug" });
  const { accessToken } = await client.tokens.get();
  const receiver = "http://127.0.0.1:9/fmu";
  // The server echoes what it received, in every part of the call.
  await box.addFault({ path: STATUS, count: 3, ...echo(`client_secret=${CLIENT_SECRET}`, `Bearer ${accessToken}`, "msisdn=32477121212 national=0477121212 shown=+32 477 12 12 12") });
  await assert.rejects(client.fmu.getStatus(NUMBER), (e) => e.code === "unavailable");
  await client.fmu.setStatus("+32 477 12 12 12", "ON_DUTY");
  await box.addFault({ path: STATUS, method: "GET", count: 1, ...echo("msisdn=32477121212,32471121212") });
  await client.fmu.getStatuses(["0477 12 12 12", "0471 12 12 12"], { callbackUrl: receiver });
  await client.fmu.setStatuses(["0477 12 12 12", "0471 12 12 12"], "PRIVATE", { callbackUrl: receiver });
  await client.fmu.setCallbackUrl(receiver);
  await box.addFault({ path: BOOKINGS, method: "POST", count: 1, ...echo("destination=32479123987") });
  await assert.rejects(client.bookings.create({ destination: "0479 12 39 87", usagePlan: "SMALL", callbackUrl: "https://example.com/c" }));
  const booking = await client.bookings.create({ destination: "0479 12 39 87", usagePlan: "SMALL", callbackUrl: "https://example.com/c" });
  await box.addFault({ path: BOOKINGS, status: 401, count: 1 });
  await client.bookings.get(booking.id);
  await client.bookings.update(booking.id, { usagePlan: "MEDIUM" });
  await client.bookings.delete(booking.id);
  await box.addFault({ path: STATUS, latencyMs: 1000, count: 2 });
  await assert.rejects(client.fmu.getStatus(NUMBER, { timeoutMs: 100, maxRetries: 1 }), (e) => e.code === "timeout");
  // A network failure, with the same credentials.
  const offline = new ProximusClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: `http://127.0.0.1:${await closedPort()}`, logger, logLevel: "debug", maxRetries: 1 });
  await assert.rejects(offline.tokens.get(), (e) => e.code === "network");

  for (const level of LEVELS) assert.ok(lines.some((l) => l.level === level), `no ${level} line: the check would see nothing`);
  assert.ok(lines.some((l) => l.line.includes("echo-marker")), "the server's echo reached the log (what is checked)");
  assert.deepEqual(await leaksIn(lines, [CLIENT_SECRET]), []);
});

test("no log line at any level holds the permanent token or a full phone number (permanent token)", async () => {
  const { logger, lines } = recorder();
  const client = new ProximusClient({ accessToken: PERMANENT_TOKEN, baseUrl: box.url, logger, logLevel: "debug" });
  await box.addFault({ path: STATUS, count: 3, ...echo(`Authorization: Bearer ${PERMANENT_TOKEN}`, "msisdn=32477121212") });
  await assert.rejects(client.fmu.getStatus(NUMBER), (e) => e.code === "unavailable");
  await box.addFault({ path: BOOKINGS, status: 401, count: 1, body: JSON.stringify({ message: `token ${PERMANENT_TOKEN} refused` }), contentType: "application/json" });
  await assert.rejects(client.bookings.get("bk_1"), (e) => e.code === "unauthorized");
  assert.ok(lines.some((l) => l.line.includes("echo-marker")), "the server's echo reached the log (what is checked)");
  assert.deepEqual(await leaksIn(lines, [PERMANENT_TOKEN]), []);
});

// normalizeMsisdn reads these forms as the number (index.d.ts names `0477/12.12.12`), so a message
// quoting the server must mask them as it masks `0477 12 12 12`; and a list of numbers separated
// by spaces is as common in a server's message as one separated by commas.
test("a number the server echoes in any form the library reads as a number is masked in the log", async () => {
  const { logger, lines } = recorder();
  const client = newClient({ logger, logLevel: "warn", maxRetries: 0 });
  const forms = ["msisdn 32477121212 32471121212", "+32 477 12 12 12 0471 12 12 12", "0477/12.12.12", "0477.12.12.12", "0477-12-12-12"];
  for (const form of forms) {
    await box.addFault({ path: STATUS, count: 1, ...echo(form) });
    await assert.rejects(client.fmu.getStatus(NUMBER), (e) => e.code === "unavailable");
  }
  assert.equal(lines.length, forms.length);
  assert.deepEqual(await leaksIn(lines, []), []);
});

test("a logger that throws or rejects never breaks a call, nor leaves an unhandled rejection", async () => {
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    let called = 0;
    const logger = {
      debug() { called++; throw new Error("debug broke"); },
      info() { called++; return Promise.reject(new Error("info broke")); },
      warn() { called++; throw "warn broke"; }, // not even an Error
      error: async () => { called++; throw new Error("error broke"); },
    };
    const client = newClient({ logger, logLevel: "debug" });
    await everyKindOfLine(client);
    assert.deepEqual(await client.fmu.getStatus(NUMBER), { msisdn: "32477121212", status: "PRIVATE" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(called > 10, `the logger was called ${called} times`);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("a class-instance logger (methods on its prototype, using this) gets its lines", async () => {
  class Collector {
    constructor() { this.lines = []; }
    debug(line) { this.lines.push(`D ${line}`); }
    info(line) { this.lines.push(`I ${line}`); }
    warn(line) { this.lines.push(`W ${line}`); }
    error(line) { this.lines.push(`E ${line}`); }
  }
  const logger = new Collector();
  await everyKindOfLine(newClient({ logger, logLevel: "info" }));
  assert.deepEqual(logger.lines.map((l) => l[0]), ["I", "W", "I", "I", "W", "E"], logger.lines.join("\n"));
});

test("by default lines go to console at level warn: retries to console.warn, failures to console.error", async () => {
  const seen = [];
  const saved = {};
  for (const m of ["debug", "info", "log", "warn", "error"]) {
    saved[m] = console[m];
    console[m] = (...args) => seen.push({ m, text: args.join(" ") });
  }
  try {
    await everyKindOfLine(newClient());
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(seen.map((s) => s.m), ["warn", "warn", "error"], JSON.stringify(seen));
  assert.match(seen[0].text, /^proximus-api: retry 1 of 2 of GET /);
  assert.match(seen[2].text, /^proximus-api: GET \S+ failed: unavailable/);
});

test("a logger alone logs at warn; a bad logger or logLevel is invalid_argument", async () => {
  const { logger, lines } = recorder();
  await everyKindOfLine(newClient({ logger }));
  assert.deepEqual(lines.map((l) => l.level), ["warn", "warn", "error"]);
  for (const options of [{ logLevel: "verbose" }, { logLevel: "WARN" }, { logLevel: 2 }, { logger: 42 }, { logger: "console" }, { logger: { warn() {} } }]) {
    assert.throws(() => newClient(options), (e) => e instanceof ProximusError && e.code === "invalid_argument" && /^log(ger|Level) must/.test(e.message), JSON.stringify(options));
  }
});
