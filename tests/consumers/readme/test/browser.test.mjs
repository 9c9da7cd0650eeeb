// The README's browser example, compiled by tsc --strict (DOM globals) and run in headless
// Chromium as its page says: the page (its <meta> carrying the sandbox's URL, as a server writes
// it), the import map to the installed package, and the backend's token route, which asks the
// sandbox's /token with the credentials and forwards the answer as it is.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { chromium } from "playwright-core";
import { readExamples, expectedOutput, mismatch, shippedReadme } from "../blocks.mjs";
import { compile } from "../compile.mjs";
import { startEnvironment } from "../environment.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const examples = readExamples(shippedReadme()).filter((e) => e.runtime === "browser");
const page = examples.find((e) => e.name === "index.html");
const scripts = examples.filter((e) => e.name.endsWith(".ts"));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

let environment;
let site;
let browser;
const tokenRequests = [];

/** The site: the README's page, its compiled script, the package, and the backend's token route. */
async function serve() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/api/proximus-token" && req.method === "POST") {
      tokenRequests.push(path);
      const { PROXIMUS_CLIENT_ID: id, PROXIMUS_CLIENT_SECRET: secret } = environment.variables;
      const answer = await fetch(`${environment.sandboxUrl}/token`, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: id, client_secret: secret }),
      });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
      return;
    }
    if (path === "/favicon.ico") return void res.writeHead(204).end(); // the browser asks; the README's page has none
    let body;
    if (path === "/") body = page.code.replace('content="http://127.0.0.1:8787"', `content="${environment.sandboxUrl}"`);
    else if (path.startsWith("/node_modules/proximus-api/") && !path.includes("..")) body = await readFile(new URL(`..${path}`, import.meta.url)).catch(() => null);
    else if (/^\/[\w-]+\.js$/.test(path)) body = await readFile(new URL(`../dist/browser${path}`, import.meta.url)).catch(() => null);
    if (body === undefined || body === null) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "text/html" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

before(async () => {
  environment = await startEnvironment();
  site = await serve();
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
  await environment?.close();
});

let compiled = false;
test("the browser example and its page are in the README and type-check under tsc --strict (DOM)", () => {
  assert.ok(page, "no <!-- example: browser, file: index.html --> block");
  assert.ok(scripts.length > 0, "no browser ```ts example");
  assert.match(page.code, /content="http:\/\/127\.0\.0\.1:8787"/, "the page's base URL is no longer the sandbox's: update this test");
  assert.equal(compile("browser", scripts), "");
  compiled = true;
});

for (const script of scripts) {
  test(`README.md:${script.line} ${script.name} runs in Chromium and logs what it says`, async () => {
    assert.ok(compiled, "the example does not compile (see above)");
    await environment.reset();
    const tab = await browser.newPage();
    const logged = [];
    const errors = [];
    tab.on("console", (m) => (m.type() === "log" ? logged : errors).push(m.text()));
    tab.on("pageerror", (e) => errors.push(String(e)));
    tab.on("requestfailed", (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
    tab.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.url()}: HTTP ${r.status()}`); });
    await tab.goto(`${site.url}/`);
    // The page's module (and its top-level await) has finished once importing it again resolves.
    const outcome = await tab.evaluate((src) => import(src).then(() => "done", (e) => `threw: ${e}`), `/${script.name.replace(/\.ts$/, ".js")}`);
    const report = `${outcome}\n--- console.log\n${logged.join("\n")}\n--- errors\n${errors.join("\n")}`;
    assert.equal(outcome, "done", report);
    assert.deepEqual(errors, [], report);
    assert.equal(mismatch(expectedOutput(script.code).stdout, logged), null, report);
    assert.ok(tokenRequests.length >= 1, "the page never asked the backend for a token");
    await tab.close();
  });
}
