import { dirname, resolve } from "node:path";
import { isObject } from "../is-object.js";
import { ScenarioError } from "./problems.js";
import { readScenarioText } from "./scenario-text.js";
import { type ScenarioRoots, outsideRoots } from "./scenario-roots.js";

/**
 * Reads a scenario file and, if it `extends:` another (a path relative to it), that one first,
 * recursively: the file's fields override the base's. Objects merge key by key; lists and
 * values replace, and so does an object that names another variant of a tagged union (see
 * `mergeDocuments`). Problems name the file they are in; a cycle of extends is a problem.
 */
export function readScenarioDocument(
  file: string,
  parse: (text: string, file: string) => unknown,
  chain: readonly string[] = [],
  /** Where the files it extends may be (see ScenarioRoots); default: anywhere. */
  roots?: ScenarioRoots,
): unknown {
  const document = parse(readScenarioText(file), file);
  if (!isObject(document) || !("extends" in document)) return document;
  const { extends: base, ...own } = document;
  if (typeof base !== "string") {
    throw new ScenarioError(file, [
      { path: "extends", message: `expected the path of a scenario file, got ${describe(base)}` },
    ]);
  }
  const basePath = resolve(dirname(file), base);
  const outside = outsideRoots(basePath, base, roots);
  if (outside !== undefined) throw new ScenarioError(file, [{ path: "extends", message: outside }]);
  const seen = [...chain, resolve(file)];
  if (seen.includes(basePath)) {
    throw new ScenarioError(file, [
      {
        path: "extends",
        message: `expected a file that does not extend this one, got a cycle through ${base}`,
      },
    ]);
  }
  if (seen.length >= MAX_EXTENDS_DEPTH) {
    throw new ScenarioError(file, [
      {
        path: "extends",
        message: `expected a chain of at most ${MAX_EXTENDS_DEPTH} files extending each other, got a longer one: ${shortChain([...seen, basePath])}`,
      },
    ]);
  }
  const baseDocument = readBase(basePath, base, file, parse, seen, roots);
  if (!isObject(baseDocument)) {
    throw new ScenarioError(file, [
      {
        path: "extends",
        message: `expected ${base} to hold a scenario (a mapping of fields), got ${describe(baseDocument)}`,
      },
    ]);
  }
  return mergeDocuments(baseDocument, own);
}

/** Reads the base; a base that cannot be read at all is a problem of the `extends` field. */
function readBase(
  basePath: string,
  base: string,
  file: string,
  parse: (text: string, file: string) => unknown,
  seen: readonly string[],
  roots: ScenarioRoots,
): unknown {
  try {
    return readScenarioDocument(basePath, parse, seen, roots);
  } catch (error) {
    if (
      error instanceof ScenarioError &&
      error.file === basePath &&
      error.problems.every((problem) => problem.path === "(file)")
    ) {
      throw new ScenarioError(
        file,
        error.problems.map((problem) => ({
          path: "extends",
          message: `${base}: ${problem.message}`,
        })),
      );
    }
    throw error;
  }
}

/** More than any real layering (a CI twin extends an experiment that extends a base). */
export const MAX_EXTENDS_DEPTH = 16;

/** The chain of files, the middle elided when it is long. */
function shortChain(files: readonly string[]): string {
  const shown =
    files.length <= 6 ? files : [...files.slice(0, 3), "...", ...files.slice(files.length - 2)];
  return shown.join(" -> ");
}

/** What was found, without echoing content (a file that is not a scenario may be private). */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "string" ? "text" : `a ${typeof value}`;
}

/**
 * `override` on top of `base`: objects merged key by key, everything else replaced. Below the
 * root, an object whose tag (`type`, a policy's `name`, or a policy `module`) differs from the
 * base's replaces it whole: `{ name: none }` over `{ name: entropy, objective: repair }` is "no
 * consolidation", not "none with Entropy's options". (At the root, `name` is the scenario's.)
 */
export function mergeDocuments(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override;
  return mergeFields(base, override);
}

function mergeValues(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override) || otherVariant(base, override)) return override;
  return mergeFields(base, override);
}

function mergeFields(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = key in base ? mergeValues(base[key], value) : value;
  }
  return merged;
}

const TAGS = ["type", "name", "module"] as const;

function otherVariant(base: Record<string, unknown>, override: Record<string, unknown>): boolean {
  return TAGS.some((tag) => tag in override && override[tag] !== base[tag]);
}
