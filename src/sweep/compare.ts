import { parseAggregateCsv } from "./aggregate.js";

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

/**
 * Lines of a text table from one sweep's aggregate.csv: for each cell and metric, the mean and the
 * half-width of its 95% confidence interval, with the number of runs.
 */
export function compareLines(dir: string, csv: string, metrics?: readonly string[]): string[] {
  const rows = parseAggregateCsv(csv);
  const wanted = new Set(metrics ?? HEADLINE_METRICS);
  const kept = rows.filter((row) => wanted.has(row.metric));
  const cellWidth = Math.max(4, ...kept.map((row) => row.cell.length));
  const metricWidth = Math.max(6, ...kept.map((row) => row.metric.length));
  return [
    dir,
    `  ${"cell".padEnd(cellWidth)}  ${"metric".padEnd(metricWidth)}  mean +- 95% CI (runs)`,
    ...kept.map((row) => {
      // A cell of a single run has no interval (aggregateSweep leaves it empty).
      const spread = row.runs > 1 ? ` +- ${format(row.high - row.mean)}` : "";
      return `  ${row.cell.padEnd(cellWidth)}  ${row.metric.padEnd(metricWidth)}  ${format(row.mean)}${spread} (${row.runs})`;
    }),
  ];
}

function format(value: number): string {
  return Math.abs(value) >= 1e5 || (Math.abs(value) < 1e-3 && value !== 0)
    ? value.toExponential(3)
    : String(Number(value.toPrecision(6)));
}
