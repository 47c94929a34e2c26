import { mergeDocuments } from "../scenario/extends.js";
import { ScenarioError, problemsFromIssues } from "../scenario/problems.js";
import { sweepSection } from "../sweep/sweep-section.js";
import { LIMITS } from "../scenario/limits.js";

/** One run of a sweep. */
export interface SweepRun {
  /** Position in the plan: variants, then parameter combinations, then seeds, in order. */
  readonly index: number;
  /** Folder name of its cell (variant and parameter values), unique in the sweep. */
  readonly cell: string;
  readonly variant: string;
  /** Parameter path -> value as written in the file. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** The scenario document of this run (no sweep block), to validate. */
  readonly document: Record<string, unknown>;
}

const BASE_VARIANT = "base";

/**
 * Expands the `sweep:` block of a scenario document into its runs, in a fixed order. Throws a
 * ScenarioError if the document has no sweep block or the block is malformed.
 */
export function planSweep(document: unknown, file: string): SweepRun[] {
  if (typeof document !== "object" || document === null || !("sweep" in document)) {
    throw new ScenarioError(file, [
      {
        path: "sweep",
        message: "expected a sweep block (seeds, parameters, variants), got nothing",
      },
    ]);
  }
  const { sweep: raw, ...base } = document as Record<string, unknown>;
  const parsed = sweepSection.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    // Phrased as the scenario's own problems, at their paths under sweep.
    const issues = parsed.error.issues.map((issue) => ({
      ...issue,
      path: ["sweep", ...issue.path],
    }));
    throw new ScenarioError(file, problemsFromIssues(issues));
  }
  const sweep = parsed.data;
  const seeds =
    typeof sweep.seeds === "number"
      ? Array.from({ length: sweep.seeds }, (_, i) => i + 1)
      : sweep.seeds;
  const variants: [string, Record<string, unknown>][] =
    Object.keys(sweep.variants).length > 0 ? Object.entries(sweep.variants) : [[BASE_VARIANT, {}]];
  const paths = Object.keys(sweep.parameters);
  const combinations = cartesian(paths.map((path) => sweep.parameters[path] ?? []));
  const runs: SweepRun[] = [];
  for (const [variant, overrides] of variants) {
    for (const values of combinations) {
      const parameters = Object.fromEntries(paths.map((path, i) => [path, values[i]]));
      let merged = mergeDocuments(base, overrides) as Record<string, unknown>;
      for (const path of paths) merged = setParameter(merged, path, parameters[path], file);
      const cell = cellName(variant, parameters);
      if (cell.length > LIMITS.cell) {
        throw new ScenarioError(file, [
          {
            path: "sweep",
            message: `expected cell names of at most ${LIMITS.cell} characters (each names a folder), got ${cell.length} for ${cell.slice(0, 40)}...`,
          },
        ]);
      }
      for (const seed of seeds) {
        runs.push({
          index: runs.length,
          cell,
          variant,
          parameters,
          seed,
          document: { ...merged, seed },
        });
      }
    }
  }
  return runs;
}

function cartesian(lists: readonly (readonly unknown[])[]): unknown[][] {
  return lists.reduce<unknown[][]>(
    (partial, list) => partial.flatMap((prefix) => list.map((value) => [...prefix, value])),
    [[]],
  );
}

/** Each swept path and its value: a zipped key gives one pair per path. */
export function parameterPairs(parameters: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(parameters).flatMap(([key, value]): [string, unknown][] => {
    const paths = key.split("+");
    if (paths.length === 1) return [[key, value]];
    const values = Array.isArray(value) ? (value as unknown[]) : [];
    return paths.map((path, i) => [path, values[i]]);
  });
}

/**
 * A copy of `document` with the parameter set: one field path, or several joined by `+` whose
 * value is a list of as many values, one per path.
 */
function setParameter(
  document: Record<string, unknown>,
  parameter: string,
  value: unknown,
  file: string,
): Record<string, unknown> {
  const pairs = parameterPairs({ [parameter]: value });
  if (pairs.length > 1 && !(Array.isArray(value) && value.length === pairs.length)) {
    throw new ScenarioError(file, [
      {
        path: `sweep.parameters.${parameter}`,
        message: `expected lists of ${pairs.length} values (one per path), got ${JSON.stringify(value)}`,
      },
    ]);
  }
  return pairs.reduce((result, [path, one]) => setPath(result, path.split("."), one), document);
}

/** A copy of `document` with the value at `path` replaced (objects created on the way). */
function setPath(
  document: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return document;
  const inner = document[head];
  const next =
    rest.length === 0
      ? value
      : setPath(
          typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : {},
          rest,
          value,
        );
  return { ...document, [head]: next };
}

/** `variant` then `path=value` pairs, in a form safe as a folder name. */
function cellName(variant: string, parameters: Readonly<Record<string, unknown>>): string {
  const parts = [
    variant,
    ...Object.entries(parameters).map(
      ([path, value]) => `${path}=${typeof value === "string" ? value : JSON.stringify(value)}`,
    ),
  ];
  return parts.join("__").replace(/[^A-Za-z0-9._=-]/g, "_");
}
