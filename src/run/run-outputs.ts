import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { renameInto, writeTemporary } from "../output/atomic-file.js";
import { removeStaleCharts } from "../output/charts/stale-charts.js";
import { CsvFile } from "../output/csv-file.js";
import { ParquetFile } from "../output/parquet-file.js";
import {
  type TableFile,
  type TableFormat,
  RUN_TABLES,
  type TableSpec,
  TableTwins,
} from "../output/table-file.js";

/**
 * The files of one run. Tables stream into hidden temporary files while the run goes on; nothing
 * takes its final name before `commit`, after the whole run succeeded, so a run that fails before
 * leaves the folder as it was (results of an earlier run included).
 *
 * A run that fails at any point, even after its files took their names (a full disk while its
 * charts are written), removes the output folder if it made it, with the folders it made above
 * (results/<name>/<seed> and results/<name> when it made both): nothing is left half-done, and
 * no empty folder. In a folder that was there before, only its temporary files are removed.
 */
export class RunOutputs {
  private readonly tables: TableFile[] = [];
  private readonly texts: { name: string; text: string }[] = [];
  private readonly temporaries: string[] = [];
  private readonly created: boolean;
  /** The first folder of the path that this run made (the others are inside it). */
  private firstMade: string | undefined;

  constructor(
    readonly outDir: string,
    private readonly format: TableFormat = "csv",
  ) {
    this.created = !existsSync(outDir);
  }

  /** A table written as the run goes: `<name>.csv`, `<name>.parquet` or both (`format`). */
  table(spec: TableSpec): TableFile {
    this.makeFolder();
    const csv = () => new CsvFile(join(this.outDir, `${spec.name}.csv`), spec.columns);
    const parquet = () => new ParquetFile(join(this.outDir, `${spec.name}.parquet`), spec);
    const table =
      this.format === "csv"
        ? csv()
        : this.format === "parquet"
          ? parquet()
          : new TableTwins([csv(), parquet()]);
    this.tables.push(table);
    return table;
  }

  /** A small file (summary.json) written whole at commit. */
  text(name: string, text: string): void {
    this.texts.push({ name, text });
  }

  /**
   * Writes every file whole and flushes it to the disk, then gives each its final name, tables
   * first and summary.json last: a run whose summary.json exists is complete (sweeps resume on
   * that), even if the process dies while committing. A full disk fails the first step, while no
   * file has its name yet.
   */
  commit(): string[] {
    this.makeFolder();
    for (const table of this.tables) table.finish();
    const texts = this.texts.map(({ name, text }) => {
      const path = join(this.outDir, name);
      const temporary = writeTemporary(path, text);
      this.temporaries.push(temporary);
      return { path, temporary };
    });
    const paths: string[] = [];
    for (const table of this.tables) {
      table.publish();
      paths.push(...table.paths);
    }
    if (texts.length > 0) this.removeStale([...paths, ...texts.map(({ path }) => path)]);
    for (const { path, temporary } of texts) {
      renameInto(temporary, path);
      paths.push(path);
    }
    return paths;
  }

  /**
   * Removes what an earlier run left in the folder that this one did not write (`written`): its
   * tables (events.csv of a traced run), run-info.json, and its charts and report (charts/ too
   * if that empties it). Called once this run's files are all written, before its summary.json: a
   * folder never holds a file of another run beside a run's summary, nor a report linking one.
   */
  removeStale(written: readonly string[]): void {
    const keep = new Set(written.map((path) => resolve(path)));
    const runFiles = [
      ...RUN_TABLES.flatMap((name) => [`${name}.csv`, `${name}.parquet`]),
      "run-info.json",
    ].map((name) => join(this.outDir, name));
    for (const path of runFiles) {
      if (!keep.has(resolve(path))) rmSync(path, { force: true });
    }
    removeStaleCharts(join(this.outDir, "charts"), written);
  }

  /**
   * Undoes a failed run: the output folder goes if this run made it, and the folders it made
   * above it that are left empty; else its temporary files go.
   */
  abort(): void {
    for (const table of this.tables) table.abort();
    for (const temporary of this.temporaries) rmSync(temporary, { force: true });
    if (this.firstMade === undefined) return;
    rmSync(this.outDir, { recursive: true, force: true });
    const last = resolve(this.firstMade);
    let folder = resolve(this.outDir);
    while (folder !== last) {
      folder = dirname(folder);
      if (!existsSync(folder) || readdirSync(folder).length > 0) return;
      rmdirSync(folder);
    }
  }

  private makeFolder(): void {
    if (this.created && this.firstMade === undefined) {
      this.firstMade = mkdirSync(this.outDir, { recursive: true }) ?? this.outDir;
    }
  }
}
