/**
 * Memory of a long traced run (see BENCHMARKS.md): single-VM vjobs arriving as a Poisson process
 * on a synthetic site, run with `--trace events`, until events.csv passes the size asked; prints
 * the trace size, the peak RSS and the wall time. Memory must stay flat (under 300 MB for 1 GB).
 *
 *   npm run build && node dist/bench/trace-memory.js [--jobs 3000000]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { runScenario } from "../src/run/run-scenario.js";
import { validateScenario } from "../src/scenario/index.js";
import { option } from "./harness.js";

const jobs = Number(option("--jobs") ?? 3_000_000);
// 64 hosts of 8 cores; a job every 0.2 s on average holding one core for 60 s: ~300 busy cores.
const scenario = validateScenario(
  {
    name: "trace-memory",
    duration: jobs * 0.2 + 3600,
    platform: { type: "synthetic", sites: 2, hostsPerSite: 32, cores: 8, memory: "64GiB" },
    workload: {
      type: "vjobs",
      vm: { vcpus: 1, memory: "1GiB" },
      arrivals: {
        type: "poisson",
        count: jobs,
        interarrival: 0.2,
        vms: 1,
        work: { coreSeconds: 60 },
      },
      boot: { delay: 5 },
    },
    output: { step: 3600, trace: "events", charts: false },
  },
  "trace-memory",
);
const dir = mkdtempSync(join(tmpdir(), "skysim-trace-"));
const start = performance.now();
const result = runScenario(scenario, { outDir: dir, version: "bench" });
const seconds = (performance.now() - start) / 1000;
const bytes = statSync(join(dir, "events.csv")).size;
console.log(
  JSON.stringify({
    jobs,
    events: result.summary.events,
    traceMB: Math.round(bytes / 1e6),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    wallSeconds: Number(seconds.toFixed(1)),
  }),
);
rmSync(dir, { recursive: true, force: true });
