import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The rule is checked against the project's real ESLint configuration, on files that exist (typed
// linting needs them in the TypeScript project): one model file and the CLI entry point.
const MODEL_FILE = "src/sim/simulation.ts";
const CLI_FILE = "src/cli/main.ts";

const forbidden = [
  ["Math.random", "export const x = Math.random();"],
  ["Date.now", "export const x = Date.now();"],
  ["performance.now", "export const x = performance.now();"],
  ["new Date()", "export const x = new Date();"],
  ["setTimeout", "setTimeout(() => undefined, 10);"],
  ["setInterval", "setInterval(() => undefined, 10);"],
  ["node:timers", 'import { setTimeout as wait } from "node:timers";\nexport const w = wait;'],
  ["process", "export const argv = process.argv;"],
] as const;

const RULES = new Set([
  "no-restricted-properties",
  "no-restricted-globals",
  "no-restricted-syntax",
  "no-restricted-imports",
]);

async function determinismErrors(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => RULES.has(m.ruleId ?? "")).map((m) => m.message);
}

describe("lint rule against nondeterminism", () => {
  for (const [what, code] of forbidden) {
    it(`rejects ${what} in the model`, async () => {
      expect((await determinismErrors(code, MODEL_FILE)).length).toBeGreaterThan(0);
    });
  }

  it("allows the wall clock in src/cli", async () => {
    const code = "export const t = Date.now() + performance.now() + Math.random();";
    expect(await determinismErrors(code, CLI_FILE)).toEqual([]);
  });

  it("accepts a seeded stream in the model", async () => {
    const code =
      'import { RandomStreams } from "./random.js";\nexport const x = new RandomStreams(1).stream("a").next();';
    expect(await determinismErrors(code, MODEL_FILE)).toEqual([]);
  });
});
