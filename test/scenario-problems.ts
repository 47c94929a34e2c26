import { ScenarioError } from "../src/scenario/index.js";

/** The lines of the ScenarioError that `load` throws, or [] if it throws none. */
export function problemLines(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split("\n");
    throw error;
  }
  return [];
}
