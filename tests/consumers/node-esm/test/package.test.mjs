// A Node ESM project: `import … from "proximus-api"` resolves the package's `node` entry from
// node_modules (the packed tarball), then tokens, one FMU call and one booking against the sandbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { ProximusClient, ProximusError, normalizeMsisdn, parseCallEvent } from "proximus-api";
// The simulator is test tooling of the repository, not part of the package.
import { startSandbox, DEFAULT_CREDENTIALS } from "../../../../sandbox/index.js";

let box;
before(async () => { box = await startSandbox({ port: 0 }); });
after(async () => { await box?.close(); });

test("resolves from node_modules through the `node` condition", () => {
  const require = createRequire(import.meta.url);
  const manifest = require("proximus-api/package.json");
  assert.equal(manifest.name, "proximus-api");
  assert.match(import.meta.resolve("proximus-api"), /\/node_modules\/proximus-api\/node\.js$/);
  assert.equal(normalizeMsisdn("+32 477 12 12 12"), "32477121212");
});

test("tokens, one FMU call and one booking against the sandbox", async () => {
  const client = new ProximusClient({ clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret, baseUrl: box.url });
  const token = await client.tokens.get();
  assert.equal(token.tokenType, "Bearer");
  assert.ok(token.expiresAt instanceof Date);

  assert.deepEqual(await client.fmu.getStatus("0477 12 12 12"), { msisdn: "32477121212", status: "PRIVATE" });

  const booking = await client.bookings.create({
    destination: "0477 12 12 12",
    usagePlan: "SMALL",
    callbackUrl: "http://127.0.0.1:9/cb",
  });
  assert.match(booking.id, /^bk_/);
  assert.equal(booking.destination, "32477121212");
  assert.ok(booking.endTime instanceof Date);
  assert.deepEqual(await client.bookings.get(booking.id), booking);
});

test("failures are ProximusErrors with a stable code", async () => {
  const client = new ProximusClient({ clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret, baseUrl: box.url });
  await assert.rejects(client.fmu.getStatus("not a number"), (e) => e instanceof ProximusError && e.code === "invalid_argument");
  assert.throws(() => parseCallEvent("junk"), (e) => e instanceof ProximusError && e.code === "bad_response");
});
