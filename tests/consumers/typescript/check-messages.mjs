// Compiles messages/*.ts under tsconfig.json's options and checks that tsc reports each mistake
// with the message written above it (`// tsc at WORD: TEXT`), and nothing else: an
// @ts-expect-error only proves that there is an error, not that it helps.
import ts from "typescript";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const { config } = ts.readConfigFile(`${dir}tsconfig.json`, ts.sys.readFile);
const files = readdirSync(`${dir}messages`).filter((f) => f.endsWith(".ts")).map((f) => `${dir}messages/${f}`);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, dir);
const program = ts.createProgram(files, options);

const failures = [];
const found = ts.getPreEmitDiagnostics(program).map((d) => {
  const where = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0) : { line: -1, character: 0 };
  return { file: d.file?.fileName, line: where.line, column: where.character, text: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
});
let expected = 0;
for (const file of files) {
  const lines = program.getSourceFile(file).text.split("\n");
  lines.forEach((line, i) => {
    const m = line.match(/^\s*\/\/ tsc at (\w+): (.+)$/);
    if (!m) return;
    expected++;
    const [, word, text] = m;
    const column = lines[i + 1].indexOf(word);
    const hit = found.findIndex((d) => d.file === file && d.line === i + 1 && d.column === column && d.text.includes(text));
    if (hit < 0) {
      const there = found.filter((d) => d.file === file && d.line === i + 1).map((d) => `col ${d.column + 1}: ${d.text}`);
      failures.push(`${file}:${i + 2}: expected at "${word}": ${text}\n    tsc said: ${there.join("\n    ") || "nothing"}`);
    } else {
      found.splice(hit, 1);
    }
  });
}
for (const d of found) failures.push(`${d.file}:${d.line + 1}:${d.column + 1}: unexpected: ${d.text}`);
if (failures.length) {
  console.error(`tsc's messages are not the expected ones:\n${failures.join("\n")}`);
  process.exit(1);
}
console.log(`    ok: ${expected} mistakes in messages/ get the expected tsc message`);
