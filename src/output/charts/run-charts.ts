import { formatDuration } from "../../sim/units.js";
import {
  type EmptyChart,
  HOURS_AXIS,
  type ReportChart,
  siteColor,
  type TimelineRow,
  type TimeseriesRow,
  VEGA_LITE_SCHEMA,
  zoomTime,
} from "./chart-specs.js";

const WIDTH = 720;
const HEIGHT = 240;
/** At most this many bars on a chart of counts per interval. */
const MAX_BARS = 60;

const HOURS_TOOLTIP = {
  field: "hours",
  type: "quantitative",
  title: "time (h)",
  format: ".2f",
} as const;

function empty(name: string, title: string, note: string): EmptyChart {
  return { name, title, empty: note };
}

/** What a step line per site plots: its y field, the axis title, the tooltip's number format. */
interface LineValue {
  readonly field: string;
  readonly title: string;
  readonly format: string;
}

/**
 * A step line per site over time (hours), zoomable (drag), with a tooltip per sample; `series`
 * splits each site's line in dashed styles by another field.
 */
function siteLines(sites: readonly string[], y: LineValue, series?: LineValue) {
  return {
    params: [zoomTime()],
    mark: {
      type: "line" as const,
      interpolate: "step-after" as const,
      point: { opacity: 0, size: 30 },
    },
    encoding: {
      x: HOURS_AXIS,
      y: { field: y.field, type: "quantitative" as const, title: y.title },
      color: siteColor(sites),
      ...(series === undefined
        ? {}
        : { strokeDash: { field: series.field, type: "nominal" as const, title: series.title } }),
      tooltip: [
        { field: "site", type: "nominal" as const },
        ...(series === undefined
          ? []
          : [{ field: series.field, type: "nominal" as const, title: series.title }]),
        HOURS_TOOLTIP,
        { field: y.field, type: "quantitative" as const, title: y.title, format: y.format },
      ],
    },
  };
}

/** A chart of one layer of lines (`siteLines`) over `values`. */
function lineChart(
  name: string,
  title: string,
  values: readonly object[],
  lines: ReturnType<typeof siteLines>,
): ReportChart {
  return {
    name,
    title,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title,
      width: WIDTH,
      height: HEIGHT,
      data: { values: [...values] },
      ...lines,
    },
  };
}

/** The sampling step of a timeseries (its first two distinct times), s. */
function stepOf(rows: readonly TimeseriesRow[]): number {
  const first = rows[0]?.time ?? 0;
  const next = rows.find((row) => row.time > first)?.time;
  return next === undefined ? 1 : next - first;
}

/**
 * A line per site of a value of each timeseries row over time (in hours), zoomable, with a
 * tooltip per sample; `note` in its place if every value is zero.
 */
function perSiteLine(
  rows: readonly TimeseriesRow[],
  sites: readonly string[],
  chart: { name: string; title: string; axis: string; note?: string },
  value: (row: TimeseriesRow) => number,
): ReportChart {
  const values = rows.map((row) => ({ hours: row.time / 3600, site: row.site, value: value(row) }));
  if (chart.note !== undefined && values.every((v) => v.value === 0)) {
    return empty(chart.name, chart.title, chart.note);
  }
  const y = { field: "value", title: chart.axis, format: ",.3~f" };
  return lineChart(chart.name, chart.title, values, siteLines(sites, y));
}

/** Cores demanded (solid) and cores of the hosts on (dashed), per site. */
function cpuChart(rows: readonly TimeseriesRow[], sites: readonly string[]): ReportChart {
  const title = "CPU demanded (solid) and cores on (dashed)";
  const values = rows.flatMap((row) => [
    { hours: row.time / 3600, site: row.site, series: "demanded", cores: row["cpuDemandCores"] },
    { hours: row.time / 3600, site: row.site, series: "on", cores: row["cpuCores"] },
  ]);
  const y = { field: "cores", title: "cores", format: ",.2~f" };
  const series = { field: "series", title: "cores", format: "" };
  return lineChart("cpu-demand", title, values, siteLines(sites, y, series));
}

