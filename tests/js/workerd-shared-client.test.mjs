// One client at module scope in workerd, serving concurrent requests: a request that waits for
// another's work (the shared /token request, a place behind the gate) must go on in its own
// context. Woken by the other request's I/O instead, workerd cancelled it as hung ("would never
// generate a response"), or its own request ran in the other's context and died with it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./workerd.mjs";
import { ownSandbox, DEFAULT_CREDENTIALS } from "./helpers.mjs";

const BOOKINGS = "/rentednumbers/1.0.0/bookings";
let mf;

before(async () => {
  mf = await startWorker(new URL("./workerd-shared-client.worker.mjs", import.meta.url), {
    bindings: { CLIENT_ID: DEFAULT_CREDENTIALS.clientId, CLIENT_SECRET: DEFAULT_CREDENTIALS.clientSecret },
  });
});
after(() => mf?.dispose());

async function ask(box, id, extra = "") {
  const response = await mf.dispatchFetch(`http://worker/?box=${encodeURIComponent(box.url)}${extra}&id=${id}`);
  return response.json();
}

test("a request waiting for another's token request gets its answer, even after the other is done", async (t) => {
  const box = await ownSandbox(t);
  await box.addFault({ path: "/token", latencyMs: 300 });
  await box.addFault({ path: `${BOOKINGS}/bk_slow`, latencyMs: 1200 });
  // The first request starts the token request and is answered quickly; the second waits for
  // that token, then for its own slow answer, long after the first request has ended.
  const [fast, slow] = await Promise.all([ask(box, "bk_fast"), ask(box, "bk_slow")]);
  assert.equal(fast.code, "not_found", JSON.stringify(fast));
  assert.equal(slow.code, "not_found", JSON.stringify(slow));
  assert.equal((await box.requests("/token")).length, 1, "one token request for both");
});

test("requests waiting for a place behind the gate get theirs", async (t) => {
  const box = await ownSandbox(t);
  await box.addFault({ path: `${BOOKINGS}/bk_0`, latencyMs: 600 });
  const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(box, `bk_${i}`, "&max=1")));
  for (const answer of answers) assert.equal(answer.code, "not_found", JSON.stringify(answer));
});
