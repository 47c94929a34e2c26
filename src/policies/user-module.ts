import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type { PolicyDefinition, PolicyKind } from "./policy-definition.js";
import { describeThrown, fencedDefinition } from "./policy-fence.js";

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
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`expected a policy module file at ${path}, got no such file`);
  }
  let exports: unknown;
  try {
    exports = load(path);
  } catch (error) {
    throw new Error(`expected ${path} to load, but loading it threw ${describeThrown(error)}`, {
      cause: error,
    });
  }
  const wanted = `{ kind: "${kind}", name, create(options, context) }`;
  if (typeof exports !== "object" || exports === null) {
    throw new Error(`expected ${path} to export (as default) ${wanted}, got nothing`);
  }
  const definition: unknown = (exports as { default?: unknown }).default ?? exports;
  if (typeof definition !== "object" || definition === null) {
    throw new Error(
      `expected ${path} to export (as default) ${wanted}, got a ${typeof definition}`,
    );
  }
  const shape = definition as Partial<Record<keyof PolicyDefinition<unknown>, unknown>>;
  if (typeof shape.create !== "function" || typeof shape.name !== "string") {
    throw new Error(`expected ${path} to export (as default) ${wanted}`);
  }
  if (shape.kind !== kind) {
    throw new Error(`expected ${path} to export a ${kind} policy, got kind ${String(shape.kind)}`);
  }
  return fencedDefinition(
    {
      kind,
      name: shape.name,
      description: typeof shape.description === "string" ? shape.description : "",
      create: shape.create as PolicyDefinition<unknown>["create"],
    },
    kind,
    path,
  );
}
