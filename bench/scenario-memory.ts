/**
 * The memory estimate that refuses scenarios too big to run (src/scenario/scenario-size.ts)
 * against the heap runs really hold. Each size runs in a fresh process: a synthetic site of 8-core
 * 64 GiB hosts, 1-vCPU 1 GiB VMs with injector loads arriving within seconds, round-robin
 * placement; after 10 simulated minutes (every VM booted, loads changing) and a full GC, the heap
 * grown since the scenario was validated is measured, with the peak RSS of the process.
 * The estimate must stay above the heap measured (it refuses before a run would fail).
 *
 *   npm run bench:memory
 */
import { execFileSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { prepareRun } from "../src/run/run-scenario.js";
import { validateScenario } from "../src/scenario/index.js";
import { scenarioSize } from "../src/scenario/scenario-size.js";

const SIZES: readonly (readonly [hosts: number, vms: number])[] = [
  [1_000, 10],
  [10_000, 10],
  [1_000, 10_000],
  [1_000, 40_000],
  [10_000, 100_000],
];

function scenarioOf(hosts: number, vms: number) {
  return validateScenario(
    {
      name: "memory",
      duration: "1h",
      platform: { type: "synthetic", sites: 1, hostsPerSite: hosts, cores: 8, memory: "64GiB" },
      workload: {
        type: "vjobs",
        vm: { vcpus: 1, memory: "1GiB" },
        load: { type: "injector", mean: 0.5, sd: 0.2, interval: "5min" },
        arrivals: {
          type: "poisson",
          count: Math.max(1, vms / 10),
          interarrival: "1ms",
          vms: Math.min(vms, 10),
          duration: "1d",
        },
        boot: { delay: 1 },
      },
      policies: { placement: { name: "round-robin", vcpusPerCore: 2 } },
      output: { charts: false },
    },
    "memory",
  );
}

/** One size, in this process: prints { hosts, vms, heapMB, estimateMB, peakRssMB }. */
function measure(hosts: number, vms: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc");
  const scenario = scenarioOf(hosts, vms);
  gc();
  const before = process.memoryUsage().heapUsed;
  const run = prepareRun(scenario, {});
  run.sim.run({ until: 600 });
  gc();
  const heap = process.memoryUsage().heapUsed - before;
  const estimate = scenarioSize(scenario).bytes;
  console.log(
    JSON.stringify({
      hosts,
      vms,
      heapMB: Math.round(heap / 1e6),
      estimateMB: Math.round(estimate / 1e6),
      estimateOverHeap: Number((estimate / heap).toFixed(2)),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

const at = process.argv.indexOf("--one");
if (at >= 0) {
  measure(Number(process.argv[at + 1]), Number(process.argv[at + 2]));
} else {
  const self = fileURLToPath(import.meta.url);
  for (const [hosts, vms] of SIZES) {
    const args = ["--expose-gc", self, "--one", String(hosts), String(vms)];
    process.stdout.write(execFileSync(process.execPath, args, { encoding: "utf8" }));
  }
}
