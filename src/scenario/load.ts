import { dirname } from "node:path";
import { ScenarioError, problemsFromIssues } from "./problems.js";
import { parseScenarioText } from "./yaml-data.js";
import { readScenarioDocument } from "./extends.js";
import { checkReferences } from "./references.js";
import { type Scenario, scenarioSchema } from "./schema.js";
import { heapLimit, sizeProblem } from "./scenario-size.js";
import { type ScenarioRoots, scenarioRoots } from "./scenario-roots.js";

/** Validates an already-parsed document; `file` only names it in messages. */
export function validateScenario(document: unknown, file: string): Scenario {
  const result = scenarioSchema.safeParse(document, { reportInput: true });
  if (!result.success) throw new ScenarioError(file, problemsFromIssues(result.error.issues));
  return result.data;
}

export interface LoadOptions {
  /** Heap bytes a run may need (estimated from its counts); default: this process's heap limit. */
  readonly maxMemory?: number | undefined;
  /**
   * Let the scenario read files anywhere (extends, traces, policy modules); default: only in its own folder's
   * tree and skysim's scenarios/ and data/ (ScenarioRoots).
   */
  readonly allowOutside?: boolean | undefined;
}

/** Where a scenario file's files may be, under the options. */
export function rootsOf(file: string, options: LoadOptions): ScenarioRoots {
  return options.allowOutside === true ? undefined : scenarioRoots(file);
}

/**
 * Reads, parses and validates a scenario file (after merging the files it extends), checks that
 * its run fits in memory before building anything, then checks the names and files it refers to;
 * throws ScenarioError listing every problem.
 */
export function loadScenarioFile(file: string, options: LoadOptions = {}): Scenario {
  const document = readScenarioDocument(file, parseScenarioText, [], rootsOf(file, options));
  return checkedScenario(document, file, options);
}

/**
 * A parsed document (its extends merged) as a scenario: validated, its size checked against
 * memory, its references checked; throws ScenarioError. `file` names it and is where its paths
 * start from.
 */
export function checkedScenario(
  document: unknown,
  file: string,
  options: LoadOptions = {},
): Scenario {
  const scenario = validateScenario(document, file);
  const problem = sizeProblem(scenario, options.maxMemory ?? heapLimit());
  if (problem !== undefined) throw new ScenarioError(file, [problem]);
  checkReferences(scenario, file, dirname(file), rootsOf(file, options));
  return scenario;
}
