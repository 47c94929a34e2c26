import { type Chart, VEGA_LITE_SCHEMA } from "./chart-specs.js";

/** One row of aggregate.csv, numbers parsed (NaN where empty). */
export interface AggregateRow {
  readonly sweep: string;
  readonly cell: string;
  readonly metric: string;
  readonly runs: number;
  readonly mean: number;
  readonly ci95Low: number;
  readonly ci95High: number;
}

/** A bar per cell (of every sweep compared) with its 95% confidence interval, per metric. */
export function comparisonCharts(
  rows: readonly AggregateRow[],
  metrics: readonly string[],
): Chart[] {
  return metrics.flatMap((metric) => {
    const values = rows
      .filter((row) => row.metric === metric)
      .map((row) => ({
        strategy: `${row.sweep} ${row.cell}`,
        mean: row.mean,
        low: Number.isNaN(row.ci95Low) ? row.mean : row.ci95Low,
        high: Number.isNaN(row.ci95High) ? row.mean : row.ci95High,
        runs: row.runs,
      }));
    if (values.length === 0) return [];
    const x = {
      field: "strategy",
      type: "nominal" as const,
      title: null,
      axis: { labelLimit: 320 },
    };
    return [
      {
        name: `compare-${metric.replace(/[^A-Za-z0-9]+/g, "-")}`,
        title: metric,
        spec: {
          $schema: VEGA_LITE_SCHEMA,
          title: `${metric} (mean, 95% CI)`,
          width: { step: 40 },
          height: 240,
          data: { values },
          layer: [
            {
              mark: "bar",
              encoding: { x, y: { field: "mean", type: "quantitative", title: metric } },
            },
            {
              mark: { type: "rule", color: "black" },
              encoding: { x, y: { field: "low", type: "quantitative" }, y2: { field: "high" } },
            },
          ],
        },
      },
    ];
  });
}
