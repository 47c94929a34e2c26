import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Configuration } from "../src/policies/consolidation/configuration.js";
import { DEFAULT_NODE_BUDGET, optimise } from "../src/policies/consolidation/entropy/index.js";

// Falkenauer's 160 bin-packing instances (BPPLIB), copied into bench/data with their provenance.
const FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), "../bench/data/bpplib-falkenauer");

/** One VM per item (memory = size, no CPU), one host per item (memory = capacity). */
function load(name: string): Configuration {
  const [n = 0, capacity = 0, ...sizes] = readFileSync(join(FOLDER, `${name}.txt`), "utf8")
    .trim()
    .split(/\s+/)
    .map(Number);
  expect(sizes).toHaveLength(n);
  return {
    hosts: sizes.map((_, id) => ({ id, cpu: 1, memory: capacity })),
    vms: sizes.map((size, id) => ({ id, cpu: 0, memory: size, host: undefined, pinned: false })),
  };
}

const optima = new Map(
  readFileSync(join(FOLDER, "optima.tsv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t"))
    .map(([name = "", , optimum]) => [name, Number(optimum)] as const),
);
const names = readdirSync(FOLDER)
  .filter((file) => file.endsWith(".txt"))
  .map((file) => file.replace(/\.txt$/, ""))
  .sort();

/** Hosts used by the default-budget decision for each instance, computed once. */
const solved = new Map<string, { hosts: number; viable: boolean }>();
function solve(name: string): { hosts: number; viable: boolean } {
  let result = solved.get(name);
  if (result === undefined) {
    const decision = optimise(load(name), {
      objective: "consolidate",
      nodeBudget: DEFAULT_NODE_BUDGET,
    });
    result = { hosts: decision.activeHosts, viable: decision.viable };
    solved.set(name, result);
  }
  return result;
}

describe("Falkenauer instances (BPPLIB)", () => {
  it("are all there, with their optima", () => {
    expect(names).toHaveLength(160);
    for (const name of names) expect(optima.get(name)).toBeGreaterThan(0);
  });

  const required = names.filter((name) => /_(u120|t60)_/.test(name));
  it.each(required)("%s: reaches the known optimum", (name) => {
    const { hosts, viable } = solve(name);
    expect(viable).toBe(true);
    expect(hosts).toBe(optima.get(name));
  });

  it("reaches the known optimum on most instances", () => {
    let reached = 0;
    for (const name of names) {
      const { hosts, viable } = solve(name);
      expect(viable).toBe(true);
      // Never below the optimum: that would be a packing that does not fit.
      expect(hosts).toBeGreaterThanOrEqual(optima.get(name) ?? Infinity);
      if (hosts === optima.get(name)) reached++;
    }
    expect(reached).toBeGreaterThanOrEqual(MIN_REACHED);
  });
});

/**
 * What the default budget reaches today (see BENCHMARKS.md, "Entropy packing"), so that a
 * regression fails; the goal was 120 of 160. The misses, each one host above the optimum: u250_07
 * and u500_06, t120 (1), t249 (9) and t501 (5).
 */
const MIN_REACHED = 143;
