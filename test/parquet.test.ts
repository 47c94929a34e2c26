import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { ParquetFile } from "../src/output/parquet-file.js";
import type { TableSpec } from "../src/output/table-file.js";
import { runScenario } from "../src/run/run-scenario.js";
import { loadScenarioFile } from "../src/scenario/load.js";
import { loadSweep } from "../src/sweep/load-sweep.js";
import { executeRun, plannedResults, writeAggregate } from "../src/sweep/sweep-runs.js";

function bytesOf(path: string): ArrayBuffer {
  const buffer = readFileSync(path);
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}

async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: bytesOf(path) });
}

/** A CSV file's rows as its Parquet twin holds them: numbers but in text columns, "" as null. */
function csvAsParquet(path: string, spec: Pick<TableSpec, "text">): Record<string, unknown>[] {
  return parse<Record<string, string>>(readFileSync(path, "utf8"), { columns: true }).map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, cell]) => [
        name,
        cell === "" ? null : spec.text.includes(name) ? cell : Number(cell),
      ]),
    ),
  );
}

describe("Parquet tables", () => {
  const spec: TableSpec = { name: "t", columns: ["name", "x", "note"], text: ["name", "note"] };

  it("read back as written: text, doubles, nulls for empty cells, over several row groups", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-parquet-"));
    const file = new ParquetFile(join(dir, "t.parquet"), spec, 3);
    const rows = Array.from({ length: 7 }, (_, i) => [
      `v${i}`,
      i === 4 ? "" : i / 3,
      i % 2 ? 5 : "",
    ]);
    for (const row of rows) file.write(row);
    // Nothing takes its name before commit.
    expect(readdirSync(dir)).toEqual([".t.parquet.partial"]);
    file.finish();
    file.publish();
    expect(readdirSync(dir)).toEqual(["t.parquet"]);
    const metadata = parquetMetadata(bytesOf(join(dir, "t.parquet")));
    // 7 rows in groups of 3: 3 + 3 + 1.
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([3, 3, 1]);
    expect(metadata.created_by).toBe("skysim");
    expect(await readParquet(join(dir, "t.parquet"))).toEqual(
      rows.map(([name, x, note]) => ({
        name,
        x: x === "" ? null : x,
        // A number in a text column is written as its text.
        note: note === "" ? null : String(note),
      })),
    );
  });

  it("refuses text in a column of numbers (a bug, not data)", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-parquet-"));
    const file = new ParquetFile(join(dir, "t.parquet"), spec);
    expect(() => {
      file.write(["a", "12", ""]);
    }).toThrow('column x holds numbers, got "12"');
    file.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a run's jobs, timeseries, timeline and events read back equal to their CSV twins, the same bytes twice", async () => {
    // The quick start for 6 hours (failures, restores, migrations), every table in both formats.
    const base = loadScenarioFile("scenarios/quickstart.yaml");
    const scenario = {
      ...base,
      duration: 6 * 3600,
      output: { ...base.output, trace: "events" as const, format: "both" as const },
    };
    const run = () => {
      const dir = mkdtempSync(join(tmpdir(), "skysim-both-"));
      runScenario(scenario, { outDir: dir, baseDir: "scenarios", timeline: true });
      return dir;
    };
    const [dir, again] = [run(), run()] as [string, string];
    const text: Record<string, string[]> = {
      jobs: ["vjob", "hosts", "state"],
      timeseries: ["site"],
      timeline: ["subject", "site", "what"],
      events: ["kind", "subject", "what", "where"],
    };
    for (const [name, columns] of Object.entries(text)) {
      const parquet = await readParquet(join(dir, `${name}.parquet`));
      const csv = csvAsParquet(join(dir, `${name}.csv`), { text: columns });
      expect(csv.length, name).toBeGreaterThan(10);
      expect(parquet, name).toEqual(csv);
      expect(readFileSync(join(again, `${name}.parquet`)), name).toEqual(
        readFileSync(join(dir, `${name}.parquet`)),
      );
    }
  });

  it("a sweep's runs and aggregate read back equal to their CSV twins, a column per parameter", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-sweep-parquet-"));
    const planned = loadSweep("test/fixtures/sweep/small-sweep.yaml").slice(0, 4);
    for (const { run, scenario } of planned) {
      executeRun(run, scenario, { outDir: dir, baseDir: "test/fixtures/sweep", version: "t" });
    }
    const files = writeAggregate(dir, plannedResults(dir, planned), "both");
    expect(files.map((file) => file.slice(dir.length + 1))).toEqual([
      "runs.csv",
      "runs.parquet",
      "aggregate.csv",
      "aggregate.parquet",
    ]);
    const runs = await readParquet(join(dir, "runs.parquet"));
    const text = ["cell", "variant", "workload.arrivals.interarrival"];
    expect(runs).toEqual(csvAsParquet(join(dir, "runs.csv"), { text }));
    expect(runs.map((row) => row["workload.arrivals.interarrival"])).toEqual([
      "1min",
      "1min",
      "1min",
      "3min",
    ]);
    const aggregate = await readParquet(join(dir, "aggregate.parquet"));
    expect(aggregate).toEqual(
      csvAsParquet(join(dir, "aggregate.csv"), { text: [...text, "parameters", "metric"] }),
    );
    // Written again in one format, the other's tables go: no stale aggregate.csv for compare.
    writeAggregate(dir, plannedResults(dir, planned), "parquet");
    const tables = () => readdirSync(dir).filter((name) => /\.(csv|parquet)$/.test(name));
    expect(tables()).toEqual(["aggregate.parquet", "runs.parquet"]);
    writeAggregate(dir, plannedResults(dir, planned), "csv");
    expect(tables()).toEqual(["aggregate.csv", "runs.csv"]);
  });
});
