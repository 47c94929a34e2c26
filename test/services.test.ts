import { describe, expect, it } from "vitest";
import { prepareRun } from "../src/run/run-scenario.js";
import { checkedScenario } from "../src/scenario/load.js";
import { ScenarioError } from "../src/scenario/problems.js";

/** Where the failure trace is. */
const FIXTURES = "test/fixtures/services";

/**
 * One site of 3 hosts (4 cores, 16 GB); the service `web` of 2 replicas (one VM of 2 vCPUs and
 * 2 GB each, booting in 60 s, running for 10 h: past the run's 3 h), submitted at 0; first-fit.
 * s0h0 goes down at 1 h for good; no fault tolerance: a replica that lost its VM starts over 30 s
 * later.
 */
function run(constraints: unknown[]) {
  const s = checkedScenario(
    {
      name: "services",
      duration: "3h",
      platform: { type: "synthetic", sites: 1, hostsPerSite: 3, cores: 4, memory: "16GB" },
      workload: {
        type: "vjobs",
        vm: { vcpus: 2, memory: "2GB" },
        arrivals: {
          type: "list",
          jobs: [{ name: "web", replicas: 2, submit: 0, duration: "10h" }],
        },
        boot: { delay: "60s" },
      },
      policies: { faultTolerance: { name: "none", restartDelay: "30s" } },
      failures: [{ type: "trace", file: "host-down.csv" }],
      constraints,
      output: { charts: false },
    },
    `${FIXTURES}/services.yaml`,
  );
  const prepared = prepareRun(s, { check: true, baseDir: FIXTURES });
  prepared.sim.run({ until: s.duration });
  return prepared.finish(s.duration).summary;
}

describe("replicated services", () => {
  it("are up while one replica runs: two replicas on one host fall together, spread they do not", () => {
    // Unconstrained, first-fit puts both replicas on s0h0 (2 + 2 vCPUs on its 4 cores). The
    // service is down until they have booted (0-60 s), and from s0h0's failure (3,600 s) until
    // they run again on s0h1: restarted at 3,630 s, booted at 3,690 s. Down 60 + 90 = 150 s of
    // 10,800 s, one outage; every replica up 3,540 + 7,110 = 10,650 s.
    const packed = run([]).services;
    expect(packed).toEqual({
      count: 1,
      availability: 1 - 150 / 10_800,
      minAvailability: 1 - 150 / 10_800,
      allUp: 10_650 / 10_800,
      downSeconds: 150,
      outages: 1,
    });
    // Spread over hosts (the service named for its replicas), web-1 is on s0h1 and keeps the
    // service up when s0h0 fails: down only while booting (60 s), no outage; web-0 restarts on
    // s0h2 (s0h1 holds web-1), so every replica is up the same 10,650 s.
    const spread = run([{ type: "spread", vjobs: ["web"] }]).services;
    expect(spread).toEqual({
      count: 1,
      availability: 1 - 60 / 10_800,
      minAvailability: 1 - 60 / 10_800,
      allUp: 10_650 / 10_800,
      downSeconds: 60,
      outages: 0,
    });
  });

  it("refuses a replica's name taken by another job, and constraints naming an unknown service", () => {
    const problems = (jobs: unknown[], constraints: unknown[]) => {
      try {
        checkedScenario(
          {
            name: "services",
            duration: "1h",
            platform: { type: "synthetic", sites: 1, hostsPerSite: 3, cores: 4, memory: "16GB" },
            workload: {
              type: "vjobs",
              vm: { vcpus: 2, memory: "2GB" },
              arrivals: { type: "list", jobs },
            },
            constraints,
          },
          "services.yaml",
        );
      } catch (error) {
        if (error instanceof ScenarioError) return error.message;
        throw error;
      }
      return "";
    };
    expect(
      problems(
        [
          { name: "web", replicas: 2, submit: 0, duration: "1h" },
          { name: "web-1", submit: 0, duration: "1h" },
        ],
        [],
      ),
    ).toMatch(
      /workload\.arrivals\.jobs\[1\]\.name: expected vjob names of its own, got "web-1", also a vjob of \[0\]/,
    );
    expect(
      problems(
        [{ name: "web", replicas: 2, submit: 0, duration: "1h" }],
        [{ type: "spread", vjobs: ["db"] }],
      ),
    ).toMatch(
      /constraints\[0\]\.vjobs\[0\]: expected a vjob \(or a replicated service\) of the workload, got "db"/,
    );
  });
});
