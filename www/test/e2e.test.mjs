// The marketplace demo end to end: the sandbox and the bundled Worker in miniflare's workerd
// (startDemo, as `make demo` runs them), the page in headless Chromium. Screenshots of each view
// go to target/demo-screenshots/. Everything started here is stopped in after().
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { signCallbackUrl } from "proximus-api";
import { startDemo } from "../demo.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = fileURLToPath(new URL("../../target/demo-screenshots/", import.meta.url));
/** The sellers' real numbers (seeded in the Worker): national significant numbers. */
const REAL = ["477121212", "471121212", "471121213", "475000001", "475000002", "476123456"];

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
      bodies.push({ url: r.url(), text: await r.text() });
    } catch { /* redirects and aborted requests have no body */ }
  });
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

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
});

test("a simulated buyer's call appears in the listing's call log", async () => {
  await page.click('#listing-bike button.simulate');
  await page.waitForSelector("#listing-bike .call-event", { timeout: 3_000 });
  assert.match(await page.textContent("#listing-bike .call-event"), /called, \d+ s/);
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
  for (const { url, text } of bodies) assertNoRealNumber(text, `the response to ${url}`);
  assert.deepEqual(errors, []);
});
