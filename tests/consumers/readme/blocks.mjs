// The examples of a README: every fenced block, with the runtime and file name its marker gives
// (`<!-- example: worker -->`, `<!-- example: node, file: client.ts -->` on the line before the
// fence). A ```ts block without a marker is for Node. Other blocks (sh, jsonc, html) are
// examples only when marked with a file name (e.g. the Worker's wrangler.jsonc).
import { readFileSync } from "node:fs";

export const RUNTIMES = ["node", "browser", "worker"];

/** The README as npm ships it: the installed tarball's. */
export const shippedReadme = () => readFileSync(new URL("node_modules/proximus-api/README.md", import.meta.url), "utf8");

export function readBlocks(text) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^```(\w*)\s*$/);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith("```"));
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block is never closed`);
    const marker = (lines[i - 1] ?? "").match(/^<!--\s*example:\s*(\w+)\s*(?:,\s*file:\s*([\w./-]+)\s*)?-->$/);
    blocks.push({
      line: i + 1,
      lang: open[1],
      runtime: marker ? marker[1] : open[1] === "ts" ? "node" : null,
      file: marker?.[2] ?? null,
      code: lines.slice(i + 1, end).join("\n") + "\n",
    });
    i = end;
  }
  return blocks;
}

/** The ```ts examples and the marked files, each named (`example-<line>.ts` unless it has a name). */
export function readExamples(text) {
  return readBlocks(text)
    .filter((b) => b.lang === "ts" || b.file !== null)
    .map((b) => ({ ...b, name: b.file ?? `example-${b.line}.ts` }));
}

/**
 * What an example says it prints, in order: `// prints: TEXT` for a line of standard output (the
 * console in a browser) and `// stderr: TEXT` for standard error. `…` stands for any text.
 */
export function expectedOutput(code) {
  const out = { stdout: [], stderr: [] };
  for (const m of code.matchAll(/\/\/ (prints|stderr): (.*)$/gm)) out[m[1] === "prints" ? "stdout" : "stderr"].push(m[2].trimEnd());
  return out;
}

/** Why `actual` lines do not read as `expected` (with `…` for any text), or null when they do. */
export function mismatch(expected, actual) {
  const pattern = (line) => new RegExp(`^${line.split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    if (expected[i] === undefined) return `line ${i + 1} was not expected: ${JSON.stringify(actual[i])}`;
    if (actual[i] === undefined) return `line ${i + 1} is missing: expected ${JSON.stringify(expected[i])}`;
    if (!pattern(expected[i]).test(actual[i])) return `line ${i + 1}: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(actual[i])}`;
  }
  return null;
}
