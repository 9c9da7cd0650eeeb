// Serves the production build (dist/, from `npm run build`) on 127.0.0.1:0 and opens it in
// headless Chromium: the page calls the sandbox (CORS) and writes what it got into the DOM.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startSandbox } from "../../../../sandbox/index.js";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** A minimal static server for dist/ (what any static host does). */
async function serveDist() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dist, path.endsWith("/") ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

let box;
let site;
let browser;
before(async () => {
  box = await startSandbox({ port: 0 });
  site = await serveDist();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});
after(async () => {
  await browser?.close();
  await site?.close();
  await box?.close();
});

test("the Vite production build: tokens, one FMU call and one booking from the page", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const wasmRequests = [];
  page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasmRequests.push(r.url()); });

  await page.goto(`${site.url}/?sandbox=${encodeURIComponent(box.url)}`);
  await page.waitForFunction(() => document.getElementById("status")?.textContent !== "loading", null, { timeout: 20_000 });
  const status = await page.textContent("#status");
  const text = await page.textContent("#result");
  assert.equal(status, "done", `${text}\n${errors.join("\n")}`);
  const body = JSON.parse(text);
  assert.deepEqual(body, {
    tokenType: "Bearer",
    expiresAtIsDate: true,
    fmu: { msisdn: "32477121212", status: "PRIVATE" },
    booking: { id: body.booking.id, destination: "32477121212", usagePlan: "SMALL", endTimeIsDate: true },
    formatted: "+32 477 12 12 12",
    invalid: "invalid_argument",
  });
  assert.match(body.booking.id, /^bk_/);
  assert.deepEqual(errors, []);
  // The wasm Vite emitted as a hashed asset, fetched once by the `browser` entry.
  assert.equal(wasmRequests.length, 1, wasmRequests.join(", "));
  assert.match(wasmRequests[0], /\/assets\/proximus_api_bg-[\w-]+\.wasm$/);
  await page.close();
});
