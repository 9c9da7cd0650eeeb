// The marketplace demo end to end: the sandbox and the bundled Worker in miniflare's workerd
// (startDemo, as `make demo` runs them), the page in headless Chromium. Screenshots of each view
// go to target/demo-screenshots/. Everything started here is stopped in after().
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { ProximusClient, formatMsisdn, maskMsisdn, normalizeMsisdn, signCallbackUrl } from "proximus-api";
import { DEFAULT_CREDENTIALS } from "../../sandbox/index.js";
import { startDemo } from "../demo.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = fileURLToPath(new URL("../../target/demo-screenshots/", import.meta.url));
/** The number a seller types into the "List an item" form, and one the package refuses. */
const TYPED = "0470 55 66 77";
const BAD = "0470 55 6";
/** The sellers' real numbers (seeded in the Worker, and TYPED): national significant numbers. */
const REAL = ["477121212", "471121212", "471121213", "475000001", "475000002", "476123456", "470556677"];
const BOOKINGS = "/rentednumbers/1.0.0/bookings";

/** The package's own message for a number it refuses (the same wasm runs in Node and the page). */
function refusal(number) {
  try {
    normalizeMsisdn(number);
  } catch (e) {
    return e.message;
  }
  assert.fail(`${number} was accepted`);
}

let demo;
let browser;
let page;
/** Every response body the browser received. */
const bodies = [];
const errors = [];

/** Fails if a seller's real number appears in `text`, whatever the spacing or separators. */
function assertNoRealNumber(text, where) {
  const squashed = text.replace(/[\s./()+-]|&nbsp;/g, "");
  for (const n of REAL) assert.ok(!squashed.includes(n), `seller's real number ${n} found in ${where}`);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo({ quiet: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", async (r) => {
    try {
      bodies.push({ url: r.url(), type: r.headers()["content-type"], text: await r.text() });
    } catch { /* redirects and aborted requests have no body */ }
  });
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

const sandbox = async (path, init) => (await fetch(`${demo.sandboxUrl}/_sandbox/${path}`, init)).json();
const bookingPosts = async () => (await sandbox(`requests?path=${BOOKINGS}`)).requests.filter((r) => r.method === "POST").length;

test("listings show temporary numbers, never the seller's real one", async () => {
  await page.goto(`${demo.url}/`);
  await page.waitForSelector("#listing-bike .temp-number", { timeout: 20_000 });
  assert.equal(await page.locator("#listings > li").count(), 12);
  const numbers = await page.locator(".temp-number").allTextContents();
  assert.equal(numbers.length, 12);
  for (const n of numbers) assert.match(n, /^\+32 78 \d\d \d\d \d\d$/);
  assertNoRealNumber(await page.content(), "the listings page HTML");
  assertNoRealNumber(await page.locator("body").innerText(), "the listings page text");
  await page.screenshot({ path: `${SHOTS}listings.png`, fullPage: true });
  // Each listing's ensure runs in its own Durable Object: one booking each, however often asked.
  assert.equal(await bookingPosts(), 12);
  await Promise.all([1, 2, 3].map(() => fetch(`${demo.url}/api/listings`)));
  assert.equal(await bookingPosts(), 12);
});

test("a seller lists an item: the package checks the number in the page; the new listing gets a temporary number", async () => {
  const posts = [];
  const onRequest = (r) => { if (r.method() === "POST" && new URL(r.url()).pathname === "/api/listings") posts.push(r.url()); };
  page.on("request", onRequest);
  try {
    // Enabled once sell.js has loaded the package's browser entry (/pkg/browser.js and its wasm).
    await page.waitForSelector('#sell-form button[type="submit"]:not([disabled])', { timeout: 10_000 });
    const served = (name) => bodies.find((b) => new URL(b.url).pathname === `/pkg/${name}`)?.type;
    assert.match(served("browser.js") ?? "none", /^(text|application)\/javascript\b/);
    assert.equal(served("proximus_api_bg.wasm"), "application/wasm");
    await page.fill("#sell-title", "Vintage record player");
    await page.fill("#sell-price", "75");
    await page.fill("#sell-seller", "Greta");
    await page.fill("#sell-phone", BAD);
    assert.equal(await page.textContent("#sell-phone-check"), refusal(BAD));
    assert.equal(await page.getAttribute("#sell-phone", "aria-invalid"), "true");
    await page.click('#sell-form button[type="submit"]');
    await page.waitForTimeout(500);
    assert.deepEqual(posts, [], "a bad number was posted");
    await page.screenshot({ path: `${SHOTS}sell-bad-number.png`, fullPage: true });

    await page.fill("#sell-phone", TYPED);
    const check = await page.textContent("#sell-phone-check");
    assert.ok(check.includes(formatMsisdn(TYPED)) && check.includes(maskMsisdn(TYPED)), check);
    assert.equal(await page.getAttribute("#sell-phone", "aria-invalid"), "false");
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/listings"),
      page.click('#sell-form button[type="submit"]'),
    ]);
    assert.equal(answer.status(), 201);
    const { listing } = await answer.json();
    assert.equal(posts.length, 1);
    await page.waitForSelector(`#listing-${listing.id} .temp-number`, { timeout: 10_000 });
    assert.equal(await page.textContent(`#listing-${listing.id} h3`), "Vintage record player");
    assert.match(await page.textContent(`#listing-${listing.id} .temp-number`), /^\+32 78 \d\d \d\d \d\d$/);
    assert.equal(await page.locator("#listings > li").count(), 13);
    assert.equal(await page.inputValue("#sell-phone"), "", "the form kept the number");
    assertNoRealNumber(await page.content(), "the listings page HTML after listing an item");
    await page.screenshot({ path: `${SHOTS}sell.png`, fullPage: true });
    // Its number works like the others': a buyer's call reaches its call log.
    await page.click(`#listing-${listing.id} button.simulate`);
    await page.waitForSelector(`#listing-${listing.id} .call-event`, { timeout: 5_000 });
  } finally {
    page.off("request", onRequest);
  }
});

