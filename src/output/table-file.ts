import type { CsvCell } from "./csv-file.js";

/** A table a run writes: its file name without extension, its columns, which hold text. */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly string[];
  /** Columns of text; the others hold numbers, or "" where there is none. */
  readonly text: readonly string[];
}

/**
 * The tables a run may write into its folder (`<name>.csv`, `<name>.parquet`): jobs always,
 * timeseries and timeline for a vjobs workload (timeline with charts), events when traced.
 */
export const RUN_TABLES = ["jobs", "timeseries", "timeline", "events"] as const;

/** The formats a run's tables are written in (`output.format`). */
export type TableFormat = "csv" | "parquet" | "both";

/**
 * A table written while the simulation runs, row by row, into a hidden temporary file that takes
 * its name at `publish` (readers never see half a file); `abort` deletes it. `finish` writes what
 * is left and flushes it to the disk: a full disk shows there, before any file of a run is named.
 */
export interface TableFile {
  /** The file(s) it becomes at publish. */
  readonly paths: readonly string[];
  write(row: CsvCell[]): void;
  finish(): void;
  publish(): void;
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

  finish(): void {
    for (const file of this.files) file.finish();
  }

  publish(): void {
    for (const file of this.files) file.publish();
  }

  abort(): void {
    for (const file of this.files) file.abort();
  }
}
