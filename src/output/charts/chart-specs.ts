import type { TopLevelSpec } from "vega-lite";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** A chart: its file name (without extension) and its Vega-Lite spec, data included. */
export interface Chart {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/** One row of timeseries.csv, numbers parsed. */
export interface TimeseriesRow {
  readonly time: number;
  readonly site: string;
  readonly [column: string]: number | string;
}

/** A line per site of one timeseries column over time (in hours). */
function perSiteLine(
  rows: readonly TimeseriesRow[],
  name: string,
  title: string,
  field: string,
  axis: string,
): Chart {
  return {
    name,
    title,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title,
      width: 640,
      height: 240,
      data: {
        values: rows.map((row) => ({ hours: row.time / 3600, site: row.site, value: row[field] })),
      },
      mark: { type: "line", interpolate: "step-after" },
      encoding: {
        x: { field: "hours", type: "quantitative", title: "time (h)" },
        y: { field: "value", type: "quantitative", title: axis },
        color: { field: "site", type: "nominal", title: "site" },
      },
    },
  };
}

/** The default charts of a run, from its timeseries. */
export function runCharts(rows: readonly TimeseriesRow[]): Chart[] {
  return [
    perSiteLine(
      rows,
      "active-hosts",
      "Hosts holding at least one VM",
      "activeHosts",
      "active hosts",
    ),
    perSiteLine(rows, "cpu-demand", "CPU demanded", "cpuDemandCores", "cores demanded"),
    perSiteLine(
      rows,
      "overloaded-hosts",
      "Hosts in violation (demand above capacity)",
      "overloadedHosts",
      "overloaded hosts",
    ),
    perSiteLine(rows, "power", "Power drawn", "watts", "W"),
    perSiteLine(rows, "hosts-on", "Hosts on (not off, booting or crashed)", "hostsOn", "hosts on"),
    perSiteLine(
      rows,
      "migrations",
      "Live migrations completed per sample step (at the destination's site)",
      "migrations",
      "migrations",
    ),
    perSiteLine(
      rows,
      "backbone",
      "Bytes through each site's uplink per sample step (backbone traffic)",
      "backboneBytes",
      "bytes",
    ),
  ];
}

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
