import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { writeFileAtomic } from "../atomic-file.js";
import {
  type AggregateRow,
  type Chart,
  type TimeseriesRow,
  comparisonCharts,
  runCharts,
} from "./chart-specs.js";
import { renderSvg } from "./render-svg.js";
import { reportHtml } from "./report-html.js";

/** Writes each chart as `<name>.vl.json` and `<name>.svg` in `dir`, and report.html; returns paths. */
async function writeCharts(
  dir: string,
  title: string,
  facts: readonly string[],
  charts: readonly Chart[],
): Promise<string[]> {
  const paths: string[] = [];
  for (const chart of charts) {
    const spec = join(dir, `${chart.name}.vl.json`);
    const svg = join(dir, `${chart.name}.svg`);
    writeFileAtomic(spec, `${JSON.stringify(chart.spec, null, 2)}\n`);
    writeFileAtomic(svg, await renderSvg(chart));
    paths.push(spec, svg);
  }
  const report = join(dir, "report.html");
  writeFileAtomic(report, reportHtml(title, facts, charts));
  paths.push(report);
  return paths;
}

/** The default charts and report of a run folder that has a timeseries.csv (else nothing). */
export async function writeRunCharts(
  outDir: string,
  title: string,
  facts: readonly string[],
): Promise<string[]> {
  const file = join(outDir, "timeseries.csv");
  if (!existsSync(file)) return [];
  const rows = parse<Record<string, string>>(readFileSync(file, "utf8"), { columns: true }).map(
    (row): TimeseriesRow => {
      const parsed: Record<string, number | string> = {};
      for (const [key, value] of Object.entries(row))
        parsed[key] = key === "site" ? value : Number(value);
      return { ...parsed, time: Number(row.time), site: row.site ?? "" };
    },
  );
  return writeCharts(join(outDir, "charts"), title, facts, runCharts(rows));
}

/** Comparison charts (a bar per cell of every sweep, with its 95% CI) of sweeps' aggregates. */
export async function writeComparisonCharts(
  dirs: readonly string[],
  outDir: string,
  metrics: readonly string[],
): Promise<string[]> {
  const rows = dirs.flatMap((dir) =>
    parse<Record<string, string>>(readFileSync(join(dir, "aggregate.csv"), "utf8"), {
      columns: true,
    }).map((row): AggregateRow => ({
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
  return writeCharts(join(outDir, "comparison"), `Comparison of ${dirs.join(", ")}`, [], charts);
}