/** Interval lengths a chart of counts may use, s. */
const BINS = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 7 * 86400];

/**
 * The shortest round interval that is a whole number of sampling steps and gives at most
 * MAX_BARS bars over the run (whole steps beyond a week), s.
 */
function binOf(step: number, span: number): number {
  const fits = (bin: number) => bin % step === 0 && span / bin <= MAX_BARS;
  return BINS.find((bin) => bin >= step && fits(bin)) ?? step * Math.ceil(span / step / MAX_BARS);
}

/**
 * Stacked bars of counts per interval (`bin` s), one colour per `key`; the counts are summed into
 * their interval here, so the spec holds one row per bar.
 */
function countBars(
  chart: { name: string; title: string; axis: string; key: string; note: string },
  events: readonly { time: number; key: string; count: number }[],
  bin: number,
  keys?: readonly string[],
): ReportChart {
  const sums = new Map<string, { from: number; to: number; key: string; count: number }>();
  for (const { time, key, count } of events) {
    // A sample counts what happened in the step before it: it belongs to the interval ending then.
    const index = Math.max(0, Math.ceil(time / bin) - 1);
    const id = `${index} ${key}`;
    const sum = sums.get(id) ?? {
      from: (index * bin) / 3600,
      to: ((index + 1) * bin) / 3600,
      key,
      count: 0,
    };
    sum.count += count;
    sums.set(id, sum);
  }
  const values = [...sums.values()].filter((v) => v.count > 0);
  if (values.length === 0) return empty(chart.name, chart.title, chart.note);
  const title = `${chart.title} per ${formatDuration(bin)}`;
  return {
    name: chart.name,
    title,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title,
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      params: [zoomTime()],
      mark: "bar",
      encoding: {
        x: {
          field: "from",
          type: "quantitative",
          bin: { binned: true, step: bin / 3600 },
          title: "time (h)",
        },
        x2: { field: "to" },
        y: { field: "count", type: "quantitative", title: chart.axis, stack: "zero" },
        color: {
          field: "key",
          type: "nominal",
          title: chart.key,
          ...(keys === undefined ? {} : { scale: { domain: [...keys] } }),
        },
        tooltip: [
          { field: "key", type: "nominal", title: chart.key },
          { field: "from", type: "quantitative", title: "from (h)", format: ".2f" },
          { field: "to", type: "quantitative", title: "to (h)", format: ".2f" },
          { field: "count", type: "quantitative", title: chart.axis },
        ],
      },
    },
  };
}

/** Hosts up per site, with a rule at each host failure (from the timeline, if there is one). */
function failuresChart(
  rows: readonly TimeseriesRow[],
  sites: readonly string[],
  timeline: readonly TimelineRow[] | undefined,
): ReportChart {
  const name = "failures";
  const title = "Hosts up per site (lines) and host failures (rules)";
  const failures = (timeline ?? [])
    .filter((row) => row.what === "host down")
    .map((row) => ({ hours: row.start / 3600, site: row.site, host: row.subject }));
  const up = rows.map((row) => ({ hours: row.time / 3600, site: row.site, up: row["upHosts"] }));
  if (failures.length === 0 && rows.every((row) => row["upHosts"] === row["hosts"])) {
    return empty(name, title, "No host failed in this run.");
  }
  return {
    name,
    title,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title,
      width: WIDTH,
      height: HEIGHT,
      layer: [
        {
          data: { values: up },
          ...siteLines(sites, { field: "up", title: "hosts up", format: "d" }),
        },
        ...(failures.length === 0
          ? []
          : [
              {
                data: { values: failures },
                mark: { type: "rule" as const, opacity: 0.35 },
                encoding: {
                  x: HOURS_AXIS,
                  color: siteColor(sites),
                  tooltip: [
                    { field: "host", type: "nominal" as const, title: "host failed" },
                    HOURS_TOOLTIP,
                  ],
                },
              },
            ]),
      ],
    },
  };
}

