import { type EmptyChart, type ReportChart, VEGA_LITE_SCHEMA } from "./chart-specs.js";

/** One metric of one cell of a sweep compared, labelled (src/sweep/cell-labels.ts). */
export interface ComparisonRow {
  /** The line or colour it belongs to: its variant (prefixed by its sweep if several). */
  readonly series: string;
  /** The cell's short label: variant and the values of the parameters that change. */
  readonly label: string;
  /** Its value on the sweep's numeric parameter, if the sweep has one. */
  readonly x?: number;
  readonly metric: string;
  readonly runs: number;
  readonly mean: number;
  /** The 95% confidence interval of the mean (a single run's collapses onto the mean). */
  readonly low: number;
  readonly high: number;
}

/** How a metric is drawn: its unit and the factor from the summary's unit to it. */
export function metricUnit(
  metric: string,
  largest: number,
): { readonly unit: string; readonly scale: number } {
  if (/kwh$/i.test(metric)) return { unit: "kWh", scale: 1 };
  if (/hours$/i.test(metric)) return { unit: "h", scale: 1 };
  if (/bytes$/i.test(metric)) return { unit: "GB", scale: 1e-9 };
  const seconds =
    /seconds$/i.test(metric) ||
    /^(vjobs|jobs)\.(wait|turnaround|completion|response)\./.test(metric);
  if (seconds) return largest >= 7200 ? { unit: "h", scale: 1 / 3600 } : { unit: "s", scale: 1 };
  return { unit: "", scale: 1 };
}

/** Whether positive values span two decades or more (a log scale shows them all). */
function spansDecades(values: readonly number[], ratio: number): boolean {
  const min = Math.min(...values);
  return values.length > 1 && min > 0 && Math.max(...values) / min >= ratio;
}

/**
 * A chart per metric of the cells compared, with each mean's 95% confidence interval: along the
 * sweep's numeric parameter (a line per series, `axis` its title) when it has one, else a bar per
 * cell in the sweep's order. Scales are logarithmic where values span decades (x: ten times,
 * y: a hundred times); a metric that is zero in every cell is said, not drawn.
 */
export function comparisonCharts(
  rows: readonly ComparisonRow[],
  metrics: readonly string[],
  axis?: string,
): ReportChart[] {
  return metrics.flatMap((metric): ReportChart[] => {
    const kept = rows.filter((row) => row.metric === metric);
    if (kept.length === 0) return [];
    const name = `compare-${metric.replace(/[^A-Za-z0-9]+/g, "-")}`;
    if (kept.every((row) => row.mean === 0 && row.low === 0 && row.high === 0)) {
      const empty: EmptyChart = { name, title: metric, empty: `${metric} is 0 in every cell.` };
      return [empty];
    }
    const { unit, scale } = metricUnit(metric, Math.max(...kept.map((row) => Math.abs(row.mean))));
    const title = unit === "" ? metric : `${metric} (${unit})`;
    const values = kept.map((row) => ({
      series: row.series,
      label: row.label,
      ...(row.x === undefined ? {} : { x: row.x }),
      mean: row.mean * scale,
      low: row.low * scale,
      high: row.high * scale,
      runs: row.runs,
    }));
    const logY = spansDecades(
      values.map((v) => v.mean),
      100,
    );
    // On a log scale an interval reaching zero or below is drawn down to a tenth of the smallest
    // mean (its tooltip keeps the true bound).
    const floor = Math.min(...values.map((v) => v.mean)) / 10;
    const drawn = values.map((v) => ({ ...v, from: logY ? Math.max(v.low, floor) : v.low }));
    const y = {
      field: "mean",
      type: "quantitative" as const,
      title,
      scale: logY ? { type: "log" as const } : { zero: true },
    };
    const tooltip = [
      { field: "label", type: "nominal" as const, title: "cell" },
      { field: "mean", type: "quantitative" as const, format: ",.4~g" },
      { field: "low", type: "quantitative" as const, title: "95% CI low", format: ",.4~g" },
      { field: "high", type: "quantitative" as const, title: "95% CI high", format: ",.4~g" },
      { field: "runs", type: "quantitative" as const },
    ];
    const color = { field: "series", type: "nominal" as const, title: null };
    const numeric = axis !== undefined && values.every((v) => v.x !== undefined);
    const x = numeric
      ? {
          field: "x",
          type: "quantitative" as const,
          title: axis,
          scale: spansDecades(
            values.map((v) => v.x ?? 0),
            10,
          )
            ? { type: "log" as const }
            : { zero: false },
        }
      : {
          field: "label",
          type: "nominal" as const,
          title: null,
          sort: [...new Set(values.map((v) => v.label))],
          axis: { labelAngle: -40, labelLimit: 240 },
        };
    const interval = {
      mark: { type: "rule" as const },
      encoding: {
        x,
        y: { field: "low", type: "quantitative" as const },
        y2: { field: "high" },
        color,
      },
    };
    const layer = numeric
      ? [
          { mark: { type: "line" as const, point: true }, encoding: { x, y, color, tooltip } },
          interval,
        ]
      : [
          {
            mark: logY ? { type: "point" as const, filled: true } : { type: "bar" as const },
            encoding: { x, y, color, tooltip },
          },
          { ...interval, encoding: { ...interval.encoding, color: { value: "black" } } },
        ];
    return [
      {
        name,
        title,
        spec: {
          $schema: VEGA_LITE_SCHEMA,
          title: `${title}: mean and 95% CI`,
          ...(numeric ? { width: 480 } : { width: { step: 28 } }),
          height: 260,
          data: { values: drawn },
          layer,
        },
      },
    ];
  });
}
