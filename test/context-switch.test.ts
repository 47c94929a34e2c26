import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../src/run/run-scenario.js";
import { loadScenarioFile } from "../src/scenario/index.js";

const GiB = 2 ** 30;
/** Local disk of the scenario's host: suspends and resumes write and read RAM at this rate. */
const DISK = 100e6;

/** jobs.csv of a run, as records keyed by vjob name. */
function jobsOf(dir: string): Record<string, Record<string, string>> {
  const [header, ...rows] = readFileSync(join(dir, "jobs.csv"), "utf8").trim().split("\n");
  const columns = (header ?? "").split(",");
  return Object.fromEntries(
    rows.map((row) => {
      const cells = row.split(",");
      return [cells[0] ?? "", Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]))];
    }),
  );
}

describe("Entropy's cluster-wide context switch", () => {
  it("runs vjobs first come first served, suspending a later one when an earlier one fits", () => {
    // One host of 4 cores and 8 GiB; VMs of 2 vCPUs and 1 GiB at full load; decisions every 10 s,
    // free to compute; boots instant. x (1 VM, 50 core-s) at 0, a (2 VMs, 84 core-s each) at 1,
    // b (1 VM, 200 core-s) at 2.
    // 10 s: x runs (2 cores); a needs 4: waits; b fits beside x: runs. x ends at 10 + 50 / 2 = 35.
    // 40 s: a comes before b and takes the host: in one plan, b is suspended (1 GiB written to
    //   disk) while a's first VM boots beside it (2 + 2 cores fit), and a's second VM boots once
    //   b's RAM is freed, at t1 = 40 + GiB / DISK: a starts (booting) at 40 and works from t1.
    //   b has done (40 - 10) x 2 = 60 core-s.
    // a ends at t1 + 84 / 2 = t1 + 42. Decisions go on every 10 s from t1 (when the plan ended):
    //   t1 + 50 resumes b (1 GiB read back), running at t1 + 50 + GiB / DISK, and it does its last
    //   200 - 60 = 140 core-s on 2 cores in 70 s.
    const dir = mkdtempSync(join(tmpdir(), "skysim-switch-"));
    const file = join(dir, "switch.yaml");
    const job = (name: string, submit: number, vms: number, coreSeconds: number) => ({
      name,
      submit,
      vms,
      work: { coreSeconds },
    });
    const scenario = {
      name: "context-switch",
      duration: "10min",
      platform: {
        type: "synthetic",
        sites: 1,
        hostsPerSite: 1,
        cores: 4,
        memory: "8GiB",
        disk: DISK,
      },
      workload: {
        type: "vjobs",
        vm: { vcpus: 2, memory: GiB },
        arrivals: {
          type: "list",
          jobs: [job("x", 0, 1, 50), job("a", 1, 2, 84), job("b", 2, 1, 200)],
        },
        boot: { delay: 0 },
      },
      policies: {
        consolidation: {
          name: "entropy",
          objective: "context-switch",
          period: 10,
          computeTime: { perDecision: 0, perVmHost: 0, perNode: 0 },
        },
      },
    };
    writeFileSync(file, JSON.stringify(scenario));
    const { summary } = runScenario(loadScenarioFile(file), { outDir: dir, version: "test" });
    const jobs = jobsOf(dir);
    const t1 = 40 + GiB / DISK;
    const at = (name: string, field: string) => Number(jobs[name]?.[field]);
    expect(at("x", "start")).toBe(10);
    expect(at("x", "end")).toBeCloseTo(35, 9);
    expect(at("b", "start")).toBe(10);
    expect(at("a", "start")).toBe(40);
    expect(at("a", "end")).toBeCloseTo(t1 + 42, 9);
    expect(at("b", "end")).toBeCloseTo(t1 + 50 + GiB / DISK + 70, 9);
    expect(summary).toMatchObject({
      consolidation: { plans: { actions: { run: 1 + 1 + 2, suspend: 1, resume: 1 } } },
    });
  });
});
