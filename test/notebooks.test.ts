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
import { join } from "node:path";
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
  "sky-site-outage": ["lost-work", "completion"],
};

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
      { cell_type: "code", source: 'import { join } from "node:path";\nconst a: number = 1;' },
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
