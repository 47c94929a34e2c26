// Executes notebooks headlessly, every code cell in order, as CI does instead of Jupyter:
//
//   node notebooks/execute.mjs [notebook.ipynb ...]     (default: every notebooks/*.ipynb)
//
// A notebook's code cells become one ES module: each cell transpiled from TypeScript on its own
// (so a syntax error names its cell), then all joined, each behind a marker comment. The module is
// written as a hidden file in this folder, so that the cells' relative imports (../dist/src/...)
// resolve as they do in Jupyter, and run by a child `node` whose working directory is this folder
// (where Jupyter runs a notebook too). A failure is reported with the cell it came from. Exits 1
// if any notebook failed.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const HERE = dirname(fileURLToPath(import.meta.url));

/** The code cells of a notebook: their source, their place among all cells and among code cells. */
function codeCells(file) {
  const notebook = JSON.parse(readFileSync(file, "utf8"));
  return notebook.cells
    .map((cell, index) => ({ cell, number: index + 1 }))
    .filter(({ cell }) => cell.cell_type === "code")
    .map(({ cell, number }, index) => ({
      number,
      code: index + 1,
      // nbformat stores a cell's source as a string or as a list of lines.
      source: [cell.source].flat().join(""),
    }));
}

/**
 * The module that runs the cells, with the line where each cell's code starts in it, or the
 * syntax errors by cell. verbatimModuleSyntax keeps an import that only a later cell uses.
 */
function transpile(cells) {
  const lines = [];
  const starts = [];
  const errors = [];
  for (const cell of cells) {
    const output = ts.transpileModule(cell.source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      reportDiagnostics: true,
    });
    for (const diagnostic of output.diagnostics ?? []) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      errors.push(`${where(cell)}, line ${line + 1}: ${message}`);
    }
    lines.push(`// --- ${where(cell)} ---`);
    starts.push({ line: lines.length + 1, cell });
    lines.push(...output.outputText.trimEnd().split("\n"));
  }
  return { source: `${lines.join("\n")}\n`, starts, errors };
}

function where(cell) {
  return `cell ${cell.number} (code cell ${cell.code})`;
}

// What is running: cleaned up even when the runner is stopped by a signal.
const current = { script: undefined, child: undefined };
for (const [signal, status] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
])
  process.on(signal, () => {
    current.child?.kill(signal);
    if (current.script !== undefined) rmSync(current.script, { force: true });
    process.exit(status);
  });

/** Runs `script` with node in this folder, streaming its output; resolves to its exit code. */
function runNode(script, onStderr) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script], {
      cwd: HERE,
      env: process.env,
      stdio: ["ignore", "inherit", "pipe"],
    });
    current.child = child;
    child.stderr.on("data", (chunk) => {
      process.stderr.write(chunk);
      onStderr(chunk.toString());
    });
    child.on("error", fail);
    // A child killed by a signal has no code.
    child.on("close", (code) => {
      current.child = undefined;
      done(code ?? 1);
    });
  });
}

/** Executes one notebook; returns whether every cell ran. */
async function execute(file) {
  const shown = basename(file);
  process.stdout.write(`\n== ${shown}\n`);
  let transpiled;
  try {
    transpiled = transpile(codeCells(file));
  } catch (error) {
    process.stderr.write(`${shown}: not a readable notebook: ${String(error)}\n`);
    return false;
  }
  const { source, starts, errors } = transpiled;
  for (const error of errors) process.stderr.write(`${shown}: ${error}\n`);
  if (errors.length > 0) return false;
  const script = join(HERE, `.run-${basename(file, ".ipynb")}-${process.pid}.mjs`);
  current.script = script;
  try {
    writeFileSync(script, source);
    let stderr = "";
    const status = await runNode(script, (text) => (stderr += text));
    if (status === 0) return true;
    // The first place in the module that the error output names (a stack frame, or the line Node
    // shows above a syntax error) is where the notebook's own code failed.
    const url = `${pathToFileURL(script).href}:`;
    const at = stderr.indexOf(url);
    const line = at < 0 ? Number.NaN : parseInt(stderr.slice(at + url.length), 10);
    const cell = starts.findLast((start) => start.line <= line)?.cell;
    process.stderr.write(`${shown} failed${cell === undefined ? "" : ` in ${where(cell)}`}\n`);
    return false;
  } finally {
    rmSync(script, { force: true });
    current.script = undefined;
  }
}

const files =
  process.argv.length > 2
    ? process.argv.slice(2).map((file) => resolve(file))
    : readdirSync(HERE)
        .filter((name) => name.endsWith(".ipynb"))
        .sort()
        .map((name) => join(HERE, name));
const failed = [];
for (const file of files) if (!(await execute(file))) failed.push(basename(file));
if (failed.length > 0) {
  process.stderr.write(`\nnotebooks failed: ${failed.join(", ")}\n`);
  process.exit(1);
}
