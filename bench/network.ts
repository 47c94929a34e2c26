/**
 * Network benchmark (see BENCHMARKS.md):
 *  (a) 10,000 flows with Poisson arrivals between random hosts of grid5000-2011, about 1,000
 *      active at once; (b) the same with 100,000 flows;
 *  (c) SimGrid sgpeer's `flows --sites=10 --hosts=100 --flows=10000 --size=1e6,2e6,3e6
 *      --start-step=0.001` and the same platform and flows in skysim, side by side (needs
 *      libsimgrid-dev; skipped with --no-simgrid).
 * Each run is a fresh Node process; the table gives the median of the runs.
 *
 *   npm run build && node dist/bench/network.js [--runs 3] [--case a] [--no-simgrid]
 */
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import process, { argv } from "node:process";
import { fileURLToPath } from "node:url";
import { Network } from "../src/network/network.js";
import { buildPlatform } from "../src/platform/build.js";
import { grid5000Platform } from "../src/platform/grid5000.js";
import { route } from "../src/platform/platform.js";
import { RandomStreams, Simulation, exponential, uniform } from "../src/sim/index.js";
import { median, option } from "./harness.js";
import { runSgpeer } from "./sgpeer.js";
import {
  type FlowsParams,
  SGPEER_FLOWS_DEFAULTS,
  runSkysimFlows,
  sgpeerArguments,
} from "./simgrid-flows.js";

interface Measure {
  completions: number;
  seconds: number;
  /** Time-average number of flows sharing bandwidth (Poisson cases). */
  meanActive?: number;
  peakRssMiB: number;
  simgridSeconds?: number;
}

/**
 * Poisson arrivals of `count` flows between random hosts, sizes uniform in [10, 90] MB, each
 * capped at 1 MB/s (a 64 KiB TCP window over a 64 ms round trip): at 20 arrivals/s a flow lasts
 * ~50 s, so ~1,000 are active at once, and the network stays far from saturation, so that a run
 * of 100k flows is as steady as one of 10k. Without the cap, random hosts of grid5000-2011 reach
 * 1,000 active flows only past the saturation of the paris-lyon backbone link (about half of all
 * flows cross it), where the backlog grows for as long as flows keep coming.
 */
function poissonFlows(count: number, arrivalsPerSecond: number): Measure {
  const platform = buildPlatform(grid5000Platform());
  const sim = new Simulation();
  const network = new Network(sim, platform.links, { mode: "cm02" });
  const streams = new RandomStreams(1);
  const gaps = exponential(1 / arrivalsPerSecond);
  const sizes = uniform(10e6, 90e6);
  const pick = streams.stream("bench/hosts");
  let completions = 0;
  let activeArea = 0;
  let lastChange = 0;
  let active = 0;
  const track = (delta: number): void => {
    activeArea += active * (sim.now - lastChange);
    lastChange = sim.now;
    active += delta;
  };
  network.flowCompleted.subscribe(() => {
    completions++;
    track(-1);
  });
  let started = 0;
  const arrive = (): void => {
    const src = Math.floor(pick.next() * platform.hosts.length);
    let dst = Math.floor(pick.next() * (platform.hosts.length - 1));
    if (dst >= src) dst++;
    network.startFlow(route(platform, src, dst), sizes.sample(streams.stream("bench/sizes")), {
      bound: 1e6,
    });
    track(1);
    if (++started < count) sim.schedule(gaps.sample(streams.stream("bench/arrivals")), arrive);
  };
  const start = performance.now();
  sim.schedule(0, arrive);
  sim.run();
  const seconds = (performance.now() - start) / 1000;
  return {
    completions,
    seconds,
    meanActive: activeArea / sim.now,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

const SIMGRID_C: FlowsParams = {
  ...SGPEER_FLOWS_DEFAULTS,
  sites: 10,
  hosts: 100,
  flows: 10_000,
  sizes: [1e6, 2e6, 3e6],
  step: 0.001,
};

function sideBySide(withSimgrid: boolean): Measure {
  const start = performance.now();
  const ours = runSkysimFlows(SIMGRID_C, "cm02");
  const seconds = (performance.now() - start) / 1000;
  const measure: Measure = {
    completions: ours.completions,
    seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  if (withSimgrid) measure.simgridSeconds = runSgpeer("flows", sgpeerArguments(SIMGRID_C)).wall_s;
  return measure;
}

const CASES: Record<string, (simgrid: boolean) => Measure> = {
  "a: 10k Poisson flows, grid5000-2011": () => poissonFlows(10_000, Number(option("--rate") ?? 20)),
  "b: 100k Poisson flows, grid5000-2011": () =>
    poissonFlows(100_000, Number(option("--rate") ?? 20)),
  "c: sgpeer flows 10x100, 10k flows": (simgrid) => sideBySide(simgrid),
};

function main(): void {
  const simgrid = !argv.includes("--no-simgrid");
  const child = option("--child");
  if (child !== undefined) {
    const run = CASES[child];
    if (run === undefined) throw new Error(`unknown case ${child}`);
    process.stdout.write(JSON.stringify(run(simgrid)));
    return;
  }
  const runs = Number(option("--runs") ?? 3);
  const filter = option("--case") ?? "";
  console.log(
    `# network benchmark: node ${process.version}, ${cpus()[0]?.model ?? "?"}, median of ${runs} runs`,
  );
  console.log(
    "| case | completions/s | wall s | mean active flows | peak RSS MiB | SimGrid wall s | SimGrid / skysim |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  const self = fileURLToPath(import.meta.url);
  for (const name of Object.keys(CASES).filter((n) => n.startsWith(filter))) {
    const measures: Measure[] = [];
    for (let r = 0; r < runs; r++) {
      const args = [self, "--child", name, ...(simgrid ? [] : ["--no-simgrid"])];
      measures.push(
        JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" })) as Measure,
      );
    }
    const seconds = median(measures.map((m) => m.seconds));
    const completions = measures[0]?.completions ?? 0;
    const sg = measures.flatMap((m) => (m.simgridSeconds === undefined ? [] : [m.simgridSeconds]));
    const sgSeconds = sg.length > 0 ? median(sg) : Number.NaN;
    const actives = measures.flatMap((m) => (m.meanActive === undefined ? [] : [m.meanActive]));
    const active = actives.length > 0 ? median(actives).toFixed(0) : "-";
    console.log(
      `| ${name} | ${Math.round(completions / seconds)} | ${seconds.toFixed(2)} | ${active} | ${median(measures.map((m) => m.peakRssMiB)).toFixed(0)} | ${Number.isNaN(sgSeconds) ? "-" : sgSeconds.toFixed(2)} | ${Number.isNaN(sgSeconds) ? "-" : (sgSeconds / seconds).toFixed(2)} |`,
    );
  }
}

main();
