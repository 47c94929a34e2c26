import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ScenarioError } from "./problems.js";

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
): unknown {
  const text = readScenarioText(file);
  const document = parse(text, file);
  if (!isObject(document) || !("extends" in document)) return document;
  const { extends: base, ...own } = document;
  if (typeof base !== "string") {
    throw new ScenarioError(file, [
      {
        path: "extends",
        message: `expected the path of a scenario file, got ${JSON.stringify(base)}`,
      },
    ]);
  }
  const basePath = resolve(dirname(file), base);
  const seen = [...chain, resolve(file)];
  if (seen.includes(basePath)) {
    throw new ScenarioError(file, [
      {
        path: "extends",
        message: `expected a file that does not extend this one, got a cycle through ${base}`,
      },
    ]);
  }
  return mergeDocuments(readScenarioDocument(basePath, parse, seen), own);
}

function readScenarioText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "unreadable";
    throw new ScenarioError(file, [
      { path: "(file)", message: `expected a readable file, got ${reason}` },
    ]);
  }
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
