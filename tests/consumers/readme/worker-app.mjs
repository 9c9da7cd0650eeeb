// The README's Worker (its wrangler.jsonc and src/index.ts blocks) written out to a folder and
// bundled as `wrangler deploy --dry-run` does: what the worker and isolates tests run.
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { readExamples, shippedReadme } from "./blocks.mjs";

const wrangler = fileURLToPath(new URL("node_modules/.bin/wrangler", import.meta.url));
const examples = readExamples(shippedReadme()).filter((e) => e.runtime === "worker");

/** The blocks: `config` (wrangler.jsonc) and `script` (the .ts), each undefined if missing. */
export const config = examples.find((e) => e.name === "wrangler.jsonc");
export const script = examples.find((e) => e.name.endsWith(".ts"));

/** wrangler.jsonc as data (its // comments dropped: none of its strings holds "//"). */
export const settings = () => JSON.parse(config.code.replace(/^\s*\/\/.*$/gm, ""));

/** Writes the app to dist/<name>/ and bundles it: the path of the bundled script. */
export async function bundle(name) {
  const app = fileURLToPath(new URL(`dist/${name}/`, import.meta.url));
  rmSync(app, { recursive: true, force: true });
  mkdirSync(`${app}src`, { recursive: true });
  writeFileSync(`${app}wrangler.jsonc`, config.code);
  writeFileSync(`${app}${settings().main}`, script.code);
  await promisify(execFile)(wrangler, ["deploy", "--dry-run", "--outdir", "out"], {
    cwd: app,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  }).catch((e) => {
    throw new Error(`wrangler deploy --dry-run failed:\n${e.stdout}\n${e.stderr}`);
  });
  return `${app}out/index.js`;
}
