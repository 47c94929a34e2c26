import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { VEGA_LITE_SCHEMA } from "../src/output/charts/chart-specs.js";
import { type SweepResult, aggregateSweep, parseAggregateCsv } from "../src/sweep/aggregate.js";
import { compareTable } from "../src/sweep/compare.js";
import { describeCells } from "../src/sweep/cell-labels.js";
import { formatTable, openExperiment, withCi } from "../src/sweep/experiment-results.js";
import { skysim } from "./run-cli.js";

const TMP = mkdtempSync(join(tmpdir(), "skysim-experiment-results-"));
afterAll(() => {
  rmSync(TMP, { recursive: true, force: true });
});

/** Runs of a sweep: per cell, a summary per seed. */
function results(
  cells: { cell: string; variant: string; parameters?: Record<string, unknown>; x: number[] }[],
): SweepResult[] {
  return cells.flatMap(({ cell, variant, parameters = {}, x }, c) =>
    x.map((value, seed) => ({
      index: 10 * c + seed,
      cell,
      variant,
      parameters,
      seed,
      summary: { cloud: { x: value }, y: 2 * value },
    })),
  );
}

/** A repository root with results/<folder>/aggregate.csv of these runs. */
function repository(folder: string, runs: SweepResult[]): string {
  const root = mkdtempSync(join(TMP, "root-"));
  mkdirSync(join(root, "results", folder), { recursive: true });
  writeFileSync(join(root, "results", folder, "aggregate.csv"), aggregateSweep(runs).aggregateCsv);
  return root;
}

const VARIANTS = results([
  { cell: "slow", variant: "slow", x: [1, 2, 3] },
  { cell: "fast", variant: "fast", x: [10] },
]);

