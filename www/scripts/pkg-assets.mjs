// Copies the package's browser entry (browser.js) and every file it loads — its relative imports
// and the wasm it fetches with `new URL(…, import.meta.url)` — from the installed proximus-api into
// www/dist-assets/pkg/. wrangler.jsonc serves that folder as static assets, so the page imports
// /pkg/browser.js and the browser fetches /pkg/proximus_api_bg.wasm (application/wasm).
//
// Static assets and not module imports: the Worker already imports that .wasm as a compiled
// module (the package's workerd entry), and wrangler names a module after its content, so the
// same file cannot also be a Data module holding its bytes.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const from = dirname(fileURLToPath(import.meta.resolve("proximus-api/package.json")));
const to = fileURLToPath(new URL("../dist-assets/pkg/", import.meta.url));
const REFERENCE = /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)["'](?:\.\/)?([\w.-]+\.(?:js|wasm))["']/g;

rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
const seen = new Set();
const queue = ["browser.js"];
while (queue.length) {
  const name = queue.shift();
  if (seen.has(name)) continue;
  seen.add(name);
  copyFileSync(join(from, name), join(to, name));
  if (name.endsWith(".js")) for (const [, ref] of readFileSync(join(from, name), "utf8").matchAll(REFERENCE)) queue.push(ref);
}
console.log(`--> www: ${[...seen].join(", ")} → dist-assets/pkg/`);
