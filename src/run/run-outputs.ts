import { existsSync, mkdirSync, readdirSync, rmdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "../output/atomic-file.js";
import { CsvFile } from "../output/csv-file.js";
import { ParquetFile } from "../output/parquet-file.js";
import {
  type TableFile,
  type TableFormat,
  type TableSpec,
  TableTwins,
} from "../output/table-file.js";

/**
 * The files of one run. Tables stream into hidden temporary files while the run goes on; nothing
 * takes its final name before `commit`, after the whole run succeeded, so a failed run leaves the
 * folder as it was (results of an earlier run included) and the folders it created are removed
 * (results/<name>/<seed> and results/<name> when it made both).
 */
export class RunOutputs {
  private readonly tables: TableFile[] = [];
  private readonly texts: { name: string; text: string }[] = [];
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
    if (this.tables.length === 0 && this.created) {
      this.firstMade = mkdirSync(this.outDir, { recursive: true });
    }
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
   * Gives every file its final name, tables first and summary.json last: a run whose summary.json
   * exists is complete (sweeps resume on that), even if the process dies while committing.
   */
  commit(): string[] {
    const paths: string[] = [];
    for (const table of this.tables) {
      table.commit();
      paths.push(...table.paths);
    }
    for (const { name, text } of this.texts) {
      const path = join(this.outDir, name);
      writeFileAtomic(path, text);
      paths.push(path);
    }
    return paths;
  }

  /** Deletes the temporary files, and the folders this run made that are left empty. */
  abort(): void {
    for (const table of this.tables) table.abort();
    if (this.firstMade === undefined) return;
    const last = resolve(this.firstMade);
    for (let folder = resolve(this.outDir); ; folder = dirname(folder)) {
      if (!existsSync(folder) || readdirSync(folder).length > 0) return;
      rmdirSync(folder);
      if (folder === last || dirname(folder) === folder) return;
    }
  }
}
