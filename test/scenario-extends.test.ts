import { describe, expect, it } from "vitest";
import { mergeDocuments } from "../src/scenario/extends.js";
import { loadScenarioFile } from "../src/scenario/index.js";
import { problemLines } from "./scenario-problems.js";

function problemsOf(file: string): string[] {
  return problemLines(() => loadScenarioFile(file));
}

describe("scenario extends", () => {
  it("overrides the base's fields, merging objects key by key", () => {
    const child = loadScenarioFile("test/fixtures/extends/more-jobs.yaml");
    expect(child.name).toBe("more-jobs");
    expect(child.seed).toBe(4);
    expect(child.duration).toBe(7200); // from the base
    expect(child.platform).toMatchObject({
      type: "synthetic",
      sites: 2,
      hostsPerSite: 4,
      cores: 4,
    });
    expect(child.workload).toMatchObject({
      type: "vjobs",
      vm: { vcpus: 2, memory: 2 * 2 ** 30 }, // 2GiB
      arrivals: {
        type: "poisson",
        count: 50,
        interarrival: 300,
        vms: 1,
        work: { coreSeconds: 3600 },
      },
    });
    expect("extends" in child).toBe(false);
  });

  it("reports every problem of the merged file, and a cycle of extends", () => {
    expect(problemsOf("test/fixtures/extends/bad-override.yaml")).toEqual([
      'test/fixtures/extends/bad-override.yaml: workload.vm.vcpus: expected a number, got "two"',
      "test/fixtures/extends/bad-override.yaml: workload.arrivals.count: expected a value >= 1, got -1",
    ]);
    expect(problemsOf("test/fixtures/extends/cycle-a.yaml")).toHaveLength(1);
    expect(problemsOf("test/fixtures/extends/cycle-a.yaml")[0]).toMatch(
      /cycle-b\.yaml: extends: expected a file that does not extend this one, got a cycle through cycle-a\.yaml/,
    );
  });

  it("replaces a tagged object that names another variant instead of merging it", () => {
    const base = {
      name: "base",
      workload: { load: { type: "constant", fraction: 1 }, boot: { delay: 30 } },
      policies: { consolidation: { name: "entropy", objective: "repair", period: 30 } },
    };
    // Another variant (type, name): replaced whole; the root's `name` is the scenario's: merged.
    expect(
      mergeDocuments(base, {
        name: "other",
        workload: { load: { type: "injector", mean: 0.6 } },
        policies: { consolidation: { name: "none" } },
      }),
    ).toEqual({
      name: "other",
      workload: { load: { type: "injector", mean: 0.6 }, boot: { delay: 30 } },
      policies: { consolidation: { name: "none" } },
    });
    // The same variant, or no tag: merged key by key.
    expect(
      mergeDocuments(base, { policies: { consolidation: { name: "entropy", period: 60 } } }),
    ).toMatchObject({
      policies: { consolidation: { name: "entropy", objective: "repair", period: 60 } },
    });
    expect(mergeDocuments(base, { policies: { consolidation: { period: 60 } } })).toMatchObject({
      policies: { consolidation: { name: "entropy", objective: "repair", period: 60 } },
    });
    // A module replaces a built-in.
    expect(mergeDocuments(base, { policies: { consolidation: { module: "./p.mjs" } } })).toEqual({
      ...base,
      policies: { consolidation: { module: "./p.mjs" } },
    });
  });
});
