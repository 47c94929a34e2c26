import { existsSync, realpathSync } from "node:fs";
import { dirname, relative, resolve, isAbsolute } from "node:path";
import { packageFile } from "../package-files.js";

/**
 * The folders a scenario's files (extends, traces, policy modules) may come from: the tree of the scenario file's
 * own folder, and skysim's shipped scenarios/ and data/. A path elsewhere (`../../etc/passwd`) is
 * not what a scenario's author could mean unless they say so (`--allow-outside`). Symbolic links
 * are followed before the check. Undefined roots: anywhere.
 */
export type ScenarioRoots = readonly string[] | undefined;

export function scenarioRoots(scenarioFile: string): string[] {
  return [dirname(resolve(scenarioFile)), packageFile("scenarios"), packageFile("data")]
    .filter((folder) => existsSync(folder))
    .map((folder) => realpathSync(folder));
}

/** Why `path` (a file a scenario names, `name` as written) may not be read; undefined if it may. */
export function outsideRoots(path: string, name: string, roots: ScenarioRoots): string | undefined {
  if (roots === undefined) return undefined;
  const real = existsSync(path) ? realpathSync(path) : resolve(path);
  const inside = roots.some((root) => {
    const rest = relative(root, real);
    return rest === "" || (!rest.startsWith("..") && !isAbsolute(rest));
  });
  if (inside) return undefined;
  return `expected a file in the scenario's folder (${roots[0] ?? "?"}) or below it, or in skysim's scenarios/ or data/ (--allow-outside reads any), got ${name}`;
}
