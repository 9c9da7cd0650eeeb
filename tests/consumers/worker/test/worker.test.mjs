// Runs the Worker that wrangler bundled into dist/ (`npm run build`) in miniflare's workerd, its
// fetch handler calling the sandbox on loopback.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { startSandbox, DEFAULT_CREDENTIALS } from "../../../../sandbox/index.js";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
let box;
let mf;
before(async () => {
  box = await startSandbox({ port: 0 });
  mf = new Miniflare({
    modules: true,
    scriptPath: `${dist}index.js`,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    bindings: {
      PROXIMUS_BASE_URL: box.url,
      PROXIMUS_CLIENT_ID: DEFAULT_CREDENTIALS.clientId,
      PROXIMUS_CLIENT_SECRET: DEFAULT_CREDENTIALS.clientSecret,
    },
  });
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await box?.close();
});

test("wrangler bundled the package's `workerd` entry (the .wasm as a module, no Node or URL loading)", () => {
  const files = readdirSync(dist);
  assert.ok(files.some((f) => f.endsWith("proximus_api_bg.wasm")), `no .wasm module in dist/: ${files}`);
  const bundle = readFileSync(`${dist}index.js`, "utf8");
  assert.match(bundle, /node_modules\/proximus-api\/workerd\.js/);
  assert.doesNotMatch(bundle, /node_modules\/proximus-api\/(node|browser)\.js/);
  assert.doesNotMatch(bundle, /readFileSync|import\.meta\.url/);
});

test("the Worker's fetch handler: tokens, one FMU call and one booking in workerd", async () => {
  const response = await mf.dispatchFetch("http://worker.test/run");
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.deepEqual(body, {
    tokenType: "Bearer",
    expiresAtIsDate: true,
    fmu: { msisdn: "32477121212", status: "PRIVATE" },
    booking: { id: body.booking.id, destination: "32477121212", usagePlan: "SMALL", endTimeIsDate: true },
    masked: "+32 477 •• •• 12",
    invalid: "invalid_argument",
  });
  assert.match(body.booking.id, /^bk_/);
  // The requests really reached the sandbox from workerd.
  const seen = await (await fetch(`${box.url}/_sandbox/requests?path=${encodeURIComponent("/rentednumbers/1.0.0/bookings")}`)).json();
  assert.equal(seen.requests.length, 1);
});
