import { dirname } from "node:path";
import { ScenarioError, problemsFromIssues } from "./problems.js";
import { parseScenarioText } from "./yaml-data.js";
import { readScenarioDocument } from "./extends.js";
import { checkReferences } from "./references.js";
import { type Scenario, scenarioSchema } from "./schema.js";
import { heapLimit, sizeProblem } from "./scenario-size.js";

/** Validates an already-parsed document; `file` only names it in messages. */
export function validateScenario(document: unknown, file: string): Scenario {
  const result = scenarioSchema.safeParse(document, { reportInput: true });
  if (!result.success) throw new ScenarioError(file, problemsFromIssues(result.error.issues));
  return result.data;
}

export interface LoadOptions {
  /** Heap bytes a run may need (estimated from its counts); default: this process's heap limit. */
  readonly maxMemory?: number | undefined;
}

/**
 * Reads, parses and validates a scenario file (after merging the files it extends), checks that
 * its run fits in memory before building anything, then checks the names and files it refers to;
 * throws ScenarioError listing every problem.
 */
export function loadScenarioFile(file: string, options: LoadOptions = {}): Scenario {
  return checkedScenario(readScenarioDocument(file, parseScenarioText), file, options);
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
  checkReferences(scenario, file, dirname(file));
  return scenario;
}
