import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { deviation, mean } from "d3-array";
import { isObject } from "../is-object.js";
import { parameterPaths } from "./cell-labels.js";
import { ResultFileError } from "./result-file-error.js";
import { parameterPairs } from "./plan.js";
import { studentT975 } from "./student-t.js";
import type { TableSpec } from "../output/table-file.js";

/** What a finished run of a sweep left: where it sits in the plan, and its summary. */
export interface SweepResult {
  readonly index: number;
  readonly cell: string;
  readonly variant: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly summary: unknown;
}

/** Every number of a summary by its dotted path ("cloud.migrations.bytes"), but the seed. */
export function metricsOf(summary: unknown, prefix = ""): Map<string, number> {
  const metrics = new Map<string, number>();
  if (typeof summary !== "object" || summary === null) return metrics;
  for (const [key, value] of Object.entries(summary)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (path === "seed") continue;
    if (typeof value === "number") metrics.set(path, value);
    else for (const [inner, number] of metricsOf(value, path)) metrics.set(inner, number);
  }
  return metrics;
}

/** A parameter's value in a table cell: as the scenario writes it ("5min", 64), JSON otherwise. */
function cellOf(value: unknown): string | number {
  if (typeof value === "string" || typeof value === "number") return value;
  return value === undefined ? "" : JSON.stringify(value);
}

/** A table of a sweep: what it is (columns, which hold text) and its rows. */
export interface SweepTable {
  readonly spec: TableSpec;
  readonly rows: readonly (string | number)[][];
}

/**
 * The runs table (one row per run, in plan order: its cell, variant, a column per swept
 * parameter, its seed, then a column per metric) and the aggregate table (per cell and metric:
 * the variant, the parameters as JSON and a column each, runs, mean, standard deviation, 95%
 * confidence interval of the mean by Student's t). A zipped parameter ("a+b") has a column per
 * path; a parameter column holds text if any value is not a number. The same set of results
 * gives the same tables, whatever order they came in.
 */
export function sweepTables(results: readonly SweepResult[]): {
  runs: SweepTable;
  aggregate: SweepTable;
} {
  const sorted = [...results].sort((a, b) => a.index - b.index);
  const metricsByRun = sorted.map((r) => metricsOf(r.summary));
  const names = [...new Set(metricsByRun.flatMap((m) => [...m.keys()]))].sort();
  const paths = parameterPaths(sorted);
  const parameterCells = (parameters: Readonly<Record<string, unknown>>) => {
    const values = new Map(parameterPairs(parameters));
    return paths.map((path) => cellOf(values.get(path)));
  };
  const textPaths = paths.filter((_, i) =>
    sorted.some((r) => typeof parameterCells(r.parameters)[i] === "string"),
  );
  const runs = sorted.map((r, i) => [
    r.index,
    r.cell,
    r.variant,
    ...parameterCells(r.parameters),
    r.seed,
    ...names.map((name) => metricsByRun[i]?.get(name) ?? ""),
  ]);
  const cells = [...new Set(sorted.map((r) => r.cell))];
  const rows: (string | number)[][] = [];
  for (const cell of cells) {
    const members = sorted
      .map((r, i) => ({ r, m: metricsByRun[i] }))
      .filter((x) => x.r.cell === cell);
    const first = members[0]?.r;
    for (const name of names) {
      const values = members.flatMap(({ m }) => {
        const value = m?.get(name);
        return value === undefined ? [] : [value];
      });
      if (values.length === 0) continue;
      const average = mean(values) ?? 0;
      const sd = deviation(values);
      const half =
        sd === undefined
          ? undefined
          : (studentT975(values.length - 1) * sd) / Math.sqrt(values.length);
      rows.push([
        cell,
        first?.variant ?? "",
        JSON.stringify(first?.parameters ?? {}),
        ...parameterCells(first?.parameters ?? {}),
        name,
        values.length,
        average,
        sd ?? "",
        half === undefined ? "" : average - half,
        half === undefined ? "" : average + half,
      ]);
    }
  }
  return {
    runs: {
      spec: {
        name: "runs",
        columns: ["run", "cell", "variant", ...paths, "seed", ...names],
        text: ["cell", "variant", ...textPaths],
      },
      rows: runs,
    },
    aggregate: {
      spec: {
        name: "aggregate",
        columns: [
          "cell",
          "variant",
          "parameters",
          ...paths,
          "metric",
          "runs",
          "mean",
          "sd",
          "ci95Low",
          "ci95High",
        ],
        text: ["cell", "variant", "parameters", ...textPaths, "metric"],
      },
      rows,
    },
  };
}

