import { describe, expect, it } from "vitest";
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
});