/** Work thrown away by failures and flights, cumulative per site, core-hours. */
function lostWorkChart(
  timeline: readonly TimelineRow[],
  sites: readonly string[],
  span: number,
): ReportChart {
  const name = "lost-work";
  const title = "Work lost, cumulative per site (core-hours)";
  const lost = timeline.filter((row) => row.what === "lost work" && row.value > 0);
  if (lost.length === 0) return empty(name, title, "No work was lost in this run.");
  const losing = [...new Set(lost.map((row) => row.site))].sort();
  const totals = new Map(losing.map((site) => [site, 0]));
  const values = losing.map((site) => ({ hours: 0, site, coreHours: 0 }));
  for (const row of lost) {
    const total = (totals.get(row.site) ?? 0) + row.value / 3600;
    totals.set(row.site, total);
    values.push({ hours: row.start / 3600, site: row.site, coreHours: total });
  }
  for (const site of losing)
    values.push({ hours: span / 3600, site, coreHours: totals.get(site) ?? 0 });
  const y = { field: "coreHours", title: "core-hours lost", format: ",.1f" };
  return lineChart(name, title, values, siteLines(sites, y));
}

const RECOVERY_KINDS: Record<string, string> = {
  snapshot: "snapshot stored",
  "snapshot failed": "snapshot failed",
  restored: "restored",
  restarted: "restarted",
};

/**
 * The default charts of a run: from its timeseries, and from its timeline (vjobs runs written by
 * `skysim run`) the snapshots, restores and lost work. Charts with nothing to draw say so.
 */
export function runCharts(
  rows: readonly TimeseriesRow[],
  timeline?: readonly TimelineRow[],
): ReportChart[] {
  const step = stepOf(rows);
  const span = rows.reduce((end, row) => Math.max(end, row.time), 0);
  const bin = binOf(step, span);
  // In the platform's order (the timeseries'), so each site has its colour on every chart.
  const sites = [...new Set(rows.map((row) => row.site))];
  const charts = [
    perSiteLine(
      rows,
      sites,
      { name: "active-hosts", title: "Hosts holding at least one VM", axis: "active hosts" },
      (row) => Number(row["activeHosts"]),
    ),
    cpuChart(rows, sites),
    perSiteLine(
      rows,
      sites,
      {
        name: "overloaded-hosts",
        title: "Hosts in violation (CPU demand above their cores)",
        axis: "overloaded hosts",
        note: "No host was overloaded in this run.",
      },
      (row) => Number(row["overloadedHosts"]),
    ),
    perSiteLine(
      rows,
      sites,
      { name: "power", title: "Power drawn (kW)", axis: "kW", note: "No power was drawn." },
      (row) => Number(row["watts"]) / 1000,
    ),
    perSiteLine(
      rows,
      sites,
      { name: "hosts-on", title: "Hosts on (not off, booting or crashed)", axis: "hosts on" },
      (row) => Number(row["hostsOn"]),
    ),
    failuresChart(rows, sites, timeline),
    countBars(
      {
        name: "migrations",
        title: "Live migrations completed (by destination site)",
        axis: "migrations",
        key: "site",
        note: "No live migration in this run.",
      },
      rows.map((row) => ({ time: row.time, key: row.site, count: Number(row["migrations"]) })),
      bin,
      sites,
    ),
    perSiteLine(
      rows,
      sites,
      {
        name: "backbone",
        title: `Traffic through each site's uplink (GB/s, mean over ${formatDuration(step)})`,
        axis: "GB/s",
        note: "No traffic crossed the backbone in this run.",
      },
      (row) => Number(row["backboneBytes"]) / step / 1e9,
    ),
  ];
  if (timeline === undefined) return charts;
  return [
    ...charts,
    countBars(
      {
        name: "snapshots-restores",
        title: "Snapshots, restores and restarts of vjobs",
        axis: "count",
        key: "event",
        note: "No snapshot, restore or restart in this run.",
      },
      timeline.flatMap((row) => {
        const key = RECOVERY_KINDS[row.what];
        return key === undefined ? [] : [{ time: row.end, key, count: 1 }];
      }),
      bin,
    ),
    lostWorkChart(timeline, sites, span),
  ];
}