test("the Worker checks a new listing again: a bad number is refused with the package's message", async () => {
  const post = (body) => fetch(`${demo.url}/api/listings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const res = await post({ title: "Sneaky lamp", price: 10, seller: "Greta", phone: BAD });
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: refusal(BAD) });
  assert.equal((await post({ title: "", price: 10, seller: "Greta", phone: TYPED })).status, 400);
  assert.equal((await post({ title: "Lamp", price: "ten", seller: "Greta", phone: TYPED })).status, 400);
  const { listings } = await (await fetch(`${demo.url}/api/listings`)).json();
  assert.ok(!listings.some((l) => l.title === "Sneaky lamp" || l.title === "Lamp"), "a refused listing was stored");
});

test("a simulated buyer's call appears in the listing's call log", async () => {
  await page.click('#listing-bike button.simulate');
  // Shown once the platform's own call record (GET /cdr/{id}) confirmed the event.
  await page.waitForSelector("#listing-bike .call-event", { timeout: 3_000 });
  assert.match(await page.textContent("#listing-bike .call-event"), /called, \d+ s\s*confirmed$/);
  assert.equal(await page.locator("#listing-bike .call-event.confirmed").count(), 1);
  await page.screenshot({ path: `${SHOTS}listings-call.png`, fullPage: true });
});

test("forged callbacks are refused (401) and shown nowhere", async () => {
  const body = JSON.stringify({ id: "cdr_forged", timestamp: new Date().toISOString(), duration: 999, source: "32470000999", destination: "32477121212", bookingId: "bk_x" });
  const unsigned = await fetch(`${demo.url}/callbacks/calls?context=bike`, { method: "POST", body });
  assert.equal(unsigned.status, 401);
  const wrongKey = signCallbackUrl(`${demo.url}/callbacks/calls`, "not-the-worker-secret-0123456789", { context: "bike" });
  assert.equal((await fetch(wrongKey, { method: "POST", body })).status, 401);
  const fmuForged = signCallbackUrl(`${demo.url}/callbacks/fmu`, "not-the-worker-secret-0123456789", { context: "team" });
  assert.equal((await fetch(fmuForged, { method: "POST", body: "{}" })).status, 401);
  await page.waitForTimeout(1_500); // two polls
  assert.equal(await page.locator("#listing-bike .call-event").count(), 1);
  assert.doesNotMatch(await page.locator("body").innerText(), /999 s/);
});

test("a valid signed URL proves nothing: a made-up call or a wrong duration is refused (403) and shown nowhere", async () => {
  const signed = signCallbackUrl(`${demo.url}/callbacks/calls`, demo.callbackSecret, { context: "bike" });
  const post = (event) => fetch(signed, { method: "POST", body: JSON.stringify(event) });
  // The bike's genuine call, as the platform sent it (its record and booking in the sandbox's state).
  const { calls } = await (await fetch(`${demo.url}/api/calls`)).json();
  const state = await (await fetch(`${demo.sandboxUrl}/_sandbox/state`)).json();
  const cdr = state.cdrs.find((c) => c.id === calls.bike[0].id);
  const booking = state.bookings.find((b) => b.service === cdr.service && b.deletedAt == null);
  const genuine = { id: cdr.id, timestamp: cdr.timestamp, duration: cdr.duration, source: cdr.source, destination: booking.destination, bookingId: booking.id };
  assert.equal((await post({ ...genuine, id: "cdr_0123456789ab" })).status, 403, "a made-up call id");
  assert.equal((await post({ ...genuine, duration: cdr.duration + 600 })).status, 403, "a wrong duration");
  assert.equal((await post(genuine)).status, 204, "the genuine event, sent again: confirmed, stored once");
  await page.waitForTimeout(1_500); // two polls
  assert.equal(await page.locator("#listing-bike .call-event").count(), 1);
  assert.doesNotMatch(await page.locator("body").innerText(), new RegExp(`${cdr.duration + 600} s`));
  const after = (await (await fetch(`${demo.url}/api/calls`)).json()).calls;
  assert.deepEqual(Object.values(after).flat().filter((c) => c.id === "cdr_0123456789ab"), []);
});

test("a call to an expired number has no record to check: kept, shown as unconfirmed", async () => {
  const signed = signCallbackUrl(`${demo.url}/callbacks/calls`, demo.callbackSecret, { context: "lamp" });
  const expired = { timestamp: new Date().toISOString(), source: "32470000777", destination: "32477121212", bookingId: "bk_000000000001", message: "The number has expired" };
  assert.equal((await fetch(signed, { method: "POST", body: JSON.stringify(expired) })).status, 204);
  await page.waitForSelector("#listing-lamp .call-event.unconfirmed", { timeout: 3_000 });
  assert.match(await page.textContent("#listing-lamp .call-event"), /called after the number expired\s*unconfirmed$/);
});

test("the seller view masks the number; top up adds calls; stop makes the number disappear", async () => {
  await page.click("#tab-seller");
  await page.waitForSelector("#seller-bike .masked", { timeout: 10_000 });
  assert.equal(await page.textContent("#seller-bike .masked"), "+32 477 •• •• 12");
  const temp = await page.textContent("#seller-bike .booking-number");
  assert.match(temp, /^\+32 78 /);
  assert.match(await page.textContent("#seller-bike .calls"), /called, \d+ s/);
  // The platform's own records (cdrs.list), matched on the temporary number, count that call too.
  assert.match(await page.textContent("#seller-bike .records"), /Platform call records \(cdrs\): [1-9]\d* calls?, \d+ s in all\./);
  const before = Number(await page.textContent("#seller-bike .calls-left"));
  await page.click("#seller-bike button.top-up");
  await page.waitForFunction((n) => Number(document.querySelector("#seller-bike .calls-left")?.textContent) > n, before, { timeout: 5_000 });
  await page.screenshot({ path: `${SHOTS}seller.png`, fullPage: true });
  await page.click("#seller-bike button.stop");
  await page.waitForSelector("#seller-bike .no-booking", { timeout: 5_000 });
  assert.equal(await page.locator("#seller-bike .booking-number").count(), 0);
  assert.ok(!(await page.locator("#view-seller").innerText()).includes(temp), "the stopped number is still shown");
  assertNoRealNumber(await page.content(), "the seller view HTML");
  await page.screenshot({ path: `${SHOTS}seller-stopped.png`, fullPage: true });
  // The listing no longer offers it either.
  await page.click("#tab-listings");
  await page.waitForSelector("#listing-bike .stopped", { timeout: 10_000 });
  assert.equal(await page.locator("#listing-bike .temp-number").count(), 0);
});

test("the FMU board switches the whole team of 60; the progress bar reaches 100 %", async () => {
  await page.click("#tab-team");
  // First the statuses read at load (getStatuses, results via the FMU callback): 60 PRIVATE.
  await page.waitForFunction(() => document.querySelectorAll("#team .badge.PRIVATE").length === 60, null, { timeout: 10_000 });
  await page.waitForFunction(() => !document.querySelector('.switches button[data-status="PROFESSIONAL"]').disabled, null, { timeout: 10_000 });
  await page.click('.switches button[data-status="PROFESSIONAL"]');
  await page.waitForFunction(() => document.querySelector("#team-progress").value === 100, null, { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelectorAll("#team .badge.PROFESSIONAL").length === 60, null, { timeout: 15_000 });
  assert.match(await page.textContent("#team-progress-text"), /60 of 60 numbers \(100 %\)/);
  await page.screenshot({ path: `${SHOTS}team.png`, fullPage: true });
});

test("one token for every request so far: one client per isolate, its token kept in KV", async () => {
  const { requests } = await (await fetch(`${demo.sandboxUrl}/_sandbox/requests?path=/token`)).json();
  assert.equal(requests.filter((r) => r.method === "POST").length, 1);
});

/** Clicks "Clean up orphans now": the Worker's report. */
async function cleanUpNow() {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/cleanup", { timeout: 10_000 }),
    page.click("#cleanup"),
  ]);
  await page.waitForSelector("#cleanup:not([disabled])");
  return (await response.json()).report;
}

/** The temporary numbers the listings page shows, by listing. */
async function shownNumbers() {
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/api/listings", { timeout: 10_000 }),
    page.click("#tab-listings"),
  ]);
  await page.waitForSelector("#listing-sofa .temp-number", { timeout: 10_000 });
  const cards = await page.locator("#listings > li").evaluateAll((lis) =>
    lis.map((li) => [li.id, li.querySelector(".temp-number")?.textContent ?? null]));
  return Object.fromEntries(cards);
}

test("the clean-up button: nothing in use is deleted; an orphan is, once an hour old", async () => {
  const numbers = await shownNumbers();
  assert.equal(Object.values(numbers).filter(Boolean).length, 12, "13 listings, the bike's number stopped");
  await page.click("#tab-seller");
  await page.waitForSelector("#cleanup-report:not(:empty)", { timeout: 10_000 });
  const first = await cleanUpNow();
  assert.deepEqual([first.checked, first.referenced, first.waiting, first.deleted, first.failed], [12, 12, 0, 0, 0]);
  assert.match(await page.textContent("#cleanup-report"), /^Checked 12 bookings: 12 in use, 0 orphans waiting out the grace hour, 0 deleted\. Run /);

  // A real orphan: booked on the account, and no listing refers to it.
  const { clientId, clientSecret } = DEFAULT_CREDENTIALS;
  const orphan = await new ProximusClient({ baseUrl: demo.sandboxUrl, clientId, clientSecret })
    .bookings.create({ destination: "0470 00 00 01", usagePlan: "SMALL", callbackUrl: "https://example.com/calls" });
  assert.match(await page.textContent("#cleanup-report"), /0 deleted/);
  await cleanUpNow();
  assert.match(await page.textContent("#cleanup-report"), /^Checked 13 bookings: 12 in use, 1 orphan waiting out the grace hour, 0 deleted\./);

  await sandbox("clock", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceSeconds: 7200 }) });
  const last = await cleanUpNow();
  assert.deepEqual(last.deletedIds, [orphan.id]);
  assert.match(await page.textContent("#cleanup-report"), /^Checked 13 bookings: 12 in use, 0 orphans waiting out the grace hour, 1 deleted\./);
  await page.screenshot({ path: `${SHOTS}cleanup.png`, fullPage: true });
  const { bookings } = await sandbox("state");
  assert.ok(bookings.find((b) => b.id === orphan.id).deletedAt, "the orphan is deleted on the platform");
  assert.equal(bookings.filter((b) => b.deletedAt == null).length, 12);
  assert.deepEqual(await shownNumbers(), numbers, "every listing still shows its number");
  assert.equal(await bookingPosts(), 13 + 1, "one booking per listing, and the orphan");
  // The last report, as the page shows it on the next visit.
  assert.deepEqual((await (await fetch(`${demo.url}/api/cleanup`)).json()).report, last);
});

test("a rate-limited platform is told as a sentence, in an alert", async () => {
  const admin = (path, init) => fetch(`${demo.sandboxUrl}/_sandbox/${path}`, { headers: { "content-type": "application/json" }, ...init });
  // The listings reload in full first (their bookings.ensure calls must not meet the fault).
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/api/listings", { timeout: 10_000 }),
    page.click("#tab-listings"),
  ]);
  await page.waitForSelector("#listing-sofa .temp-number", { timeout: 10_000 });
  const fault = await admin("faults", { method: "POST", body: JSON.stringify({ path: "/rentednumbers/1.0.0/bookings", status: 429, retryAfter: 1, count: 100 }) });
  assert.equal(fault.status, 201);
  try {
    await page.click("#listing-sofa button.simulate");
    await page.waitForSelector("#error:not([hidden])", { timeout: 10_000 });
    assert.match(await page.textContent("#error"), /^Too many requests to the Proximus platform: try again in \d+ s\.$/);
    assert.equal(await page.getAttribute("#error", "role"), "alert");
    await page.screenshot({ path: `${SHOTS}error-rate-limited.png` });
  } finally {
    await admin("faults", { method: "DELETE" });
  }
});

test("a platform that is down is told as a sentence (sandbox stopped)", async () => {
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/api/listings", { timeout: 10_000 }),
    page.click("#tab-listings"),
  ]);
  await page.waitForSelector("#listing-guitar .temp-number", { timeout: 10_000 });
  await page.evaluate(() => { document.querySelector("#error").hidden = true; });
  await demo.stopSandbox();
  await page.click("#listing-guitar button.simulate");
  await page.waitForSelector("#error:not([hidden])", { timeout: 15_000 });
  assert.match(await page.textContent("#error"), /cannot be reached right now \(is the sandbox running\?\)/);
  await page.screenshot({ path: `${SHOTS}error-sandbox-down.png` });
});

test("nothing the browser received holds a seller's real number; no page errors", () => {
  assert.ok(bodies.length > 10, `only ${bodies.length} responses recorded`);
  for (const { url, text } of bodies) {
    // The package's own files, as published (its doc comments use 0477 12 12 12 as an example).
    if (new URL(url).pathname.startsWith("/pkg/")) continue;
    assertNoRealNumber(text, `the response to ${url}`);
  }
  assert.deepEqual(errors, []);
});
