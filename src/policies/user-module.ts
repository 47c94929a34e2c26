import { createRequire } from "node:module";
import { resolve } from "node:path";
import type { PolicyDefinition, PolicyKind } from "./policy-definition.js";

const load = createRequire(import.meta.url);

/**
 * Loads a user's policy module (a .js, .mjs or .cjs file; relative paths from `baseDir`, the
 * scenario's folder): its default export must be a definition of the `kind` expected, with a name
 * and a create(options, context) function. Loaded synchronously (Node's require of ES modules),
 * so a run stays a plain function call. Throws an Error saying what is wrong.
 */
export function loadUserPolicy(
  file: string,
  kind: PolicyKind,
  baseDir: string,
): PolicyDefinition<unknown> {
  const path = resolve(baseDir, file);
  let exports: unknown;
  try {
    exports = load(path);
  } catch (error) {
    throw new Error(`cannot load ${path}: ${(error as Error).message.split("\n", 1)[0] ?? ""}`, {
      cause: error,
    });
  }
  const definition = (exports as { default?: unknown }).default ?? exports;
  const shape = definition as Partial<Record<keyof PolicyDefinition<unknown>, unknown>>;
  if (typeof shape.create !== "function" || typeof shape.name !== "string") {
    throw new Error(
      `expected ${path} to export (as default) { kind: "${kind}", name, create(options, context) }`,
    );
  }
  if (shape.kind !== kind) {
    throw new Error(`expected ${path} to export a ${kind} policy, got kind ${String(shape.kind)}`);
  }
  return definition as PolicyDefinition<unknown>;
}
