import { dirname } from "node:path";
import { parseDocument } from "yaml";
import { type Problem, ScenarioError, problemsFromIssues } from "./problems.js";
import { readScenarioDocument } from "./extends.js";
import { checkReferences } from "./references.js";
import { type Scenario, scenarioSchema } from "./schema.js";

/** Validates an already-parsed document; `file` only names it in messages. */
export function validateScenario(document: unknown, file: string): Scenario {
  const result = scenarioSchema.safeParse(document, { reportInput: true });
  if (!result.success) throw new ScenarioError(file, problemsFromIssues(result.error.issues));
  return result.data;
}

/** Parses YAML (JSON is YAML too) and reports every syntax error with its line and column. */
export function parseScenarioText(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const problems: Problem[] = document.errors.map((error) => {
      const at = error.linePos?.[0];
      const where = at === undefined ? "(syntax)" : `line ${at.line}, column ${at.col}`;
      return { path: where, message: `expected valid YAML or JSON: ${firstLine(error.message)}` };
    });
    throw new ScenarioError(file, problems);
  }
  return document.toJS() as unknown;
}

/**
 * Reads, parses and validates a scenario file (after merging the files it extends), then checks the
 * names and files it refers to; throws ScenarioError listing every problem.
 */
export function loadScenarioFile(file: string): Scenario {
  const document = readScenarioDocument(file, parseScenarioText);
  const scenario = validateScenario(document, file);
  checkReferences(scenario, file, dirname(file));
  return scenario;
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}
