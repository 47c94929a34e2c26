import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { writeFileAtomic } from "../output/atomic-file.js";
import type { Summary } from "../run/run-scenario.js";
import type { Scenario } from "../scenario/schema.js";

/**
 * The files `skysim run` writes beside the run's tables (`written`), before its completion mark:
 * the charts and report (if `charts`), and run-info.json. Returns their paths and the run's wall
 * time in seconds, from `started` (a `performance.now()`).
 */
export async function writeRunFiles(
  outDir: string,
  scenario: Scenario,
  run: {
    readonly summary: Summary;
    readonly headline: string;
    readonly written: readonly string[];
  },
  charts: boolean,
  started: number,
): Promise<{ readonly paths: string[]; readonly wall: number }> {
  const paths: string[] = [];
  if (charts) {
    const { writeRunCharts } = await import("../output/charts/write-charts.js");
    const { reportParameters } = await import("../output/charts/report-parameters.js");
    const report = {
      title: `${scenario.name} (seed ${scenario.seed})`,
      ...(scenario.description === undefined ? {} : { description: scenario.description }),
      facts: run.headline.split("\n"),
      parameters: reportParameters(scenario),
    };
    paths.push(...(await writeRunCharts(outDir, report, run.written)));
  }
  const wall = (performance.now() - started) / 1000;
  // Kept apart from summary.json, whose fields are all deterministic.
  const runInfo = join(outDir, "run-info.json");
  writeFileAtomic(
    runInfo,
    `${JSON.stringify(
      {
        wallSeconds: wall,
        eventsPerSecond: run.summary.events / wall,
        node: process.version,
        finishedAt: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  paths.push(runInfo);
  return { paths, wall };
}
