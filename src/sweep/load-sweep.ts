import { readScenarioDocument } from "../scenario/extends.js";
import { type LoadOptions, checkedScenario, loadScenarioFile, rootsOf } from "../scenario/load.js";
import { parseScenarioText } from "../scenario/yaml-data.js";
import { type Problem, ScenarioError } from "../scenario/problems.js";
import type { Scenario } from "../scenario/schema.js";
import { type SweepRun, planSweep } from "./plan.js";

export interface PlannedRun {
  readonly run: SweepRun;
  readonly scenario: Scenario;
}

/**
 * What `skysim validate` checks of a file: the scenario as `run` would run it, then, if it has a
 * sweep block, every run `sweep` would (loadSweep). Throws ScenarioError.
 */
export function checkScenarioFile(file: string, options: LoadOptions = {}): void {
  if (loadScenarioFile(file, options).sweep !== undefined) loadSweep(file, options);
}

/**
 * Reads a scenario file with a sweep block and validates every run it describes before any runs:
 * a problem in one cell is reported once (seeds change nothing else), with the cell's name.
 */
export function loadSweep(file: string, options: LoadOptions = {}): PlannedRun[] {
  const runs = planSweep(
    readScenarioDocument(file, parseScenarioText, [], rootsOf(file, options)),
    file,
  );
  const problems: Problem[] = [];
  const planned: PlannedRun[] = [];
  const badCells = new Set<string>();
  for (const run of runs) {
    if (badCells.has(run.cell)) continue;
    try {
      planned.push({ run, scenario: checkedScenario(run.document, file, options) });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      badCells.add(run.cell);
      for (const problem of error.problems) {
        problems.push({ path: `[${run.cell}] ${problem.path}`, message: problem.message });
      }
    }
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
  return planned;
}
