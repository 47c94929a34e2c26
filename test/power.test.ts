import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareRun, runScenario } from "../src/run/run-scenario.js";
import type { VjobsRun } from "../src/run/vjobs-run.js";
import { loadScenarioFile } from "../src/scenario/index.js";
import type { CloudSummary } from "../src/output/cloud-metrics.js";
import { energyReference } from "./energy-reference.js";
import { skysim } from "./run-cli.js";

function run(file: string) {
  const dir = mkdtempSync(join(tmpdir(), "skysim-power-"));
  const result = runScenario(loadScenarioFile(file), {
    outDir: dir,
    version: "test",
    baseDir: dirname(file),
  });
  const table = (name: string): Record<string, string>[] => {
    const [header = "", ...rows] = readFileSync(join(dir, name), "utf8").trim().split("\n");
    const columns = header.split(",");
    return rows.map((row) =>
      Object.fromEntries(row.split(",").map((v, i) => [columns[i] ?? "", v])),
    );
  };
  return { summary: result.summary as unknown as { cloud: CloudSummary }, table };
}

describe("host power states", () => {
  it("a taurus host idles, is switched off, boots for a job, runs it at 50% for an hour and is switched off again: its energy to the joule", () => {
    const { summary, table } = run("test/fixtures/power/taurus-hour.yaml");
    // The host is empty from 0: idle-off switches it off at 600 s (10 min), off at 606.1 s
    // (shutdown 6.1 s). The job comes at 1,000 s, finds no host on, wakes the host: it boots for
    // 151.5 s and the job starts at 1,151.5 s (it waited exactly the boot), runs its one vCPU at
    // full load on the 2-core host (50% utilisation) for an hour, ends at 4,751.5 s; the host is
    // empty again, switched off at 5,351.5 s, off at 5,357.6 s, until 6,000 s.
    const idle = 95;
    const half = 95 + 0.5 * (190.7 - 95); // 142.85 W at 50%
    const joules = {
      on: idle * 600 + half * 3600 + idle * 600,
      switchingOff: 616 + 616,
      off: 9.75 * (1000 - 606.1) + 9.75 * (6000 - 5357.6),
      booting: 18966,
      down: 0,
    };
    const total = joules.on + joules.switchingOff + joules.off + joules.booting; // 658,561.925 J
    expect(total).toBeCloseTo(658561.925, 6);
    expect(summary.cloud.energyKWh * 3.6e6).toBeCloseTo(total, 6);
    for (const [state, j] of Object.entries(joules)) {
      expect(
        summary.cloud.power.energyKWh[state as keyof CloudSummary["power"]["energyKWh"]] * 3.6e6,
        state,
      ).toBeCloseTo(j, 6);
    }
    expect(summary.cloud.power).toMatchObject({ switchesOff: 2, boots: 1 });
    expect(summary.cloud.power.transitionsKWh * 3.6e6).toBeCloseTo(18966 + 616 + 616, 6);
    expect(summary.cloud.power.hostHoursOff).toBeCloseTo(
      (1000 - 606.1 + (6000 - 5357.6)) / 3600,
      12,
    );
    const [job] = table("jobs.csv");
    expect(Number(job?.start) - Number(job?.submit)).toBeCloseTo(151.5, 9);
    expect(Number(job?.end)).toBeCloseTo(1151.5 + 3600, 9);
    // The timeseries sees the host off at 900 s, on at 1,200 s, off at 5,400 s; cores only when on.
    const at = (time: number) => table("timeseries.csv").find((row) => Number(row.time) === time);
    expect(at(900)).toMatchObject({
      hostsOn: "0",
      hostsOff: "1",
      upHosts: "1",
      cpuCores: "0",
      watts: "9.75",
    });
    expect(at(1200)).toMatchObject({
      hostsOn: "1",
      hostsOff: "0",
      cpuCores: "2",
      watts: String(half),
    });
    expect(at(5400)).toMatchObject({ hostsOn: "0", hostsOff: "1", cpuCores: "0" });
  });

  it("a crashed host draws its off watts and is no capacity while down", () => {
    const { summary, table } = run("test/fixtures/power/down-host.yaml");
    // Two idle hosts for 4 h, one of them down for 2 h: 95 W x (4 h + 2 h) on, 9.75 W x 2 h down.
    const hour = 3600;
    expect(summary.cloud.power.energyKWh.on * 3.6e6).toBeCloseTo(95 * 6 * hour, 6);
    expect(summary.cloud.power.energyKWh.down * 3.6e6).toBeCloseTo(9.75 * 2 * hour, 6);
    expect(summary.cloud.energyKWh * 3.6e6).toBeCloseTo((95 * 6 + 9.75 * 2) * hour, 6);
    const at = (time: number) => table("timeseries.csv").find((row) => Number(row.time) === time);
    expect(at(1800)).toMatchObject({ upHosts: "2", hostsOn: "2", cpuCores: "8", watts: "190" });
    expect(at(2 * hour)).toMatchObject({
      upHosts: "1",
      hostsOn: "1",
      cpuCores: "4",
      watts: String(95 + 9.75),
    });
    expect(at(3.5 * hour)).toMatchObject({ upHosts: "2", hostsOn: "2", cpuCores: "8" });
  });

  it("rejects a bad power configuration with one line per problem at its path, and no output folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-power-bad-"));
    const cases: [string, string, string][] = [
      [
        "policies: { power: { name: sleepy } }",
        "policies.power.name",
        'expected one of "always-on", "idle-off" (or a module: file), got "sleepy"',
      ],
      [
        "policies: { power: { name: idle-off, idleFor: -5min } }",
        "policies.power.idleFor",
        "expected a duration: a number >= 0 in seconds",
      ],
      [
        "energy: { type: specpower, watts: [86, 89.4, 92.6] }",
        "energy.watts",
        "expected a list of 11 values, got 3",
      ],
      [
        "energy: { type: linear, idle: 95, full: 190.7, off: 120 }",
        "energy.off",
        "expected off watts <= the 95 W of an idle host, got 120",
      ],
      [
        "energy: { type: linear, clusters: { c0: { type: specpower, watts: [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117], off: 90 } } }",
        "energy.clusters.c0.off",
        "expected off watts <= the 86 W of an idle host, got 90",
      ],
    ];
    for (const [i, [body, path, message]] of cases.entries()) {
      const file = join(dir, `bad-${i}.yaml`);
      writeFileSync(file, `extends: ${resolve("test/fixtures/power/taurus-hour.yaml")}\n${body}\n`);
      const out = join(dir, `out-${i}`);
      const result = skysim(["run", file, "--out", out, "--allow-outside"]);
      expect(result.status, body).toBe(2);
      const lines = result.stderr.trimEnd().split("\n");
      expect(lines, body).toHaveLength(1);
      expect(lines[0], body).toContain(`${file}: ${path}: ${message}`);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("energy in the summary is the integral of the power timeline, in a whole sky with failures and idle-off", () => {
    // The quick start (three sites, failures, a site outage, Entropy, Saline, a sky policy) with
    // hosts switched off after 5 minutes empty, one spare per site.
    const base = loadScenarioFile("scenarios/quickstart.yaml");
    const scenario = {
      ...base,
      policies: { ...base.policies, power: { name: "idle-off", idleFor: 300, spare: 1 } },
    };
    const run = prepareRun(scenario, { baseDir: "scenarios" }) as VjobsRun;
    const { sim, cloud } = run;
    const reference = energyReference(cloud);
    sim.enableChecks();
    sim.run({ until: scenario.duration });
    const summary = run.finish(scenario.duration).summary as { cloud: CloudSummary };
    const kwh = reference(scenario.duration);
    expect(Math.abs(summary.cloud.energyKWh - kwh)).toBeLessThanOrEqual(1e-9 * kwh);
    // Power management did something: hosts were switched off, some booted again.
    expect(summary.cloud.power.switchesOff).toBeGreaterThan(0);
    expect(summary.cloud.power.boots).toBeGreaterThan(0);
    expect(summary.cloud.power.hostHoursOff).toBeGreaterThan(0);
  });
});
