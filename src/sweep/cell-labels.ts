import { parseDuration } from "../sim/units.js";
import { parameterPairs } from "./plan.js";

/** What names a cell of a sweep: its variant and its parameters' values. */
export interface CellKey {
  readonly cell: string;
  readonly variant: string;
  /** By field path; a zipped key ("a+b") holds an array of one value per path. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** A numeric parameter that orders a sweep's cells along an axis. */
export interface CellAxis {
  /** The parameter's name (its path's last part) and unit: "period (s)", "hostsPerSite". */
  readonly title: string;
  /** Each cell's value on the axis. */
  readonly values: ReadonlyMap<string, number>;
}

/** Every swept path, in the order the sweep names them (zipped keys split). */
export function parameterPaths(cells: readonly CellKey[]): string[] {
  return [...new Set(cells.flatMap((cell) => parameterPairs(cell.parameters).map(([p]) => p)))];
}

function shown(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A parameter's value as a number: a number, or a duration ("5min": 300 s); else undefined. */
function numberOf(value: unknown): { value: number; unit: string } | undefined {
  if (typeof value === "number") return { value, unit: "" };
  if (typeof value !== "string") return undefined;
  try {
    return { value: parseDuration(value), unit: "s" };
  } catch {
    return undefined;
  }
}

/**
 * Short labels for a sweep's cells: the variant (if the sweep has several) and the values of the
 * parameters that change between cells ("centralised, 128, 1280"); and, if one changing
 * parameter is numeric and, with the variant, tells every cell apart, that parameter as an axis.
 */
export function describeCells(cells: readonly CellKey[]): {
  labels: Map<string, string>;
  axis: CellAxis | undefined;
} {
  const pairsOf = new Map(
    cells.map((cell) => [cell.cell, new Map(parameterPairs(cell.parameters))]),
  );
  const varying = parameterPaths(cells).filter(
    (path) => new Set(cells.map((cell) => shown(pairsOf.get(cell.cell)?.get(path)))).size > 1,
  );
  const variants = new Set(cells.map((cell) => cell.variant)).size > 1;
  const labels = new Map(
    cells.map((cell) => {
      const pairs = pairsOf.get(cell.cell);
      const parts = [
        ...(variants ? [cell.variant] : []),
        ...varying.map((path) => shown(pairs?.get(path))),
      ];
      return [cell.cell, parts.length === 0 ? cell.variant : parts.join(", ")];
    }),
  );
  for (const path of varying) {
    const numbers = cells.map((cell) => numberOf(pairsOf.get(cell.cell)?.get(path)));
    const units = new Set(numbers.map((n) => n?.unit));
    if (numbers.some((n) => n === undefined) || units.size !== 1) continue;
    const values = new Map(cells.map((cell, i) => [cell.cell, numbers[i]?.value ?? 0]));
    const points = new Set(cells.map((cell) => `${cell.variant} ${values.get(cell.cell)}`));
    if (points.size !== cells.length) continue;
    const unit = [...units][0] ?? "";
    const name = path.split(".").at(-1) ?? path;
    return { labels, axis: { title: unit === "" ? name : `${name} (${unit})`, values } };
  }
  return { labels, axis: undefined };
}
