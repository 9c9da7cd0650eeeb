// The README's Worker recipe (its wrangler.jsonc and src/index.ts, as written) in miniflare's
// workerd as two Worker scripts, two isolates, sharing one KV namespace and the Durable Object
// class of the first: `ensure` books once per key however many isolates ask, through 429s, 503s
// and lost answers, and the Cron Trigger's clean-up deletes orphans and nothing else.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { ProximusClient } from "proximus-api";
import { startEnvironment } from "../environment.mjs";
import { bundle, settings } from "../worker-app.mjs";

const BOOKINGS = "/rentednumbers/1.0.0/bookings";

let environment;
let mf;
let kv;
/** The two isolates. */
let workers;

before(async () => {
  environment = await startEnvironment();
  const scriptPath = await bundle("isolates-app");
  const { compatibility_date, kv_namespaces, durable_objects, vars } = settings();
  const { PROXIMUS_BASE_URL, PROXIMUS_CLIENT_ID, PROXIMUS_CLIENT_SECRET, CALLBACK_SECRET } = environment.variables;
  const [objects] = durable_objects.bindings;
  const worker = (name, durableObject) => ({
    name,
    modules: true,
    scriptPath,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: compatibility_date,
    // One namespace for both scripts, as in production.
    kvNamespaces: { [kv_namespaces[0].binding]: "shared-kv" },
    durableObjects: { [objects.name]: durableObject },
    bindings: { ...vars, PROXIMUS_BASE_URL, PROXIMUS_CLIENT_ID, PROXIMUS_CLIENT_SECRET, CALLBACK_SECRET },
  });
  mf = new Miniflare({
    workers: [
      worker("a", objects.class_name),
      worker("b", { className: objects.class_name, scriptName: "a" }),
    ],
  });
  await mf.ready;
  workers = [await mf.getWorker("a"), await mf.getWorker("b")];
  kv = await mf.getKVNamespace(kv_namespaces[0].binding, "a");
});

after(async () => {
  await mf?.dispose();
  await environment?.close();
});

beforeEach(() => environment.reset());

const sandbox = async (path, init) => (await fetch(`${environment.sandboxUrl}${path}`, init)).json();
const posts = async () => (await sandbox(`/_sandbox/requests?path=${BOOKINGS}`)).requests.filter((r) => r.method === "POST").length;
/** The bookings the platform holds (deleted ones stay in its state, marked). */
const bookingsHeld = async () => (await sandbox("/_sandbox/state")).bookings.filter((b) => b.deletedAt == null);
const fault = (body) => sandbox("/_sandbox/faults", { method: "POST", body: JSON.stringify({ path: BOOKINGS, method: "POST", ...body }) });

/** GET /listings/{id}/phone through isolate `i`: { status, body }. */
async function phone(listing, i) {
  const response = await workers[i % 2].fetch(`http://127.0.0.1/listings/${listing}/phone`);
  const text = await response.text();
  return { status: response.status, body: response.ok ? JSON.parse(text) : text };
}

/** As a browser would: asked again after "try again" (503), a few times. */
async function phoneUntilAnswered(listing, i) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const answer = await phone(listing, i + attempt);
    if (answer.status !== 503) return answer;
  }
  throw new Error(`listing ${listing}: still "try again" after 10 asks`);
}

async function listings(n) {
  const ids = Array.from({ length: n }, (_, i) => `L${i}`);
  for (const [i, id] of ids.entries()) await kv.put(`seller:${id}`, `0477 12 ${String(i).padStart(2, "0")} 00`);
  return ids;
}

test("10 listings × 20 concurrent asks from two isolates: exactly 10 bookings, one number per listing", async () => {
  const ids = await listings(10);
  const asks = ids.flatMap((id) => Array.from({ length: 20 }, (_, i) => phone(id, i).then((answer) => ({ id, answer }))));
  const answers = await Promise.all(asks);
  const numbers = new Map();
  for (const { id, answer } of answers) {
    assert.equal(answer.status, 200, `${id}: ${answer.body}`);
    if (!numbers.has(id)) numbers.set(id, answer.body.phone);
    assert.equal(answer.body.phone, numbers.get(id), `${id}: every caller gets the same number`);
  }
  assert.equal(new Set(numbers.values()).size, 10, "one number per listing");
  assert.equal(await posts(), 10, "exactly 10 POST /bookings in the sandbox's log");
  assert.equal((await bookingsHeld()).length, 10);
  for (const id of ids) assert.match(await kv.get(`listing:${id}`), /^bk_/);
});

