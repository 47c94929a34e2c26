import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { RUN_TABLES } from "../table-file.js";
import { parse } from "csv-parse/sync";
import { writeFileAtomic } from "../atomic-file.js";
import { type ReportChart, type TimelineRow, type TimeseriesRow, isDrawn } from "./chart-specs.js";
import { type ComparisonRow, comparisonCharts } from "./comparison-charts.js";
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

/**
 * The default charts and report of a run whose tables (`written`, the paths of the files it
 * wrote) include timeseries.csv (else nothing): the timeseries' charts, and with a timeline.csv
 * the timeline and the snapshot and lost-work charts. Only the run's own tables are read and
 * linked: a table of an earlier run left in the folder is neither.
 */
export async function writeRunCharts(
  outDir: string,
  report: Omit<ReportContext, "links">,
  written: readonly string[],
): Promise<string[]> {
  const own = new Set(written.map((path) => resolve(path)));
  const wrote = (name: string) => own.has(resolve(outDir, name));
  const file = join(outDir, "timeseries.csv");
  if (!wrote("timeseries.csv")) return [];
  const rows = readCsv(file).map((row): TimeseriesRow => {
    const parsed: Record<string, number | string> = {};
    for (const [key, value] of Object.entries(row))
      parsed[key] = key === "site" ? value : Number(value);
    return { ...parsed, time: Number(row.time), site: row.site ?? "" };
  });
  const timelineFile = join(outDir, "timeline.csv");
  const timeline = wrote("timeline.csv")
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
  // summary.json is the run's completion mark, written after the charts: linked all the same.
  const tables = RUN_TABLES.map((name) => `${name}.csv`).filter(wrote);
  const links = ["summary.json", ...tables].map((name) => ({ name, href: `../${name}` }));
  return writeCharts(join(outDir, "charts"), { ...report, links }, charts);
}

/**
 * Comparison charts of sweeps' cells (src/sweep/compare.ts labels them) into
 * `<outDir>/comparison/`, with a report listing them.
 */
export async function writeComparisonCharts(
  title: string,
  rows: readonly ComparisonRow[],
  outDir: string,
  metrics: readonly string[],
  axis?: string,
): Promise<string[]> {
  const charts = comparisonCharts(rows, metrics, axis);
  return writeCharts(
    join(outDir, "comparison"),
    { title, facts: [], parameters: [], links: [] },
    charts,
  );
}
