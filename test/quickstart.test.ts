import { describe, expect, it } from "vitest";
import {
  type CloudSummary,
  type Summary,
  SteppedRun,
  loadScenarioFile,
  runScenario,
} from "../src/index.js";

function cloudOf(summary: Summary): CloudSummary {
  if (summary.cloud === undefined) throw new Error("a vjobs run has a cloud summary");
  return summary.cloud;
}

/**
 * The quick start shows what its header and the README say it shows: overloads that Entropy
 * repairs, an outage on a site that holds VMs (Saline restoring vjobs), hosts switched off, and
 * nearly every vjob done within the day.
 */
describe("the quick start", () => {
  const baseDir = "scenarios";
  const scenario = loadScenarioFile("scenarios/quickstart.yaml");

  it("has overloads that Entropy repairs: it migrates, and violation is far below no consolidation", () => {
    const entropyRun = runScenario(scenario, { baseDir }).summary;
    const entropy = { ...entropyRun, cloud: cloudOf(entropyRun) };
    const noneRun = runScenario(
      {
        ...scenario,
        policies: {
          ...scenario.policies,
          consolidation: { ...scenario.policies.consolidation, name: "none" },
        },
      },
      { baseDir },
    ).summary;
    const none = { cloud: cloudOf(noneRun) };
    expect(none.cloud.violationHostSeconds).toBeGreaterThan(0);
    expect(entropy.consolidation?.plans.executed).toBeGreaterThan(0);
    expect(entropy.cloud.migrations.completed).toBeGreaterThan(0);
    // "19 h where none leaves 2 days": at most half, and overloads end sooner.
    expect(entropy.cloud.violationHostSeconds).toBeLessThan(none.cloud.violationHostSeconds / 2);
    expect(entropy.cloud.meanViolationSeconds).toBeLessThan(none.cloud.meanViolationSeconds);
    // Hosts switched off, some booted back; nearly every vjob (95%) finishes within the day.
    expect(entropy.cloud.power.hostHoursOff).toBeGreaterThan(0);
    expect(entropy.cloud.power.boots).toBeGreaterThan(0);
    expect(entropy.vjobs?.finished).toBeGreaterThanOrEqual(0.95 * (entropy.vjobs?.submitted ?? 0));
  });

  it("takes down a site that holds VMs, and Saline restores vjobs", () => {
    const run = SteppedRun.start(scenario, { baseDir });
    const nancy = run.cloud.platform.sites.findIndex((site) => site.name === "nancy");
    const vmsOnNancy = () =>
      [...run.cloud.liveVms()].filter(
        (vm) => vm.host !== undefined && run.cloud.platform.hosts[vm.host]?.site === nancy,
      ).length;
    // The outage trace says nancy is down from 6 h to 7 h.
    run.advanceTo(6 * 3600 - 1);
    expect(vmsOnNancy()).toBeGreaterThan(20);
    run.advanceTo(6.5 * 3600);
    expect(vmsOnNancy()).toBe(0);
    const summary = run.finish();
    expect(summary.failures?.failures.site).toBe(1);
    expect(summary.vjobs?.restores).toBeGreaterThan(0);
  });
});
