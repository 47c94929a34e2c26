import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseDocument } from "yaml";
import { type Problem, ScenarioError, problemsFromIssues } from "./problems.js";
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
 * Reads, parses and validates a scenario file, then checks the names and files it refers to;
 * throws ScenarioError listing every problem.
 */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "unreadable";
    throw new ScenarioError(file, [
      { path: "(file)", message: `expected a readable file, got ${reason}` },
    ]);
  }
  const scenario = validateScenario(parseScenarioText(text, file), file);
  checkReferences(scenario, file, dirname(file));
  return scenario;
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}
