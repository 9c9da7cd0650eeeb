// The README's Worker, as its wrangler.jsonc and src/index.ts say: type-checked by tsc --strict
// (workers-types), bundled by `wrangler deploy --dry-run`, and run in miniflare's workerd with
// the KV namespace it binds, its vars pointed at the sandbox and its secrets set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { compile } from "../compile.mjs";
import { startEnvironment } from "../environment.mjs";
import { bundle, config, script, settings } from "../worker-app.mjs";

let scriptPath;
let environment;
let mf;
let kv;
before(async () => { environment = await startEnvironment(); });
after(async () => {
  await mf?.dispose();
  await environment?.close();
});

test("the Worker and its wrangler.jsonc are in the README; it type-checks and wrangler bundles it", async () => {
  assert.ok(config && script, "no <!-- example: worker, file: … --> blocks for wrangler.jsonc and the script");
  assert.equal(compile("worker", [script]), "");
  scriptPath = await bundle("worker-app");
});

test("the Worker in workerd: a temporary number per listing, the token and booking ids in KV, signed call events", async () => {
  assert.ok(scriptPath, "the Worker was not built (see above)");
  const { compatibility_date, kv_namespaces, durable_objects, vars } = settings();
  const { PROXIMUS_BASE_URL, PROXIMUS_CLIENT_ID, PROXIMUS_CLIENT_SECRET, CALLBACK_SECRET } = environment.variables;
  mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: compatibility_date,
    kvNamespaces: kv_namespaces.map((ns) => ns.binding),
    durableObjects: Object.fromEntries(durable_objects.bindings.map((b) => [b.name, b.class_name])),
    // wrangler dev's way: vars (the base URL pointed at the sandbox) and the secrets of .dev.vars.
    bindings: { ...vars, PROXIMUS_BASE_URL, PROXIMUS_CLIENT_ID, PROXIMUS_CLIENT_SECRET, CALLBACK_SECRET },
  });
  kv = await mf.getKVNamespace(kv_namespaces[0].binding);
  await kv.put("seller:42", "0477 12 12 12"); // the listing's data, as the Worker reads it
  const call = async (path, init) => {
    const response = await mf.dispatchFetch(`http://127.0.0.1${path}`, init);
    return { status: response.status, text: await response.text() };
  };

  const first = await call("/listings/42/phone");
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(JSON.parse(first.text), { phone: "+32 78 00 01 00", action: "booked" });
  assert.deepEqual(JSON.parse((await call("/listings/42/phone")).text), { phone: "+32 78 00 01 00", action: "reused" });
  assert.equal((await call("/listings/7/phone")).status, 404);

  // The token and the booking id are in KV, as the README says.
  const token = await kv.get("proximus:token", "json");
  assert.equal(typeof token.accessToken, "string");
  assert.ok(token.expiresAt > Date.now());
  const bookingId = await kv.get("listing:42");
  assert.match(bookingId, /^bk_/);
  const tokens = await (await fetch(`${environment.sandboxUrl}/_sandbox/requests?path=/token`)).json();
  assert.equal(tokens.requests.length, 1, "one /token request for both calls");

  // The platform's call event, POSTed to the signed callback URL the Worker booked with.
  const { bookings } = await (await fetch(`${environment.sandboxUrl}/_sandbox/state`)).json();
  const callbackUrl = bookings.find((b) => b.id === bookingId).callback;
  const event = { id: "cdr_1", timestamp: "2026-11-23T10:00:00Z", duration: 42, source: "32470000001", destination: "32477121212", bookingId };
  assert.equal((await call(new URL(callbackUrl).pathname + new URL(callbackUrl).search, { method: "POST", body: JSON.stringify(event) })).status, 204);
  assert.deepEqual((await kv.list({ prefix: "call:42:" })).keys.map((k) => k.name), [`call:42:${Date.parse(event.timestamp)}`]);
  assert.equal((await call("/proximus/calls", { method: "POST", body: JSON.stringify(event) })).status, 401, "an unsigned event is refused");
});
