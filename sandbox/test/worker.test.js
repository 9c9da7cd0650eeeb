import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import worker from "../worker.js";

const dir = fileURLToPath(new URL("..", import.meta.url));

test("handler code imports no Node built-ins and no packages (it must run in a Worker)", () => {
  const files = ["handler.js", "worker.js", ...readdirSync(`${dir}/model`).map((f) => `model/${f}`)];
  for (const f of files) {
    const src = readFileSync(`${dir}/${f}`, "utf8");
    for (const [, spec] of src.matchAll(/\bfrom\s+["']([^"']+)["']/g)) {
      assert.ok(spec.startsWith("./") || spec.startsWith("../"), `${f} imports ${spec}`);
    }
    assert.doesNotMatch(src, /\bimport\(|\brequire\(|\bprocess\.|\bBuffer\b/, f);
  }
});

test("the Worker's fetch serves the API and hands callback deliveries to ctx.waitUntil", async () => {
  const waited = [];
  const ctx = { waitUntil: (p) => waited.push(p) };
  const env = {};
  const token = await worker.fetch(new Request("https://sandbox.example/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret",
  }), env, ctx);
  assert.equal(token.status, 200);
  const { access_token } = await token.json();
  const s = await worker.fetch(new Request("https://sandbox.example/fmu/1.0.0/status?msisdn=32477121212", { headers: { authorization: `Bearer ${access_token}` } }), env, ctx);
  assert.deepEqual(await s.json(), { msisdn: "32477121212", isError: false, status: "PRIVATE" });
  // state persists per isolate: the same token works on the next request
  const bulk = await worker.fetch(new Request("https://sandbox.example/fmu/1.0.0/status?msisdn=32477121212,32471121212&callback_url=https://127.0.0.1:1/x",
    { headers: { authorization: `Bearer ${access_token}` } }), env, ctx);
  assert.equal(bulk.status, 202);
  assert.equal(waited.length, 1);
  await worker.fetch(new Request("https://sandbox.example/_sandbox/reset", { method: "POST" }), env, ctx);
});
