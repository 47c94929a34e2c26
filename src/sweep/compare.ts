import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { type ComparisonRow, metricUnit } from "../output/charts/comparison-charts.js";
import { type AggregateEntry, parseAggregateCsv } from "./aggregate.js";
import { describeCells } from "./cell-labels.js";
import { formatTable } from "./experiment-results.js";

/** Metrics `skysim compare` shows when none are named. */
export const HEADLINE_METRICS = [
  "vjobs.finished",
  "vjobs.turnaround.mean",
  "vjobs.slowdown.mean",
  "cloud.violationHostSeconds",
  "cloud.activeHostHours",
  "cloud.energyKWh",
  "cloud.migrations.completed",
  "cloud.migrations.bytes",
  "consolidation.solverNodes",
  "consolidation.chargedSeconds",
  "jobs.finished",
  "jobs.wait.mean",
];

/** A sweep folder's aggregate, its cells' short labels and its numeric axis, if any. */
export interface ComparedSweep {
  readonly dir: string;
  readonly entries: readonly AggregateEntry[];
  readonly labels: ReadonlyMap<string, string>;
  readonly axis: ReturnType<typeof describeCells>["axis"];
}

/** The aggregate.csv of each folder; or, if a folder has none, its path. */
export function readSweeps(dirs: readonly string[]): ComparedSweep[] | string {
  const sweeps: ComparedSweep[] = [];
  for (const dir of dirs) {
    const file = join(dir, "aggregate.csv");
    if (!existsSync(file)) return dir;
    const entries = parseAggregateCsv(readFileSync(file, "utf8"), file);
    const cells = [...new Map(entries.map((entry) => [entry.cell, entry])).values()];
    sweeps.push({ dir, entries, ...describeCells(cells) });
  }
  return sweeps;
}

/** A value to `digits` significant digits, in exponent form only when very large or small. */
function format(value: number, digits: number): string {
  return Math.abs(value) >= 1e6 || (Math.abs(value) < 1e-3 && value !== 0)
    ? value.toExponential(digits - 1)
    : String(Number(value.toPrecision(digits)));
}

/**
 * A sweep's metrics side by side: a row per metric (with its unit), a column per cell (its short
 * label), each the mean and the half-width of its 95% confidence interval (none for one run).
 */
export function compareTable(sweep: ComparedSweep, metrics?: readonly string[]): string {
  const cells = [...new Set(sweep.entries.map((entry) => entry.cell))];
  const wanted = metrics ?? HEADLINE_METRICS;
  const present = wanted.filter((metric) => sweep.entries.some((e) => e.metric === metric));
  const rows = present.map((metric) => {
    const of = new Map(
      sweep.entries.filter((e) => e.metric === metric).map((entry) => [entry.cell, entry]),
    );
    const largest = Math.max(...[...of.values()].map((entry) => Math.abs(entry.mean)));
    const { unit, scale } = metricUnit(metric, largest);
    return [
      unit === "" ? metric : `${metric} (${unit})`,
      ...cells.map((cell) => {
        const entry = of.get(cell);
        if (entry === undefined) return "-";
        const spread = entry.runs > 1 ? ` ± ${format((entry.high - entry.mean) * scale, 2)}` : "";
        return `${format(entry.mean * scale, 4)}${spread}`;
      }),
    ];
  });
  const runs = [
    "runs",
    ...cells.map((cell) => String(sweep.entries.find((e) => e.cell === cell)?.runs ?? 0)),
  ];
  const header = ["metric", ...cells.map((cell) => sweep.labels.get(cell) ?? cell)];
  return `${sweep.dir}\n${formatTable(header, [runs, ...rows])}`;
}

/**
 * The rows the comparison charts draw: each cell labelled (prefixed by its folder's name when
 * several sweeps are compared), and the numeric axis if every sweep has the same one.
 */
export function comparisonRows(sweeps: readonly ComparedSweep[]): {
  rows: ComparisonRow[];
  axis: string | undefined;
} {
  const titles = new Set(sweeps.map((sweep) => sweep.axis?.title));
  const axis = titles.size === 1 ? [...titles][0] : undefined;
  const several = sweeps.length > 1;
  const rows = sweeps.flatMap((sweep) => {
    const prefix = several ? `${basename(sweep.dir)}: ` : "";
    return sweep.entries.map((entry): ComparisonRow => {
      const x = axis === undefined ? undefined : sweep.axis?.values.get(entry.cell);
      return {
        series: `${prefix}${entry.variant}`,
        label: `${prefix}${sweep.labels.get(entry.cell) ?? entry.cell}`,
        ...(x === undefined ? {} : { x }),
        metric: entry.metric,
        runs: entry.runs,
        mean: entry.mean,
        low: entry.low,
        high: entry.high,
      };
    });
  });
  return { rows, axis };
}
