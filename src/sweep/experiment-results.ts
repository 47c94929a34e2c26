import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "../output/atomic-file.js";
import { renderSvg } from "../output/charts/render-svg.js";
import { type AggregateEntry, parseAggregateCsv } from "./aggregate.js";

// What the analysis notebooks (notebooks/*.ipynb) share: where an experiment's sweep results are,
// its aggregate.csv, its charts written as Vega-Lite and SVG, and text tables. Nothing here prints
// or reads the process: a notebook passes its environment in and prints what comes back.

/** Where an experiment's files are. */
export interface ExperimentOptions {
  /** The repository: its scenarios/ holds the experiment, and results/ is the default results. */
  readonly root: string;
  /**
   * SKYSIM_CI ("1": the CI-sized experiment), SKYSIM_RESULTS (the folder of the sweep folders,
   * default `<root>/results`) and SKYSIM_FIGURES (default `<results>/figures`); relative paths
   * start in the working directory.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A variant's metric: its mean over the runs and the 95% CI of the mean. */
export interface Bar {
  readonly variant: string;
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Jupyter's display protocol, as Deno's kernel reads it: a cell whose value has this method shows
 * what it returns (a MIME bundle) instead of the value. Under the headless runner it is unused.
 */
const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** A chart written by `saveChart`: its files, and its SVG shown inline by Jupyter. */
export interface SavedChart {
  /** The Vega-Lite spec's file and the SVG's. */
  readonly paths: readonly string[];
  readonly svg: string;
  [JUPYTER_DISPLAY](): Record<string, string>;
}

/** One or more saved charts shown inline when a notebook cell ends with them. */
export interface ChartDisplay {
  [JUPYTER_DISPLAY](): Record<string, string>;
}

/** Several saved charts as one cell output: their SVGs one under the other. */
export function showCharts(...charts: readonly SavedChart[]): ChartDisplay {
  return {
    [JUPYTER_DISPLAY]: () => ({
      "text/html": charts.map((chart) => `<div>${chart.svg}</div>`).join("\n"),
      "text/plain": charts.flatMap((chart) => chart.paths).join("\n"),
    }),
  };
}

/** An experiment's sweep results. The functions need no `this`: they can be destructured. */
export interface Experiment {
  readonly name: string;
  /** Whether this is the CI-sized experiment (scenarios/<name>.ci.yaml). */
  readonly ci: boolean;
  readonly scenarioFile: string;
  /** The folder `skysim sweep --out` wrote: aggregate.csv, runs.csv, a folder per cell. */
  readonly sweepDir: string;
  /** Where saveChart writes. */
  readonly figuresDir: string;
  /** aggregate.csv's rows: a cell (a variant and a value of each parameter) and metric each. */
  readonly aggregate: readonly AggregateEntry[];
  /** One metric's rows; a metric the sweep lacks fails here rather than drawing an empty chart. */
  readonly metric: (name: string) => AggregateEntry[];
  /**
   * A metric per variant, in the sweep's order, its values times `scale`. Fails if a variant has
   * several cells (the sweep has parameters besides the variants).
   */
  readonly byVariant: (name: string, scale?: number) => Bar[];
  /** A variant's mean of a metric, times `scale` (the first of its cells). */
  readonly meanOf: (name: string, variant: string, scale?: number) => number;
  /**
   * Writes `<figuresDir>/<name>-<chart>.vl.json` (the Vega-Lite spec, data inlined: it opens in
   * the Vega editor) and `.svg` (rendered headlessly, as skysim renders its own charts); returns
   * their paths and the SVG, which Jupyter shows inline when a cell ends with the result.
   */
  readonly saveChart: (chart: string, spec: TopLevelSpec) => Promise<SavedChart>;
  /** Saved charts shown inline together when a cell ends with this (`showCharts`). */
  readonly show: typeof showCharts;
  /** Where the scenario, the results and the figures are, and the aggregate's size: lines to print. */
  readonly describe: () => string;
}

/**
 * The results of experiment `name` (scenarios/<name>.yaml, or <name>.ci.yaml when SKYSIM_CI is
 * "1"), in `<results>/<name>` (or `<name>-ci`). Fails, with the command that makes them, if that
 * folder has no aggregate.csv.
 */
export function openExperiment(name: string, options: ExperimentOptions): Experiment {
  const { root, env } = options;
  const ci = env.SKYSIM_CI === "1";
  const scenarioFile = join(root, "scenarios", ci ? `${name}.ci.yaml` : `${name}.yaml`);
  const results = resolve(nonEmpty(env.SKYSIM_RESULTS) ?? join(root, "results"));
  const sweepDir = join(results, ci ? `${name}-ci` : name);
  const figuresDir = resolve(nonEmpty(env.SKYSIM_FIGURES) ?? join(results, "figures"));

  const file = join(sweepDir, "aggregate.csv");
  if (!existsSync(file)) {
    // As typed in the repository root, where npx skysim runs.
    const shown = (path: string) => {
      const inRoot = relative(root, path);
      return inRoot.startsWith("..") || isAbsolute(inRoot) ? path : inRoot;
    };
    throw new Error(
      `no sweep results in ${sweepDir} (no aggregate.csv); make them from the repository root with:\n` +
        `  npx skysim sweep ${shown(scenarioFile)} --out ${shown(sweepDir)}`,
    );
  }
  const aggregate = parseAggregateCsv(readFileSync(file, "utf8"), file);

  const metric = (metricName: string): AggregateEntry[] => {
    const rows = aggregate.filter((row) => row.metric === metricName);
    if (rows.length === 0) throw new Error(`${file} has no metric ${metricName}`);
    return rows;
  };

  return {
    name,
    ci,
    scenarioFile,
    sweepDir,
    figuresDir,
    aggregate,
    metric,
    byVariant: (metricName, scale = 1) => {
      const rows = metric(metricName);
      if (new Set(rows.map((row) => row.variant)).size !== rows.length)
        throw new Error(`${sweepDir} sweeps parameters besides the variants`);
      return rows.map((row) => ({
        variant: row.variant,
        mean: row.mean * scale,
        low: row.low * scale,
        high: row.high * scale,
      }));
    },
    meanOf: (metricName, variant, scale = 1) => {
      const row = metric(metricName).find((candidate) => candidate.variant === variant);
      if (row === undefined) throw new Error(`${file} has no ${metricName} for ${variant}`);
      return row.mean * scale;
    },
    saveChart: async (chart, spec) => {
      const path = join(figuresDir, `${name}-${chart}`);
      const paths = [`${path}.vl.json`, `${path}.svg`] as const;
      const svg = await renderSvg({ spec });
      writeFileAtomic(paths[0], `${JSON.stringify(spec, null, 2)}\n`);
      writeFileAtomic(paths[1], svg);
      return {
        paths: [...paths],
        svg,
        [JUPYTER_DISPLAY]: () => ({ "image/svg+xml": svg, "text/plain": paths.join("\n") }),
      };
    },
    show: showCharts,
    describe: () =>
      [
        `scenario ${scenarioFile}`,
        `results  ${sweepDir}`,
        `figures  ${figuresDir}`,
        `${new Set(aggregate.map((row) => row.cell)).size} cells, ${aggregate.length} rows`,
      ].join("\n"),
  };
}

/** An environment variable's value; unset or empty is undefined. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** `mean [low, high]`, each with `digits` decimals; "-" for no bar. */
export function withCi(
  bar: Pick<Bar, "mean" | "low" | "high"> | undefined,
  digits: number,
): string {
  return bar === undefined
    ? "-"
    : `${bar.mean.toFixed(digits)} [${bar.low.toFixed(digits)}, ${bar.high.toFixed(digits)}]`;
}

/**
 * A text table: the header, a rule, a line per row; columns as wide as their widest cell, the
 * first left-aligned, the others right-aligned, separated by " | ". No final newline.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join(" | ");
  return [
    line(header),
    widths.map((width) => "-".repeat(width)).join("-|-"),
    ...rows.map(line),
  ].join("\n");
}
