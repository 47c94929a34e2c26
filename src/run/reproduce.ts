import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadScenarioFile } from "../scenario/load.js";
import { runScenario } from "./run-scenario.js";
import { isObject } from "../is-object.js";

/** A field of summary.json whose value differs from the expected one (undefined: absent). */
export interface Difference {
  readonly path: string;
  readonly expected: unknown;
  readonly got: unknown;
}

export interface Reproduction {
  /** The scenario file that ran: `<name>.ci.yaml` if the experiment has one, else `<name>.yaml`. */
  readonly file: string;
  readonly expectedFile: string;
  /** True when summary.json, without its `skysim` version, is the expected file byte for byte. */
  readonly identical: boolean;
  readonly differences: readonly Difference[];
  /** The run's summary as compared (the text of the expected file when identical). */
  readonly text: string;
}

/** The experiments that have an expected summary in `scenariosDir/expected/`. */
export function experimentNames(scenariosDir: string): string[] {
  const dir = join(scenariosDir, "expected");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

/**
 * Runs an experiment at CI size (its scenario without its sweep block, into `outDir`) and
 * compares its summary.json with the checked-in `expected/<name>.json`, all but the `skysim`
 * version field (the only deterministic field that changes with each release). With `update`,
 * the expected file is rewritten instead.
 */
export function reproduce(
  name: string,
  options: {
    readonly scenariosDir: string;
    readonly outDir: string;
    readonly version: string;
    readonly update?: boolean;
  },
): Reproduction {
  const ci = join(options.scenariosDir, `${name}.ci.yaml`);
  const file = existsSync(ci) ? ci : join(options.scenariosDir, `${name}.yaml`);
  const expectedFile = join(options.scenariosDir, "expected", `${name}.json`);
  const scenario = loadScenarioFile(file);
  const { summary } = runScenario(
    { ...scenario, output: { ...scenario.output, charts: false } },
    { outDir: options.outDir, version: options.version, baseDir: options.scenariosDir },
  );
  const compared = Object.fromEntries(Object.entries(summary).filter(([key]) => key !== "skysim"));
  const text = `${JSON.stringify(compared, null, 2)}\n`;
  if (options.update === true) writeFileSync(expectedFile, text);
  const expectedText = existsSync(expectedFile) ? readFileSync(expectedFile, "utf8") : "{}\n";
  if (expectedText === text) return { file, expectedFile, identical: true, differences: [], text };
  return {
    file,
    expectedFile,
    identical: false,
    differences: differencesOf(JSON.parse(expectedText) as unknown, compared),
    text,
  };
}

/** Every leaf path where the two documents differ, in the order of the expected one. */
function differencesOf(expected: unknown, got: unknown, path = ""): Difference[] {
  if (isObject(expected) && isObject(got)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(got)])];
    return keys.flatMap((key) =>
      differencesOf(expected[key], got[key], path === "" ? key : `${path}.${key}`),
    );
  }
  return Object.is(expected, got) || JSON.stringify(expected) === JSON.stringify(got)
    ? []
    : [{ path, expected, got }];
}
