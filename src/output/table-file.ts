import type { CsvCell } from "./csv-file.js";

/** A table a run writes: its file name without extension, its columns, which hold text. */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly string[];
  /** Columns of text; the others hold numbers, or "" where there is none. */
  readonly text: readonly string[];
}

/** The formats a run's tables are written in (`output.format`). */
export type TableFormat = "csv" | "parquet" | "both";

/**
 * A table written while the simulation runs, row by row, into a hidden temporary file that takes
 * its name at `commit` (readers never see half a file); `abort` deletes it.
 */
export interface TableFile {
  /** The file(s) it becomes at commit. */
  readonly paths: readonly string[];
  write(row: CsvCell[]): void;
  commit(): void;
  abort(): void;
}

/** One table written in several formats at once (CSV and Parquet twins). */
export class TableTwins implements TableFile {
  constructor(private readonly files: readonly TableFile[]) {}

  get paths(): readonly string[] {
    return this.files.flatMap((file) => file.paths);
  }

  write(row: CsvCell[]): void {
    for (const file of this.files) file.write(row);
  }

  commit(): void {
    for (const file of this.files) file.commit();
  }

  abort(): void {
    for (const file of this.files) file.abort();
  }
}
