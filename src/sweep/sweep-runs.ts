import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isObject } from "../is-object.js";
import { writeFileAtomic } from "../output/atomic-file.js";
import { runScenario, scenarioHash } from "../run/run-scenario.js";
import type { Scenario } from "../scenario/schema.js";
import { type SweepResult, sweepTables, tableCsv } from "./aggregate.js";
import { ParquetFile } from "../output/parquet-file.js";
import type { TableFormat } from "../output/table-file.js";
import type { SweepRun } from "./plan.js";
import { ResultFileError } from "./result-file-error.js";

/** Where a run of a sweep writes: `<out>/<cell>/<seed>/`. */
export function runFolder(outDir: string, run: Pick<SweepRun, "cell" | "seed">): string {
  return join(outDir, run.cell, String(run.seed));
}

/**
 * A run is done once its summary.json exists (the last file a run commits) and was made from the
 * scenario planned now: a run whose cell was edited since (another option, a new default) is
 * stale, and runs again rather than mixing two scenarios in one aggregate.
 */
export function isDone(outDir: string, run: SweepRun, scenario: Scenario): boolean {
  return doneSummary(outDir, run, scenario) !== undefined;
}

/** The summary of a run that is done (see isDone), or undefined. */
function doneSummary(outDir: string, run: SweepRun, scenario: Scenario): unknown {
  const file = join(runFolder(outDir, run), "summary.json");
  if (!existsSync(file)) return undefined;
  try {
    const summary = JSON.parse(readFileSync(file, "utf8")) as { scenarioHash?: unknown };
    return summary.scenarioHash === scenarioHash(scenario) ? summary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The results of the planned runs that are done in `outDir`, in plan order: only these, so that
 * the runs of an earlier version of the sweep left in the folder (another list of values, a
 * variant since removed) never enter its aggregate.
 */
export function plannedResults(
  outDir: string,
  planned: readonly { readonly run: SweepRun; readonly scenario: Scenario }[],
): SweepResult[] {
  return planned.flatMap(({ run, scenario }) => {
    const summary = doneSummary(outDir, run, scenario);
    return summary === undefined ? [] : [{ ...recordOf(run), summary }];
  });
}

/** The runs of shard `index` of `count` (1-based): every count-th run of the plan. */
export function shardOf<T extends { readonly run: SweepRun }>(
  planned: readonly T[],
  index: number,
  count: number,
): T[] {
  return planned.filter(({ run }) => run.index % count === index - 1);
}

/** What identifies a run in its folder, so that `merge` can place it in the plan. */
type RunRecord = Omit<SweepResult, "summary">;

function recordOf(run: SweepRun): RunRecord {
  return {
    index: run.index,
    cell: run.cell,
    variant: run.variant,
    parameters: run.parameters,
    seed: run.seed,
  };
}

/** Runs one run of a sweep into its folder: run.json (where it sits in the plan), then its files. */
export function executeRun(
  run: SweepRun,
  scenario: Scenario,
  options: { readonly outDir: string; readonly baseDir: string; readonly version: string },
): void {
  const folder = runFolder(options.outDir, run);
  writeFileAtomic(join(folder, "run.json"), `${JSON.stringify(recordOf(run), null, 2)}\n`);
  runScenario(scenario, { outDir: folder, version: options.version, baseDir: options.baseDir });
}

/**
 * Every finished run found under the given sweep folders (shards of one sweep), in plan order; a
 * run found twice counts once. Two different runs at one place of the plan (another cell, seed or
 * scenario: folders of different sweeps, or of two versions of one) are not merged: that throws a
 * ResultFileError naming both, as does a run whose files are not as a sweep writes them.
 */
export function collectResults(dirs: readonly string[]): SweepResult[] {
  const byIndex = new Map<number, { result: SweepResult; folder: string; identity: string }>();
  for (const dir of dirs) {
    for (const folder of finishedRunFolders(dir)) {
      const result = readRun(folder);
      const identity = JSON.stringify([result.cell, result.seed, result.summary.scenarioHash]);
      const found = byIndex.get(result.index);
      if (found === undefined) {
        byIndex.set(result.index, { result, folder, identity });
      } else if (found.identity !== identity) {
        throw new ResultFileError(
          folder,
          `a run of the sweep of ${found.folder}, got another run ${result.index} (a different cell, seed or scenario)`,
        );
      }
    }
  }
  return [...byIndex.values()].map(({ result }) => result).sort((a, b) => a.index - b.index);
}

/** A finished run's run.json and summary.json; a ResultFileError if they are not a sweep's. */
function readRun(folder: string): SweepResult & { readonly summary: { scenarioHash?: unknown } } {
  const json = (name: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(folder, name), "utf8"));
    } catch {
      return undefined;
    }
  };
  const record = json("run.json") as Partial<Record<keyof RunRecord, unknown>> | undefined;
  const summary = json("summary.json");
  if (
    !isObject(record) ||
    !isObject(summary) ||
    !(Number.isInteger(record.index) && (record.index as number) >= 0) ||
    typeof record.cell !== "string" ||
    typeof record.variant !== "string" ||
    !isObject(record.parameters) ||
    typeof record.seed !== "number"
  ) {
    throw new ResultFileError(
      folder,
      "a sweep run's run.json and summary.json as skysim writes them",
    );
  }
  return { ...(record as RunRecord), summary };
}

/** The folders `<dir>/<cell>/<seed>` holding a finished run (summary.json), in name order. */
export function finishedRunFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const folders = (parent: string) =>
    readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name))
      .sort();
  return folders(dir)
    .flatMap(folders)
    .filter((folder) => existsSync(join(folder, "summary.json")));
}

/**
 * Writes the sweep's runs and aggregate tables into `outDir` as CSV, Parquet or both; returns
 * their paths. Those of the other format, left by an earlier aggregate, are removed: `compare`
 * would read a stale aggregate.csv beside a new aggregate.parquet.
 */
export function writeAggregate(
  outDir: string,
  results: readonly SweepResult[],
  format: TableFormat = "csv",
): string[] {
  const paths: string[] = [];
  for (const table of Object.values(sweepTables(results))) {
    if (format !== "parquet") {
      const path = join(outDir, `${table.spec.name}.csv`);
      writeFileAtomic(path, tableCsv(table));
      paths.push(path);
    }
    if (format !== "csv") {
      const file = new ParquetFile(join(outDir, `${table.spec.name}.parquet`), table.spec);
      for (const row of table.rows) file.write(row);
      file.finish();
      file.publish();
      paths.push(...file.paths);
    }
    for (const extension of format === "csv" ? ["parquet"] : format === "parquet" ? ["csv"] : []) {
      rmSync(join(outDir, `${table.spec.name}.${extension}`), { force: true });
    }
  }
  return paths;
}