/** A sweep table as CSV text. */
export function tableCsv(table: SweepTable): string {
  return stringify([...table.rows], { header: true, columns: [...table.spec.columns] });
}

/** runs.csv and aggregate.csv of a sweep's results (sweepTables). */
export function aggregateSweep(results: readonly SweepResult[]): {
  runsCsv: string;
  aggregateCsv: string;
} {
  const { runs, aggregate } = sweepTables(results);
  return { runsCsv: tableCsv(runs), aggregateCsv: tableCsv(aggregate) };
}

/** A row of aggregate.csv, numbers parsed: one metric of one cell over its runs. */
export interface AggregateEntry {
  readonly cell: string;
  readonly variant: string;
  /** The swept parameters' values, by field path, as the scenario writes them ("5min"). */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly metric: string;
  readonly runs: number;
  readonly mean: number;
  /**
   * The 95% confidence interval of the mean (Student's t). A cell of a single run has none (its
   * fields are empty in the file): it collapses onto the mean.
   */
  readonly low: number;
  readonly high: number;
}

/** The columns of aggregate.csv that readers use. */
const AGGREGATE_COLUMNS = [
  "cell",
  "variant",
  "parameters",
  "metric",
  "runs",
  "mean",
  "ci95Low",
  "ci95High",
] as const;

/**
 * The rows of an aggregate.csv as aggregateSweep writes it, in its order; `file` names it in the
 * ResultFileError thrown if it is not such a file.
 */
export function parseAggregateCsv(csv: string, file = "aggregate.csv"): AggregateEntry[] {
  type Row = Record<(typeof AGGREGATE_COLUMNS)[number], string>;
  let rows: Row[];
  try {
    rows = parse<Row>(csv, { columns: true, skip_empty_lines: true });
  } catch (error) {
    // Its code and line, not csv-parse's message, which may quote a field.
    const { code, lines } = error as { code?: unknown; lines?: unknown };
    throw new ResultFileError(
      file,
      `CSV as skysim writes it, got ${String(code)} at line ${String(lines)}`,
    );
  }
  const first = rows[0];
  const missing =
    first === undefined ? [] : AGGREGATE_COLUMNS.filter((column) => !(column in first));
  if (missing.length > 0) {
    throw new ResultFileError(
      file,
      `the columns of a sweep's aggregate, got none named ${missing.join(", ")}`,
    );
  }
  return rows.map((row, i) => {
    const line = `line ${i + 2}`;
    const number = (column: "runs" | "mean" | "ci95Low" | "ci95High") => {
      const value = row[column];
      const parsed = Number(value);
      if (value.trim() === "" || !Number.isFinite(parsed)) {
        throw new ResultFileError(file, `a number in column ${column} of ${line}`);
      }
      return parsed;
    };
    let parameters: unknown;
    try {
      parameters = JSON.parse(row.parameters);
    } catch {
      parameters = undefined;
    }
    if (!isObject(parameters)) {
      throw new ResultFileError(file, `the parameters of ${line} as a JSON object`);
    }
    const average = number("mean");
    const bound = (column: "ci95Low" | "ci95High") =>
      row[column] === "" ? average : number(column);
    return {
      cell: row.cell,
      variant: row.variant,
      parameters,
      metric: row.metric,
      runs: number("runs"),
      mean: average,
      low: bound("ci95Low"),
      high: bound("ci95High"),
    };
  });
}
