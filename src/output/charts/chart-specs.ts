import type { TopLevelSpec } from "vega-lite";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** A chart: its file name (without extension), its title and its Vega-Lite spec, data included. */
export interface Chart {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/** A chart with nothing to draw (all zero, or no rows): the report says so in its place. */
export interface EmptyChart {
  readonly name: string;
  readonly title: string;
  /** What the report says instead, e.g. "No live migrations in this run." */
  readonly empty: string;
}

export type ReportChart = Chart | EmptyChart;

export function isDrawn(chart: ReportChart): chart is Chart {
  return "spec" in chart;
}

/** One row of timeseries.csv, numbers parsed. */
export interface TimeseriesRow {
  readonly time: number;
  readonly site: string;
  readonly [column: string]: number | string;
}

/** One row of timeline.csv (see VjobTimeline), numbers parsed (value NaN where empty). */
export interface TimelineRow {
  readonly subject: string;
  readonly site: string;
  readonly what: string;
  readonly start: number;
  readonly end: number;
  readonly value: number;
}

/** Drag on a chart to zoom its time axis, double-click to reset (a fresh parameter per chart). */
export function zoomTime() {
  return {
    name: "zoom",
    select: { type: "interval" as const, encodings: ["x" as const] },
    bind: "scales" as const,
  };
}

export const HOURS_AXIS = { field: "hours", type: "quantitative", title: "time (h)" } as const;

/** Colour by site, each site the same colour on every chart of a run (`sites`: all of them). */
export function siteColor(sites: readonly string[]) {
  return {
    field: "site",
    type: "nominal" as const,
    title: "site",
    scale: { domain: [...sites] },
  };
}
