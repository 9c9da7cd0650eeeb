// A Worker module of this repository run unbundled in miniflare's workerd, its imports (the
// package's `workerd` entry, the .wasm as a compiled module) resolved from the repository root.
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Starts `scriptUrl` (a file URL) in workerd; `options` adds Miniflare options (bindings…). */
export async function startWorker(scriptUrl, options = {}) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: fileURLToPath(scriptUrl),
    modulesRoot: root,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
    ...options,
  });
  await mf.ready;
  return mf;
}
