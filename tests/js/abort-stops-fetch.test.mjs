// An aborted call stops its HTTP request too (the connection is closed at once), instead of
// leaving the fetch to run until its timeout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { loadPackage } from "./helpers.mjs";

const { ProximusClient } = await loadPackage();

test("aborting a call in flight closes its connection", async () => {
  let closedEarly = 0;
  const server = createServer((req, res) => {
    if (req.url === "/token") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "abcdefgh1234", token_type: "Bearer", expires_in: 3600, scope: "x" }));
      return;
    }
    req.on("close", () => { if (!res.writableEnded) closedEarly++; });
    const answer = setTimeout(() => res.end("{}"), 5000); // far later than the abort
    res.on("close", () => clearTimeout(answer));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const client = new ProximusClient({
      clientId: "a", clientSecret: "b", logLevel: "off",
      baseUrl: `http://127.0.0.1:${server.address().port}`,
    });
    const started = Date.now();
    await assert.rejects(client.bookings.get("bk_1", { signal: AbortSignal.timeout(200) }), { code: "aborted" });
    assert.ok(Date.now() - started < 2000, "rejected soon after the abort");
    for (let i = 0; i < 50 && closedEarly === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(closedEarly, 1, "the server saw the request go away before it answered");
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
