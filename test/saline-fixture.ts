import type { Scenario } from "../src/scenario/schema.js";
import { validateScenario } from "../src/scenario/load.js";

/** Where the failure traces of `salineScenario` are. */
export const SALINE_FIXTURES = "test/fixtures/saline";

/**
 * Three sites of 4 hosts (4 cores, 8 GB, 100 MB/s disks, 10 Gb/s = 1.25e9 B/s everywhere, no
 * latency), for 8 hours. `jobs` vjobs j0, j1... of one VM of 4 vCPUs and 4 GB doing 16 core-hours
 * (57,600 core-s: 4 h on its 4 vCPUs), all submitted at 0 to site s0; first-fit puts one per host.
 * A VM boots in 60 s, so it runs from t = 60 s. Failures from `trace` (in SALINE_FIXTURES);
 * placement constraints if given.
 */
export function salineScenario(
  faultTolerance: object,
  trace: string,
  jobs: number,
  constraints: unknown[] = [],
): Scenario {
  return validateScenario(
    {
      name: "saline",
      duration: "8h",
      platform: {
        type: "synthetic",
        sites: 3,
        hostsPerSite: 4,
        cores: 4,
        memory: "8GB",
        disk: "100MB/s",
        nic: { bandwidth: "10Gbps" },
        uplink: { bandwidth: "10Gbps" },
        backbone: { type: "shared", bandwidth: "10Gbps" },
      },
      workload: {
        type: "vjobs",
        vm: { vcpus: 4, memory: "4GB" },
        arrivals: {
          type: "list",
          jobs: Array.from({ length: jobs }, (_, i) => ({
            name: `j${i}`,
            submit: 0,
            homeSite: "s0",
            work: { coreSeconds: "16h" },
          })),
        },
        boot: { delay: 60 },
      },
      policies: { faultTolerance },
      failures: [{ type: "trace", file: trace }],
      constraints,
      output: { charts: false },
    },
    "saline.yaml",
  );
}