describe("openExperiment", () => {
  it("finds the experiment's files by the environment", () => {
    const root = repository("demo", VARIANTS);
    const full = openExperiment("demo", { root, env: {} });
    expect(full).toMatchObject({
      name: "demo",
      ci: false,
      scenarioFile: join(root, "scenarios", "demo.yaml"),
      sweepDir: join(root, "results", "demo"),
      figuresDir: join(root, "results", "figures"),
    });
    mkdirSync(join(root, "elsewhere", "demo-ci"), { recursive: true });
    writeFileSync(
      join(root, "elsewhere", "demo-ci", "aggregate.csv"),
      aggregateSweep(VARIANTS).aggregateCsv,
    );
    // Relative paths start in the working directory.
    const ci = openExperiment("demo", {
      root,
      env: {
        SKYSIM_CI: "1",
        SKYSIM_RESULTS: relative(process.cwd(), join(root, "elsewhere")),
        SKYSIM_FIGURES: join(TMP, "figures"),
      },
    });
    expect(ci).toMatchObject({
      ci: true,
      scenarioFile: join(root, "scenarios", "demo.ci.yaml"),
      sweepDir: join(root, "elsewhere", "demo-ci"),
      figuresDir: join(TMP, "figures"),
    });
    expect(ci.describe()).toBe(
      [
        `scenario ${join(root, "scenarios", "demo.ci.yaml")}`,
        `results  ${join(root, "elsewhere", "demo-ci")}`,
        `figures  ${join(TMP, "figures")}`,
        "2 cells, 4 rows",
      ].join("\n"),
    );
  });

  it("says which command makes missing results, as typed in the repository root", () => {
    const root = mkdtempSync(join(TMP, "empty-"));
    expect(() =>
      openExperiment("demo", { root, env: { SKYSIM_CI: "1", SKYSIM_RESULTS: join(root, "r") } }),
    ).toThrow(
      `no sweep results in ${join(root, "r", "demo-ci")} (no aggregate.csv); make them from the ` +
        "repository root with:\n  npx skysim sweep scenarios/demo.ci.yaml --out r/demo-ci",
    );
    expect(() =>
      openExperiment("demo", { root, env: { SKYSIM_RESULTS: join(TMP, "outside") } }),
    ).toThrow(`--out ${join(TMP, "outside", "demo")}`);
  });

  it("reads a metric per variant, a single run's interval being its mean", () => {
    const { aggregate, metric, byVariant, meanOf } = openExperiment("demo", {
      root: repository("demo", VARIANTS),
      env: {},
    });
    expect(aggregate.map((row) => `${row.cell} ${row.metric} ${row.runs}`)).toEqual([
      "slow cloud.x 3",
      "slow y 3",
      "fast cloud.x 1",
      "fast y 1",
    ]);
    expect(metric("y").map((row) => row.mean)).toEqual([4, 20]);
    expect(() => metric("z")).toThrow(/aggregate\.csv has no metric z$/);
    const [slow, fast] = byVariant("cloud.x", 2);
    expect(slow?.variant).toBe("slow");
    expect(slow?.mean).toBeCloseTo(4, 12);
    // t(0.975, 2) = 4.303, sd 1, 3 runs: half-width 2.484, doubled.
    expect(slow?.low).toBeCloseTo(4 - (2 * 4.303) / Math.sqrt(3), 3);
    expect(slow?.high).toBeCloseTo(4 + (2 * 4.303) / Math.sqrt(3), 3);
    expect(fast).toEqual({ variant: "fast", mean: 20, low: 20, high: 20 });
    expect(meanOf("y", "fast", 0.5)).toBe(10);
    expect(() => meanOf("y", "medium")).toThrow(/has no y for medium$/);
  });

  it("refuses bars per variant when other parameters are swept", () => {
    const { byVariant, metric } = openExperiment("grid", {
      root: repository(
        "grid",
        results([
          { cell: "a__p=1", variant: "a", parameters: { p: 1 }, x: [1, 2] },
          { cell: "a__p=2", variant: "a", parameters: { p: 2 }, x: [3, 4] },
        ]),
      ),
      env: {},
    });
    expect(metric("cloud.x").map((row) => row.parameters)).toEqual([{ p: 1 }, { p: 2 }]);
    expect(() => byVariant("cloud.x")).toThrow(/sweeps parameters besides the variants$/);
  });

  it("saves a chart as its Vega-Lite spec and as SVG", async () => {
    const figures = join(TMP, "saved");
    const { saveChart } = openExperiment("demo", {
      root: repository("demo", VARIANTS),
      env: { SKYSIM_FIGURES: figures },
    });
    const spec = {
      $schema: VEGA_LITE_SCHEMA,
      data: { values: [{ variant: "slow", mean: 2 }] },
      mark: "bar",
      encoding: {
        x: { field: "variant", type: "nominal" },
        y: { field: "mean", type: "quantitative" },
      },
    } as const;
    const saved = await saveChart("bars", spec);
    expect(saved.paths).toEqual([
      join(figures, "demo-bars.vl.json"),
      join(figures, "demo-bars.svg"),
    ]);
    expect(readFileSync(join(figures, "demo-bars.vl.json"), "utf8")).toBe(
      `${JSON.stringify(spec, null, 2)}\n`,
    );
    const svg = readFileSync(join(figures, "demo-bars.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    // What Jupyter shows when a cell ends with it: the SVG, and the files as text.
    const display = saved[Symbol.for("Jupyter.display") as keyof typeof saved] as () => unknown;
    expect(display()).toEqual({ "image/svg+xml": svg, "text/plain": saved.paths.join("\n") });
  });
});

describe("the default sweep folder", () => {
  it("is where a notebook's openExperiment looks: results/<scenario name>", () => {
    // A project of its own with the experiment's scenarios, swept with no --out.
    const project = mkdtempSync(join(tmpdir(), "skysim-default-sweep-"));
    mkdirSync(join(project, "scenarios"));
    for (const file of ["managers-vmplaces.yaml", "managers-vmplaces.ci.yaml"]) {
      writeFileSync(join(project, "scenarios", file), readFileSync(join("scenarios", file)));
    }
    const result = skysim(["sweep", "scenarios/managers-vmplaces.ci.yaml"], { cwd: project });
    expect(result.status, result.stderr).toBe(0);
    const experiment = openExperiment("managers-vmplaces", {
      root: project,
      env: { SKYSIM_CI: "1" },
    });
    expect(relative(project, experiment.sweepDir)).toBe(join("results", "managers-vmplaces-ci"));
    expect(experiment.metric("cloud.violationHostSeconds")).toHaveLength(3 * 2);
  });
});

describe("tables", () => {
  it("formats a mean with its interval", () => {
    expect(withCi({ mean: 1.25, low: -0.5, high: 3 }, 1)).toBe("1.3 [-0.5, 3.0]");
    expect(withCi(undefined, 1)).toBe("-");
  });

  it("aligns the first column left and the others right", () => {
    expect(
      formatTable(
        ["variant", "n"],
        [
          ["a", "10.5"],
          ["longer", "2"],
        ],
      ),
    ).toBe(["variant |    n", "--------|-----", "a       | 10.5", "longer  |    2"].join("\n"));
  });

  it("skysim compare shows a sweep side by side, an interval only where there is one", () => {
    const entries = parseAggregateCsv(aggregateSweep(VARIANTS).aggregateCsv);
    const cells = [...new Map(entries.map((entry) => [entry.cell, entry])).values()];
    const table = compareTable({ dir: "demo", entries, ...describeCells(cells) }, ["y"]);
    expect(table.split("\n")).toEqual([
      "demo",
      "metric |  slow | fast",
      "-------|-------|-----",
      "runs   |     3 |    1",
      // 3 runs: mean 4, half-width t(0.975, 2) x sd / sqrt(3) = 4.968...; one run: no interval.
      "y      | 4 ± 5 |   20",
    ]);
  });
});
