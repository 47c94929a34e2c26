import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateScenario } from "../src/scenario/index.js";
import { checkReferences } from "../src/scenario/references.js";
import { runScenario } from "../src/run/run-scenario.js";
import { problemLines } from "./scenario-problems.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenarioFile } from "../src/scenario/index.js";

/** Four 8-core hosts, 8 one-vCPU VMs at 20% load placed round-robin: 2 per host. */
function scenarioWith(policies: unknown) {
  return {
    name: "policies",
    duration: "10min",
    platform: { type: "synthetic", sites: 1, hostsPerSite: 4, cores: 8, memory: "32GiB" },
    workload: {
      type: "vjobs",
      vm: { vcpus: 1, memory: "1GiB" },
      load: { type: "constant", fraction: 0.2 },
      arrivals: { type: "poisson", count: 8, interarrival: "1s", vms: 1, duration: "1h" },
      boot: { delay: "0s" },
    },
    policies,
  };
}

const FILE = "test/fixtures/policies/scenario.yaml";
const check = (document: unknown) => () => {
  checkReferences(validateScenario(document, FILE), FILE, "test/fixtures/policies");
};

describe("the policies section", () => {
  it("names a built-in per kind, with defaults for what is left out", () => {
    const scenario = validateScenario(scenarioWith({ consolidation: { name: "ffd-lazy" } }), FILE);
    expect(scenario.policies).toEqual({
      placement: { name: "first-fit", vcpusPerCore: 1 },
      consolidation: {
        name: "ffd-lazy",
        period: 30,
        scope: "site",
        demand: { estimate: "instant", window: 10, percentile: 90 },
        manager: { type: "centralised" },
        headroom: 1,
      },
      faultTolerance: { name: "none", restartDelay: 30 },
      sky: { name: "stay-home", period: 30 },
      power: { name: "always-on" },
    });
  });

  it("gives Saline its defaults, and reports a heartbeat timeout too short and unknown stores", () => {
    const scenario = validateScenario(scenarioWith({ faultTolerance: { name: "saline" } }), FILE);
    expect(scenario.policies.faultTolerance).toEqual({
      name: "saline",
      period: 3600,
      mode: "coordinated",
      store: "remote",
      diskDelta: 0,
      heartbeat: { period: 10, timeout: 30 },
      reconfiguration: { sameSite: 1, otherSite: 30 },
    });
    const daly = { name: "saline", period: { formula: "daly", mtbf: "32.41h" } };
    expect(
      validateScenario(scenarioWith({ faultTolerance: daly }), FILE).policies.faultTolerance,
    ).toMatchObject({ period: { formula: "daly", mtbf: 32.41 * 3600 } });
    const shortTimeout = { name: "saline", heartbeat: { period: "10s", timeout: "5s" } };
    expect(problemLines(check(scenarioWith({ faultTolerance: shortTimeout })))).toEqual([
      `${FILE}: policies.faultTolerance.heartbeat.timeout: expected a timeout longer than the heartbeat period`,
    ]);
    const stores = { name: "saline", stores: ["nowhere", "s0h0", "s0h1"] };
    expect(problemLines(check(scenarioWith({ faultTolerance: stores })))).toEqual([
      `${FILE}: policies.faultTolerance.stores.0: expected a host of the platform, got "nowhere"`,
      `${FILE}: policies.faultTolerance.stores.2: expected at most one store per site, got a second one on s0`,
    ]);
  });

  it("reports an unknown policy name with the names it knows", () => {
    expect(problemLines(check(scenarioWith({ placement: { name: "next-fit" } })))).toEqual([
      `${FILE}: policies.placement.name: expected one of "first-fit", "best-fit", "worst-fit", "round-robin", "random" (or a module: file), got "next-fit"`,
    ]);
  });

  it("reports a module that is missing or exports the wrong kind, at its field", () => {
    const lines = problemLines(
      check(
        scenarioWith({
          placement: { module: "./missing.mjs" },
          consolidation: { module: "./not-a-policy.mjs" },
        }),
      ),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /policies\.placement\.module: expected a policy module file at .*missing\.mjs, got no such file/,
    );
    expect(lines[1]).toMatch(
      /policies\.consolidation\.module: expected .*not-a-policy\.mjs to export a consolidation policy, got kind placement/,
    );
  });
});

describe("a user policy module", () => {
  it("is the README's example, verbatim", () => {
    const module = readFileSync("scenarios/policies/drain-lightest.mjs", "utf8");
    expect(readFileSync("README.md", "utf8")).toContain(module);
  });

  it("runs as the consolidation, with its options", () => {
    // Round-robin puts the 8 VMs (0.2 cores each) 2 per host: 0.4 cores on hosts 0..3. Each
    // decision drains the least loaded active host (ties by id) onto the others in the same order:
    // 30 s: host 0's 2 VMs -> host 1 (0.8 now); 60 s: host 2's 2 VMs (0.4) -> host 3 (0.4, first
    // in load order) -> 0.8; 90 s: host 1 (0.8, tie with 3, lower id) holds 4 VMs (its own and
    // host 0's) -> host 3: 1.6 cores <= 0.8 x 8 cores. Then one active host: nothing moves.
    // 3 plans of 2 + 2 + 4 = 8 migrations.
    const dir = mkdtempSync(join(tmpdir(), "skysim-policy-"));
    const file = join(dir, "drain.yaml");
    const module = join(process.cwd(), "scenarios/policies/drain-lightest.mjs");
    const document = scenarioWith({
      placement: { name: "round-robin" },
      consolidation: { module, headroom: 0.8 },
    });
    writeFileSync(file, JSON.stringify(document));
    const { summary } = runScenario(loadScenarioFile(file), { outDir: dir, version: "test" });
    expect(summary).toMatchObject({
      cloud: { migrations: { completed: 2 + 2 + 4 } },
      consolidation: { policy: "drain-lightest", plans: { executed: 3, actions: { migrate: 8 } } },
    });
    const rows = readFileSync(join(dir, "timeseries.csv"), "utf8").trim().split("\n");
    const header = (rows[0] ?? "").split(",");
    const last = (rows.at(-1) ?? "").split(",");
    expect(last[header.indexOf("activeHosts")]).toBe("1");
    // timeseries.csv counts each completed migration once, in the step it ended in.
    const migrations = rows
      .slice(1)
      .reduce((sum, row) => sum + Number(row.split(",")[header.indexOf("migrations")]), 0);
    expect(migrations).toBe(2 + 2 + 4);
  });
});
