import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { writeFileAtomic } from "../atomic-file.js";
import { type ReportChart, type TimelineRow, type TimeseriesRow, isDrawn } from "./chart-specs.js";
import { type AggregateRow, comparisonCharts } from "./comparison-charts.js";
import { renderSvg } from "./render-svg.js";
import { type ReportContext, reportHtml } from "./report-html.js";
import { runCharts } from "./run-charts.js";
import { timelineChart } from "./timeline-chart.js";

/**
 * Writes each drawn chart as `<name>.vl.json` and `<name>.svg` in `dir`, and report.html with
 * every chart (drawn or said empty); returns the paths.
 */
async function writeCharts(
  dir: string,
  context: ReportContext,
  charts: readonly ReportChart[],
): Promise<string[]> {
  const paths: string[] = [];
  for (const chart of charts.filter(isDrawn)) {
    const spec = join(dir, `${chart.name}.vl.json`);
    const svg = join(dir, `${chart.name}.svg`);
    writeFileAtomic(spec, `${JSON.stringify(chart.spec, null, 2)}\n`);
    writeFileAtomic(svg, await renderSvg(chart));
    paths.push(spec, svg);
  }
  const report = join(dir, "report.html");
  writeFileAtomic(report, reportHtml(context, charts));
  paths.push(report);
  return paths;
}

function readCsv(file: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(file, "utf8"), { columns: true });
}

/** The tables a run folder may hold, linked from its report (in charts/). */
const RUN_TABLES = ["summary.json", "jobs.csv", "timeseries.csv", "timeline.csv", "events.csv"];

/**
 * The default charts and report of a run folder that has a timeseries.csv (else nothing): the
 * timeseries' charts, and with a timeline.csv the timeline and the snapshot and lost-work charts.
 */
export async function writeRunCharts(
  outDir: string,
  report: Omit<ReportContext, "links">,
): Promise<string[]> {
  const file = join(outDir, "timeseries.csv");
  if (!existsSync(file)) return [];
  const rows = readCsv(file).map((row): TimeseriesRow => {
    const parsed: Record<string, number | string> = {};
    for (const [key, value] of Object.entries(row))
      parsed[key] = key === "site" ? value : Number(value);
    return { ...parsed, time: Number(row.time), site: row.site ?? "" };
  });
  const timelineFile = join(outDir, "timeline.csv");
  const timeline = existsSync(timelineFile)
    ? readCsv(timelineFile).map((row): TimelineRow => ({
        subject: row.subject ?? "",
        site: row.site ?? "",
        what: row.what ?? "",
        start: Number(row.start),
        end: Number(row.end),
        value: row.value === "" || row.value === undefined ? Number.NaN : Number(row.value),
      }))
    : undefined;
  const charts = [
    ...(timeline === undefined ? [] : [timelineChart(timeline)]),
    ...runCharts(rows, timeline),
  ];
  const links = RUN_TABLES.filter((name) => existsSync(join(outDir, name))).map((name) => ({
    name,
    href: `../${name}`,
  }));
  return writeCharts(join(outDir, "charts"), { ...report, links }, charts);
}

/** Comparison charts (a bar per cell of every sweep, with its 95% CI) of sweeps' aggregates. */
export async function writeComparisonCharts(
  dirs: readonly string[],
  outDir: string,
  metrics: readonly string[],
): Promise<string[]> {
  const rows = dirs.flatMap((dir) =>
    readCsv(join(dir, "aggregate.csv")).map((row): AggregateRow => ({
      sweep: dirs.length > 1 ? dir : "",
      cell: row.cell ?? "",
      metric: row.metric ?? "",
      runs: Number(row.runs),
      mean: Number(row.mean),
      ci95Low: row.ci95Low === "" ? Number.NaN : Number(row.ci95Low),
      ci95High: row.ci95High === "" ? Number.NaN : Number(row.ci95High),
    })),
  );
  const charts = comparisonCharts(rows, metrics);
  const title = `Comparison of ${dirs.join(", ")}`;
  return writeCharts(
    join(outDir, "comparison"),
    { title, facts: [], parameters: [], links: [] },
    charts,
  );
}
