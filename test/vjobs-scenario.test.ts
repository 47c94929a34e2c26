import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../src/run/run-scenario.js";
import { loadScenarioFile } from "../src/scenario/index.js";
import { problemLines } from "./scenario-problems.js";

function problemsOf(file: string): string[] {
  return problemLines(() => loadScenarioFile(file));
}

describe("vjobs scenarios", () => {
  it("an SWF log becomes one vjob per job, submitted at the log's times", () => {
    const out = mkdtempSync(join(tmpdir(), "skysim-swf-"));
    const scenario = loadScenarioFile("test/fixtures/swf-vjobs.yaml");
    runScenario(scenario, { outDir: out, version: "test", check: true, baseDir: "test/fixtures" });
    // Rows come as jobs finish; in name order, the submit times are the log's.
    const rows = readFileSync(join(out, "jobs.csv"), "utf8").trim().split("\n").slice(1);
    const byName = new Map(rows.map((row) => [row.split(",")[0], row]));
    const names = Array.from({ length: 11 }, (_, i) => `swf${i + 1}`).filter((n) => n !== "swf6");
    expect(names.map((name) => byName.get(name)?.split(",")[1])).toEqual([
      "0",
      "60",
      "125",
      "300",
      "301",
      "1200",
      "1800",
      "2400",
      "3000",
      "3600",
    ]);
    // Job 1 (4 processors) fills the 4 cores of s0h0 from t = 0 to 3600. Job 2 (1 processor,
    // 120 s) goes to the next host, s0h1: starts at 60 (no boot delay), ends at 60 + 120 = 180.
    // No restart, move, loss or snapshot; no inflation asked, no constraint (empty cells).
    expect(byName.get("swf1")).toBe("swf1,0,0,3600,1,s0h0,done,0,0,0,0,0,0,0,0,,");
    expect(byName.get("swf2")).toBe("swf2,60,60,180,1,s0h1,done,0,0,0,0,0,0,0,0,,");
    expect(rows).toHaveLength(10);
  });

  it("names every site, host and file that does not exist", () => {
    expect(problemsOf("test/fixtures/vjobs-bad-references.yaml")).toEqual([
      'test/fixtures/vjobs-bad-references.yaml: workload.arrivals.jobs[1].homeSite: expected a site of the platform (s0, s1), got "paris"',
      'test/fixtures/vjobs-bad-references.yaml: workload.boot.imageStore: expected a host of the platform, got "nowhere-1"',
    ]);
    expect(problemsOf("test/fixtures/vjobs-missing-swf.yaml")).toEqual([
      "test/fixtures/vjobs-missing-swf.yaml: platform: expected a platform for a vjobs workload, got nothing",
      "test/fixtures/vjobs-missing-swf.yaml: workload.arrivals.file: expected a readable SWF log, got no such file",
    ]);
  });
});
