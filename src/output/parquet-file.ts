import { closeSync, fsyncSync, mkdirSync, openSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { ParquetWriter, type SchemaElement, fileWriter } from "hyparquet-writer";
import { renameInto, temporaryOf } from "./atomic-file.js";
import type { CsvCell } from "./csv-file.js";
import { writingTo } from "./file-errors.js";
import type { TableFile, TableSpec } from "./table-file.js";

/** Rows per row group: a few MB of doubles per column, and memory stays flat. */
const ROW_GROUP = 65_536;

/**
 * The writer returns a promise only if its file writer's flush does; skysim's (hyparquet-writer's
 * fileWriter) writes synchronously, so a promise here would be a bug.
 */
function synchronous(result: void | Promise<void>): void {
  if (result instanceof Promise) throw new Error("the Parquet file writer went asynchronous");
}

/**
 * A table as an Apache Parquet file (hyparquet-writer), the CSV file's twin: text columns are
 * UTF-8 strings, the others doubles, and an empty cell is null. Rows are buffered a row group at
 * a time, then appended to a hidden temporary file that takes its name at `publish`. The bytes
 * depend only on the rows (no time or host is recorded).
 */
export class ParquetFile implements TableFile {
  private readonly temporary: string;
  private readonly writer: ParquetWriter;
  private readonly isText: readonly boolean[];
  private columns: (string | number | null)[][];
  private rows = 0;
  readonly paths: readonly string[];

  constructor(
    readonly path: string,
    private readonly table: TableSpec,
    private readonly rowGroup = ROW_GROUP,
  ) {
    this.paths = [path];
    mkdirSync(dirname(path), { recursive: true });
    this.temporary = temporaryOf(path);
    this.isText = table.columns.map((name) => table.text.includes(name));
    const schema: SchemaElement[] = [
      { name: "root", num_children: table.columns.length },
      ...table.columns.map((name, i): SchemaElement =>
        this.isText[i] === true
          ? { name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" }
          : { name, type: "DOUBLE", repetition_type: "OPTIONAL" },
      ),
    ];
    this.writer = new ParquetWriter({
      writer: fileWriter(this.temporary),
      schema,
      createdBy: "skysim",
    });
    this.columns = table.columns.map(() => []);
  }

  write(row: CsvCell[]): void {
    this.table.columns.forEach((name, i) => {
      const cell = row[i] ?? "";
      const column = this.columns[i] as (string | number | null)[];
      if (cell === "") column.push(null);
      else if (this.isText[i] === true) column.push(String(cell));
      else if (typeof cell === "number") column.push(cell);
      else throw new TypeError(`${this.path}: column ${name} holds numbers, got "${cell}"`);
    });
    if (++this.rows === this.rowGroup) this.flush();
  }

  /** Writes the last row group and the footer, and flushes the file to the disk (fsync). */
  finish(): void {
    this.flush();
    writingTo(this.path, () => {
      synchronous(this.writer.finish());
      const fd = openSync(this.temporary, "r+");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
  }

  publish(): void {
    renameInto(this.temporary, this.path);
  }

  abort(): void {
    rmSync(this.temporary, { force: true });
  }

  private flush(): void {
    if (this.rows === 0) return;
    writingTo(this.path, () => {
      synchronous(
        this.writer.write({
          columnData: this.table.columns.map((name, i) => ({ name, data: this.columns[i] ?? [] })),
          rowGroupSize: this.rows,
        }),
      );
    });
    this.columns = this.table.columns.map(() => []);
    this.rows = 0;
  }
}
