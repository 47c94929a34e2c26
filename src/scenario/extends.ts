import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ScenarioError } from "./problems.js";

/**
 * Reads a scenario file and, if it `extends:` another (a path relative to it), that one first,
 * recursively: the file's fields override the base's. Objects merge key by key; lists and
 * values replace. Problems name the file they are in; a cycle of extends is a problem.
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

/** `override` on top of `base`: objects merged key by key, everything else replaced. */
export function mergeDocuments(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = key in base ? mergeDocuments(base[key], value) : value;
  }
  return merged;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
