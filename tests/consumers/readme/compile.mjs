// Type-checks a runtime's examples with tsc under the strict options of the typescript consumer
// (../typescript/tsconfig.json), with that runtime's globals, and emits them as ES modules.
import ts from "typescript";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

// The globals each runtime has: Node's (@types/node), a page's (DOM), a Worker's (workers-types).
const GLOBALS = {
  node: { lib: ["lib.es2022.d.ts"], types: ["node"] },
  browser: { lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"], types: [] },
  worker: { lib: ["lib.es2022.d.ts"], types: ["@cloudflare/workers-types"] },
};

/**
 * Writes `examples` (of one runtime) to dist/<runtime>/src/, type-checks them and emits
 * dist/<runtime>/*.js. Returns tsc's diagnostics as text (empty when there are none).
 */
export function compile(runtime, examples) {
  const root = `${here}dist/${runtime}/`;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(`${root}src`, { recursive: true });
  const files = [];
  for (const example of examples.filter((e) => e.name.endsWith(".ts"))) {
    writeFileSync(`${root}src/${example.name}`, example.code);
    files.push(`${root}src/${example.name}`);
  }
  const { config } = ts.readConfigFile(`${here}../typescript/tsconfig.json`, ts.sys.readFile);
  const { options, errors } = ts.convertCompilerOptionsFromJson(config.compilerOptions, here);
  if (errors.length) throw new Error(ts.formatDiagnostics(errors, host));
  const program = ts.createProgram(files, {
    ...options,
    ...GLOBALS[runtime],
    noEmit: false,
    rootDir: `${root}src`,
    outDir: root,
  });
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  return diagnostics.length ? ts.formatDiagnostics(diagnostics, host) : "";
}

const host = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => here,
  getNewLine: () => "\n",
};
