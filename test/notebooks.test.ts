import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The compiled CLI and the project code the notebooks import (`npm test` builds them first).
const CLI = "dist/src/cli/main.js";
const RUNNER = "notebooks/execute.mjs";

// The charts each notebook writes, as FIGURES/<notebook>-<chart>.{vl.json,svg}.
const CHARTS: Readonly<Record<string, readonly string[]>> = {
  "checkpoint-period": ["waste"],
  "consolidation-vmplaces": ["violation", "active-hosts"],
  "energy-planetlab": ["energy-slav", "esv"],
  "grid5000-week": ["lost-work", "overhead"],
  "managers-vmplaces": ["violation", "reaction", "migrations"],
  "planetlab-day": ["energy-violations", "active-hosts"],
  "replicated-services": ["availability", "price"],
  "sky-site-outage": ["lost-work", "completion"],
};

/**
 * Jupyter (Debian's jupyter-nbconvert brings jupyter_client) with Deno's kernel (the npm package
 * deno): where both are here, each notebook also runs under them and must show its charts inline.
 * .ci/run installs them: in CI this never skips.
 */
const DENO = resolve("node_modules/.bin/deno");
const JUPYTER =
  spawnSync("/usr/bin/python3", ["-c", "import jupyter_client"], { encoding: "utf8" }).status === 0;
const UNDER_JUPYTER = (JUPYTER && existsSync(DENO)) || process.env["CI"] === "true";

/** A Jupyter data folder whose only kernel is Deno's (what `deno jupyter --install` writes). */
function denoKernel(): string {
  const folder = join(TMP, "jupyter");
  mkdirSync(join(folder, "kernels", "deno"), { recursive: true });
  const argv = [DENO, "jupyter", "--kernel", "--conn", "{connection_file}"];
  writeFileSync(
    join(folder, "kernels", "deno", "kernel.json"),
    JSON.stringify({ argv, display_name: "Deno", language: "typescript" }),
  );
  return folder;
}

/** Debian's python3, whose jupyter_client comes with jupyter-nbconvert. */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/**
 * The SVGs a notebook shows inline when its cells run in Deno's kernel (test/jupyter-cells.py
 * runs them as a frontend does, in the notebook's folder).
 */
function svgsShownUnderJupyter(name: string, env: Record<string, string>): number {
  const run = spawnSync(PYTHON, [resolve("test/jupyter-cells.py"), "deno", `${name}.ipynb`], {
    cwd: "notebooks",
    encoding: "utf8",
    env: { ...process.env, ...env, JUPYTER_PATH: denoKernel() },
    maxBuffer: 256 * 2 ** 20,
  });
  if (run.status !== 0) throw new Error(`${name} under Jupyter: ${run.stderr}`);
  const shown = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "[]") as [
    number,
    Record<string, string>,
  ][];
  return shown
    .map(([, bundle]) => `${bundle["image/svg+xml"] ?? ""}${bundle["text/html"] ?? ""}`)
    .reduce((count, html) => count + (html.match(/<svg/g)?.length ?? 0), 0);
}

// Every folder the tests write, removed at the end.
const TMP = mkdtempSync(join(tmpdir(), "skysim-notebooks-"));
afterAll(() => {
  rmSync(TMP, { recursive: true, force: true });
});

