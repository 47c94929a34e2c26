import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { stringify } from "csv-stringify/sync";
import { renameInto, temporaryOf } from "./atomic-file.js";
import { writingTo } from "./file-errors.js";
import type { TableFile } from "./table-file.js";

export type CsvCell = string | number;

/**
 * A CSV file written while the simulation runs: rows are buffered a few thousand at a time,
 * turned into text by csv-stringify and appended to a hidden temporary file, so memory stays flat
 * however long the run. `finish` flushes it to the disk, `publish` renames it over the target
 * (readers never see half a file, even after a kill); `abort` deletes it.
 */
export class CsvFile implements TableFile {
  private readonly temporary: string;
  private readonly fd: number;
  private buffer: CsvCell[][] = [];
  private headerWritten = false;
  private open = true;
  rows = 0;
  readonly paths: readonly string[];

  constructor(
    readonly path: string,
    private readonly columns: readonly string[],
    private readonly flushEvery = 4096,
  ) {
    this.paths = [path];
    mkdirSync(dirname(path), { recursive: true });
    this.temporary = temporaryOf(path);
    this.fd = openSync(this.temporary, "w");
  }

  write(row: CsvCell[]): void {
    this.buffer.push(row);
    this.rows++;
    if (this.buffer.length >= this.flushEvery) this.flush();
  }

  /** Flushes the rows to the disk (fsync). */
  finish(): void {
    this.flush();
    writingTo(this.path, () => {
      fsyncSync(this.fd);
    });
    this.close();
  }

  publish(): void {
    renameInto(this.temporary, this.path);
  }

  abort(): void {
    if (this.open) this.close();
    rmSync(this.temporary, { force: true });
  }

  private flush(): void {
    if (this.buffer.length === 0 && this.headerWritten) return;
    const text = stringify(this.buffer, {
      header: !this.headerWritten,
      columns: [...this.columns],
    });
    this.headerWritten = true;
    this.buffer = [];
    // writeFileSync on a descriptor appends, and loops until every byte is written.
    writingTo(this.path, () => {
      writeFileSync(this.fd, text);
    });
  }

  private close(): void {
    closeSync(this.fd);
    this.open = false;
  }
}