test("with 429s and 503s along the way, still one booking per listing", async () => {
  const ids = await listings(10);
  await fault({ status: 429, retryAfter: 0, count: 4 });
  await fault({ status: 503, count: 3 });
  const answers = await Promise.all(ids.flatMap((id) => Array.from({ length: 6 }, (_, i) => phoneUntilAnswered(id, i).then((a) => ({ id, a })))));
  const numbers = new Map();
  for (const { id, a } of answers) {
    assert.equal(a.status, 200, `${id}: ${a.body}`);
    assert.equal(a.body.phone, numbers.get(id) ?? (numbers.set(id, a.body.phone), a.body.phone));
  }
  assert.equal((await bookingsHeld()).length, 10, "exactly 10 bookings made");
  assert.equal(await posts(), 10 + 4 + 3, "10 that booked, and the 7 the faults refused before booking");
  assert.equal((await sandbox("/_sandbox/faults")).faults.length, 0, "every fault was hit");
});

test("a lost booking answer, then the same listing again: its booking is adopted, no second POST", async () => {
  const [id] = await listings(1);
  await fault({ drop: "after" });
  const lost = await phone(id, 0);
  assert.equal(lost.status, 503, "the README's Worker says: try again");
  const [made] = await bookingsHeld();
  assert.ok(made, "the platform did book");
  assert.match(await kv.get(`listing:${id}`), /unconfirmedBooking/, "the attempt is recorded for the key");

  const again = await phone(id, 1); // the other isolate: the same object
  assert.equal(again.status, 200, again.body);
  assert.equal(again.body.action, "adopted");
  assert.equal(again.body.phone.replace(/\D/g, ""), made.service);
  assert.equal(await posts(), 1, "no second POST /bookings");
  assert.equal(await kv.get(`listing:${id}`), made.id);
  assert.equal((await phone(id, 0)).body.action, "reused");
});

test("the Cron Trigger's clean-up deletes an orphan after its grace time, and nothing else", async () => {
  const ids = await listings(3);
  for (const id of ids) assert.equal((await phone(id, 0)).status, 200);
  // A real orphan: booked, and no key refers to it (as when a process died before storing it).
  const { PROXIMUS_BASE_URL: baseUrl, PROXIMUS_CLIENT_ID: clientId, PROXIMUS_CLIENT_SECRET: clientSecret } = environment.variables;
  const orphan = await new ProximusClient({ baseUrl, clientId, clientSecret })
    .bookings.create({ destination: "0477 12 00 00", usagePlan: "SMALL", callbackUrl: "https://example.com/calls" });
  const kept = (await bookingsHeld()).map((b) => b.id).filter((b) => b !== orphan.id);
  assert.equal(kept.length, 3);

  const cron = settings().triggers.crons[0];
  await workers[0].scheduled({ cron });
  assert.equal((await bookingsHeld()).length, 4, "within its grace time (an hour), the orphan is kept");

  await sandbox("/_sandbox/clock", { method: "POST", body: JSON.stringify({ advanceSeconds: 2 * 3600 }) });
  await workers[1].scheduled({ cron });
  const left = (await bookingsHeld()).map((b) => b.id);
  assert.deepEqual(left.sort(), kept.sort(), "the orphan is deleted, every booking a key refers to kept");
  const deletes = (await sandbox(`/_sandbox/requests?path=${BOOKINGS}`)).requests.filter((r) => r.method === "DELETE");
  assert.deepEqual(deletes.map((r) => r.path), [`${BOOKINGS}/${orphan.id}`]);
  for (const id of ids) assert.equal((await phone(id, 1)).body.action, "reused");
});

test("keys are independent: a slow key does not hold up another", async () => {
  const [slow, quick] = await listings(2);
  for (const id of [slow, quick]) assert.equal((await phone(id, 0)).status, 200);
  const slowId = await kv.get(`listing:${slow}`);
  await sandbox("/_sandbox/faults", { method: "POST", body: JSON.stringify({ path: `${BOOKINGS}/${slowId}`, method: "GET", latencyMs: 3000 }) });
  const started = Date.now();
  const slowAsk = phone(slow, 0).then(() => Date.now() - started);
  const quickMs = await phone(quick, 1).then(() => Date.now() - started);
  assert.ok(quickMs < 2000, `the quick key took ${quickMs} ms behind the slow one`);
  assert.ok((await slowAsk) >= 3000, "the slow key was slow");
});