function node(args: string[], env: Record<string, string> = {}) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const result = spawnSync(process.execPath, args, {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  const { pid, status, stdout, stderr } = result;
  return { pid, status, stdout, stderr };
}

/** The modules a runner of process `pid` left in the notebooks folder (it must remove them). */
function leftovers(pid: number): string[] {
  return readdirSync("notebooks").filter((name) => name.endsWith(`-${pid}.mjs`));
}

/** A notebook file (nbformat 4) of the cells given, in a folder of its own. */
function notebook(cells: { cell_type: "code" | "markdown"; source: string }[]): string {
  const file = join(mkdtempSync(join(TMP, "notebook-")), "test.ipynb");
  const full = cells.map((cell) => ({ ...cell, metadata: {}, outputs: [], execution_count: null }));
  writeFileSync(
    file,
    JSON.stringify({ cells: full, metadata: {}, nbformat: 4, nbformat_minor: 4 }),
  );
  return file;
}

const notebooks = readdirSync("notebooks")
  .filter((name) => name.endsWith(".ipynb"))
  .map((name) => name.slice(0, -".ipynb".length));
// Notebooks with a CI-sized experiment run it; the others cannot be checked here.
const withCiScenario = notebooks.filter((name) => existsSync(`scenarios/${name}.ci.yaml`));

describe("notebooks", () => {
  it("are Deno TypeScript notebooks", () => {
    expect(withCiScenario).toEqual(expect.arrayContaining(Object.keys(CHARTS)));
    for (const name of notebooks) {
      const file = JSON.parse(readFileSync(`notebooks/${name}.ipynb`, "utf8")) as unknown;
      expect(file).toMatchObject({
        nbformat: 4,
        metadata: { kernelspec: { name: "deno" }, language_info: { name: "typescript" } },
      });
    }
  });

  it.each(withCiScenario)("%s runs every cell on its CI sweep and writes its charts", (name) => {
    const results = join(TMP, name);
    mkdirSync(results);
    const out = join(results, `${name}-ci`);
    const sweep = node([CLI, "sweep", `scenarios/${name}.ci.yaml`, "--out", out]);
    expect(sweep.status, sweep.stderr).toBe(0);
    const figures = join(results, "figures");
    const run = node([RUNNER, `notebooks/${name}.ipynb`], {
      SKYSIM_CI: "1",
      SKYSIM_RESULTS: results,
      SKYSIM_FIGURES: figures,
    });
    expect(run.status, run.stderr).toBe(0);
    const charts = CHARTS[name] ?? [];
    expect(charts.length, `CHARTS lacks ${name}`).toBeGreaterThan(0);
    for (const chart of charts) {
      const file = join(figures, `${name}-${chart}`);
      expect(readFileSync(`${file}.svg`, "utf8")).toMatch(/^<svg/);
      const spec = JSON.parse(readFileSync(`${file}.vl.json`, "utf8")) as { $schema?: string };
      expect(spec.$schema).toMatch(/^https:\/\/vega\.github\.io\/schema\/vega-lite\//);
    }
    expect(leftovers(run.pid)).toEqual([]);
    if (!UNDER_JUPYTER) return;
    // The same notebook under Jupyter with Deno's kernel (run in its folder too) shows every
    // chart inline.
    const env = { SKYSIM_CI: "1", SKYSIM_RESULTS: results, SKYSIM_FIGURES: figures };
    expect(svgsShownUnderJupyter(name, env)).toBe(charts.length);
  });

  it("says which command makes missing results, and in which cell it stopped", () => {
    // Relative to the notebooks folder, as SKYSIM_RESULTS is; shown from the repository root.
    const run = node([RUNNER, "notebooks/checkpoint-period.ipynb"], {
      SKYSIM_CI: "1",
      SKYSIM_RESULTS: "../results/no-such-folder",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "npx skysim sweep scenarios/checkpoint-period.ci.yaml --out results/no-such-folder/checkpoint-period-ci",
    );
    const cells = (
      JSON.parse(readFileSync("notebooks/checkpoint-period.ipynb", "utf8")) as {
        cells: { cell_type: string; source: string[] }[];
      }
    ).cells;
    // The cell that opens the experiment (src/sweep/experiment-results.ts throws there).
    const cell =
      cells.findIndex(
        (c) => c.cell_type === "code" && c.source.join("").includes("openExperiment("),
      ) + 1;
    expect(run.stderr).toMatch(new RegExp(`checkpoint-period\\.ipynb failed in cell ${cell} `));
    expect(leftovers(run.pid)).toEqual([]);
  });

  it("reports the cell of a syntax error and of a runtime error, and runs every notebook", () => {
    const syntax = notebook([{ cell_type: "code", source: "const x: number = ;" }]);
    const runtime = notebook([
      { cell_type: "markdown", source: "# A notebook" },
      {
        cell_type: "code",
        source: 'import { join, resolve } from "node:path";\nconst a: number = 1;',
      },
      { cell_type: "code", source: "console.log(join('a', 'b'), a);\n\nnull.boom;" },
    ]);
    const run = node([RUNNER, syntax, runtime]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/test\.ipynb: cell 1 \(code cell 1\), line 1: Expression expected/);
    expect(run.stdout).toContain("a/b 1");
    expect(run.stderr).toMatch(/TypeError: Cannot read properties of null/);
    expect(run.stderr).toContain("test.ipynb failed in cell 3 (code cell 2)");
    expect(leftovers(run.pid)).toEqual([]);
  });
});
