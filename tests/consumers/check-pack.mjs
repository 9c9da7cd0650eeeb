// Checks the file list of the packed package (`npm pack --dry-run --json pkg/` output on stdin):
// every `exports` target and every relative import or `new URL("./…", import.meta.url)` of the
// shipped JS must be in the tarball, and so must the licence and the README npm shows.
// Usage: npm pack --dry-run --json ./pkg | node check-pack.mjs pkg
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const [report] = JSON.parse(readFileSync(0, "utf8"));
const files = new Set(report.files.map((f) => f.path));
const missing = [];
const need = (path, why) => {
  const clean = path.replace(/^\.\//, "");
  if (!files.has(clean)) missing.push(`${clean} (${why})`);
};

const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const targets = (value, where) => {
  if (typeof value === "string") need(value, `exports ${where}`);
  else for (const [k, v] of Object.entries(value ?? {})) targets(v, `${where} ${k}`);
};
targets(manifest.exports, "");
if (manifest.types) need(manifest.types, "types");
if (manifest.main) need(manifest.main, "main");
need("LICENSE", `the ${manifest.license} licence text, which the licence requires to ship`);
need("README.md", "what npm shows");

for (const file of files) {
  if (!file.endsWith(".js")) continue;
  const text = readFileSync(join(dir, file), "utf8");
  const specs = [
    ...text.matchAll(/\b(?:import|export)\s[^;]*?\bfrom\s*["'](\.[^"']+)["']/g),
    ...text.matchAll(/\bimport\s*["'](\.[^"']+)["']/g),
    ...text.matchAll(/new URL\(\s*["']([^"':]+)["']\s*,\s*import\.meta\.url\s*\)/g),
  ].map((m) => m[1]);
  for (const spec of specs) need(spec.replace(/^\.\//, ""), `imported by ${file}`);
}

if (missing.length) {
  console.error(`the packed package lacks files its entries need:\n  ${missing.join("\n  ")}\nadd them to "files" in pkg-template/package.json (LICENSE: scripts/build-pkg.sh copies it into pkg/)`);
  process.exit(1);
}
console.log(`    ok: ${files.size} files in ${report.filename} (${report.size} B packed); every export target and relative import, LICENSE and README.md are included`);
