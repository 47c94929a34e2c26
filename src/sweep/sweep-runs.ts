import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../output/atomic-file.js";
import { runScenario, scenarioHash } from "../run/run-scenario.js";
import type { Scenario } from "../scenario/schema.js";
import { type SweepResult, sweepTables, tableCsv } from "./aggregate.js";
import { ParquetFile } from "../output/parquet-file.js";
import type { TableFormat } from "../output/table-file.js";
import type { SweepRun } from "./plan.js";

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
  const file = join(runFolder(outDir, run), "summary.json");
  if (!existsSync(file)) return false;
  try {
    const summary = JSON.parse(readFileSync(file, "utf8")) as { scenarioHash?: unknown };
    return summary.scenarioHash === scenarioHash(scenario);
  } catch {
    return false;
  }
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

/** Runs one run of a sweep into its folder: run.json (where it sits in the plan), then its files. */
export function executeRun(
  run: SweepRun,
  scenario: Scenario,
  options: { readonly outDir: string; readonly baseDir: string; readonly version: string },
): void {
  const folder = runFolder(options.outDir, run);
  const record: RunRecord = {
    index: run.index,
    cell: run.cell,
    variant: run.variant,
    parameters: run.parameters,
    seed: run.seed,
  };
  writeFileAtomic(join(folder, "run.json"), `${JSON.stringify(record, null, 2)}\n`);
  runScenario(scenario, { outDir: folder, version: options.version, baseDir: options.baseDir });
}

/** Every finished run found under the given sweep folders (a run found twice counts once). */
export function collectResults(dirs: readonly string[]): SweepResult[] {
  const byIndex = new Map<number, SweepResult>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const cell of readdirSync(dir, { withFileTypes: true })) {
      if (!cell.isDirectory()) continue;
      for (const seed of readdirSync(join(dir, cell.name), { withFileTypes: true })) {
        const folder = join(dir, cell.name, seed.name);
        if (!seed.isDirectory() || !existsSync(join(folder, "summary.json"))) continue;
        const record = JSON.parse(readFileSync(join(folder, "run.json"), "utf8")) as RunRecord;
        const summary = JSON.parse(readFileSync(join(folder, "summary.json"), "utf8")) as unknown;
        if (!byIndex.has(record.index)) byIndex.set(record.index, { ...record, summary });
      }
    }
  }
  return [...byIndex.values()];
}

/**
 * Writes the sweep's runs and aggregate tables into `outDir` as CSV, Parquet or both; returns
 * their paths.
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
  }
  return paths;
}
