import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import type { Scenario } from "../scenario/schema.js";
import { DEFAULT_PROGRESS_EVERY, sweepProgress } from "./progress.js";
import { UsageError } from "./usage-error.js";

function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1 && index >= 1 && index <= count)) {
    throw new UsageError(`--shard: expected i/n with 1 <= i <= n, got "${text}"`);
  }
  return { index, count };
}

/** `skysim sweep FILE`: runs what is not done yet of the sweep (or of one shard), then aggregates. */
export async function sweepCommand(argv: {
  file: string;
  jobs?: number | undefined;
  shard?: string | undefined;
  out?: string | undefined;
  progressEvery?: number | undefined;
  version: string;
  maxMemory?: number | undefined;
  allowOutside?: boolean | undefined;
  /** Starts watching the user policy modules the sweep's scenarios run. */
  watch: (scenarios: readonly Scenario[]) => Promise<void>;
}): Promise<void> {
  const { loadSweep } = await import("../sweep/load-sweep.js");
  const { finishedRunFolders, isDone, plannedResults, runFolder, shardOf, writeAggregate } =
    await import("../sweep/sweep-runs.js");
  const { runPool } = await import("./sweep-pool.js");
  const shard = parseShard(argv.shard);
  const jobs = argv.jobs ?? availableParallelism();
  if (!(Number.isInteger(jobs) && jobs >= 1)) {
    throw new UsageError(`--jobs: expected an integer >= 1, got ${jobs}`);
  }
  const planned = loadSweep(argv.file, {
    maxMemory: argv.maxMemory,
    allowOutside: argv.allowOutside,
  });
  await argv.watch(planned.map((p) => p.scenario));
  const name = planned[0]?.scenario.name ?? "sweep";
  // Where the notebooks look (src/sweep/experiment-results.ts): results/<scenario name>.
  const outDir = argv.out ?? join("results", name);
  const mine = shard === undefined ? planned : shardOf(planned, shard.index, shard.count);
  const todo = mine.filter((p) => !isDone(outDir, p.run, p.scenario));
  process.stdout.write(
    `${argv.file}: ${planned.length} runs in the sweep, ${mine.length} in this ${shard === undefined ? "sweep" : `shard ${shard.index}/${shard.count}`}, ${mine.length - todo.length} already done, ${todo.length} to run on ${Math.min(jobs, Math.max(todo.length, 1))} thread(s)\n`,
  );
  await runPool(todo, {
    outDir,
    baseDir: dirname(argv.file),
    version: argv.version,
    jobs,
    onRunDone: sweepProgress(todo.length, argv.progressEvery ?? DEFAULT_PROGRESS_EVERY),
  });
  const format = planned[0]?.scenario.output.format ?? "csv";
  const files = writeAggregate(outDir, plannedResults(outDir, planned), format);
  files.push(...(await writeComparison([outDir], outDir)));
  const ours = new Set(planned.map(({ run }) => runFolder(outDir, run)));
  const others = finishedRunFolders(outDir).filter((folder) => !ours.has(folder));
  process.stdout.write(
    [
      ...(others.length === 0
        ? []
        : [
            `${others.length} finished run(s) in ${outDir} are not of this sweep (of an earlier version of it?), left out of its aggregate: ${others.join(", ")}`,
          ]),
      ...files.map((file) => `wrote ${file}`),
      "",
    ].join("\n"),
  );
}

/** `skysim merge DIR...`: one aggregate of the runs found in several sweep (shard) folders. */
export async function mergeCommand(argv: {
  dirs: string[];
  out?: string | undefined;
  format: "csv" | "parquet" | "both";
}): Promise<void> {
  const { collectResults, writeAggregate } = await import("../sweep/sweep-runs.js");
  const results = collectResults(argv.dirs);
  if (results.length === 0)
    throw new UsageError(`merge: no finished sweep run in ${argv.dirs.join(", ")}`);
  const outDir = argv.out ?? argv.dirs[0] ?? ".";
  const files = writeAggregate(outDir, results, argv.format);
  process.stdout.write(
    `${results.length} runs merged\n${files.map((f) => `wrote ${f}\n`).join("")}`,
  );
}

/**
 * Comparison charts of sweep folders into `<outDir>/comparison/`; returns the paths written.
 * Charts an earlier comparison left there and this one does not draw go.
 */
async function writeComparison(
  dirs: readonly string[],
  outDir: string,
  metrics?: readonly string[],
): Promise<string[]> {
  const { HEADLINE_METRICS, comparisonRows, readSweeps } = await import("../sweep/compare.js");
  const { writeComparisonCharts } = await import("../output/charts/write-charts.js");
  const { removeStaleCharts } = await import("../output/charts/stale-charts.js");
  const sweeps = readSweeps(dirs);
  let written: string[] = [];
  if (typeof sweeps !== "string") {
    const { rows, axis } = comparisonRows(sweeps);
    const title = `Comparison of ${dirs.join(", ")}`;
    written = await writeComparisonCharts(title, rows, outDir, metrics ?? HEADLINE_METRICS, axis);
  }
  removeStaleCharts(join(outDir, "comparison"), written);
  return written;
}

/** `skysim compare DIR...`: each sweep's metrics side by side, a column per cell. */
export async function compareCommand(argv: {
  dirs: string[];
  metrics?: string | undefined;
  out?: string | undefined;
}): Promise<void> {
  const { compareTable, readSweeps } = await import("../sweep/compare.js");
  const wanted = argv.metrics?.split(",").filter((m) => m !== "");
  const sweeps = readSweeps(argv.dirs);
  if (typeof sweeps === "string") {
    // A sweep written in Parquet only has its aggregate, but not the CSV that compare reads.
    const parquetOnly = existsSync(join(sweeps, "aggregate.parquet"));
    throw new UsageError(
      parquetOnly
        ? `compare: ${sweeps} has its aggregate in Parquet only (output.format: parquet), and compare reads aggregate.csv: write it with skysim merge ${sweeps} --out ${sweeps} --format both`
        : `compare: no aggregate.csv in ${sweeps} (run skysim sweep or merge)`,
    );
  }
  const tables = sweeps.map((sweep) => compareTable(sweep, wanted));
  // Charts only where --out says: the folders compared are results, not scratch space.
  const charts = argv.out === undefined ? [] : await writeComparison(argv.dirs, argv.out, wanted);
  process.stdout.write(
    `${tables.join("\n\n")}\n${charts.map((file) => `wrote ${file}\n`).join("")}`,
  );
}
