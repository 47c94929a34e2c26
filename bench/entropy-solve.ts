/**
 * Entropy packing benchmark (see BENCHMARKS.md):
 *  (a) Falkenauer's 160 bin-packing instances (BPPLIB, in bench/data/bpplib-falkenauer):
 *      per class, how many reach the known optimum with the default budget, and the median wall
 *      time per instance;
 *  (b) a consolidation decision on 1,000 hosts (8 cores, 32 GiB) running 10,000 VMs, and on
 *      5,000 running 30,000, with random demands from a seeded stream: wall time, nodes, active
 *      hosts vs lower bound and first-fit decreasing, migrations and bytes against the fewest
 *      bytes any placement on as many hosts can move; and the drain heuristic's (issue 19).
 * Each run of (b) is a fresh Node process; the table gives the median of the runs.
 *
 *   npm run build && node dist/bench/entropy-solve.js [--runs 5] [--case a] [--budget N]
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { Configuration, VmDemand } from "../src/policies/consolidation/configuration.js";
import { drain, drainOrder, drainTo, keepOrder } from "../src/policies/consolidation/drain.js";
import {
  DEFAULT_NODE_BUDGET,
  activeHostCount,
  migrationCost,
  migrationCount,
  optimise,
} from "../src/policies/consolidation/entropy/index.js";
import { RandomStreams } from "../src/sim/random.js";
import { median, option } from "./harness.js";

const self = fileURLToPath(import.meta.url);
/** dist/bench/entropy-solve.js -> the project root's bench/data. */
const FALKENAUER = resolve(dirname(self), "../../bench/data/bpplib-falkenauer");
const GiB = 2 ** 30;
const budget = Number(option("--budget") ?? DEFAULT_NODE_BUDGET);

function falkenauerConfiguration(file: string): Configuration {
  const [n, capacity, ...sizes] = readFileSync(file, "utf8").trim().split(/\s+/).map(Number);
  const vms: VmDemand[] = sizes
    .slice(0, n)
    .map((size, id) => ({ id, cpu: 0, memory: size, host: undefined, pinned: false }));
  const hosts = vms.map((_, id) => ({ id, cpu: 1, memory: capacity ?? 0 }));
  return { hosts, vms };
}

interface ClassScore {
  reached: number;
  total: number;
  seconds: number[];
  nodes: number[];
}

/** Part (a): every instance once (the search is deterministic; times are per instance). */
function falkenauer(): void {
  const optima = new Map(
    readFileSync(join(FALKENAUER, "optima.tsv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split("\t"))
      .map(([name, , optimum]) => [name ?? "", Number(optimum)]),
  );
  const classes = new Map<string, ClassScore>();
  for (const file of readdirSync(FALKENAUER)
    .filter((f) => f.endsWith(".txt"))
    .sort()) {
    const name = file.replace(/\.txt$/, "");
    const kind = name.split("_")[1] ?? "?";
    const configuration = falkenauerConfiguration(join(FALKENAUER, file));
    const start = performance.now();
    const result = optimise(configuration, { objective: "consolidate", nodeBudget: budget });
    const seconds = (performance.now() - start) / 1000;
    const entry = classes.get(kind) ?? { reached: 0, total: 0, seconds: [], nodes: [] };
    entry.total++;
    if (result.activeHosts === optima.get(name)) entry.reached++;
    entry.seconds.push(seconds);
    entry.nodes.push(result.nodes);
    classes.set(kind, entry);
  }
  console.log("| class | optimum reached | median wall ms | max wall ms | median nodes |");
  console.log("|---|---:|---:|---:|---:|");
  let reached = 0;
  let total = 0;
  const order = ["u120", "u250", "u500", "u1000", "t60", "t120", "t249", "t501"];
  for (const kind of order) {
    const entry = classes.get(kind);
    if (entry === undefined) continue;
    reached += entry.reached;
    total += entry.total;
    const ms = (values: number) => (values * 1000).toFixed(1);
    console.log(
      `| ${kind} | ${entry.reached}/${entry.total} | ${ms(median(entry.seconds))} | ${ms(Math.max(...entry.seconds))} | ${median(entry.nodes).toFixed(0)} |`,
    );
  }
  console.log(`| all | ${reached}/${total} | | | |`);
}

interface Decision {
  seconds: number;
  nodes: number;
  activeHosts: number;
  lowerBound: number;
  upperBound: number;
  hostsBefore: number;
  migrations: number;
  migratedGiB: number;
  /** The fewest GiB any placement on `activeHosts` hosts migrates: all but the most on as many. */
  boundGiB: number;
  viable: boolean;
  drain: { seconds: number; hosts: number; migrations: number; migratedGiB: number };
  /** GiB the drain heuristic migrates when made to keep Entropy's host count; null if it cannot. */
  drainAtEntropyGiB: number | null;
}

/** The two large cases: hosts of 8 cores and 32 GiB, VMs with demands from a seeded stream. */
interface LargeCase {
  readonly name: string;
  readonly hosts: number;
  readonly vms: number;
  /** CPU demand uniform in [0, cpuMax) cores; memory uniform in [memoryMin, memoryMin + memorySpan) MiB. */
  readonly cpuMax: number;
  readonly memoryMin: number;
  readonly memorySpan: number;
}

const CASES: readonly LargeCase[] = [
  // About 62% of the cores and 63% of the memory in use.
  {
    name: "1,000 hosts x 10,000 VMs",
    hosts: 1000,
    vms: 10_000,
    cpuMax: 1,
    memoryMin: 512,
    memorySpan: 3072,
  },
  // About 62% of the cores and 59% of the memory (mean demands 0.83 cores and 3.1 GiB).
  {
    name: "5,000 hosts x 30,000 VMs",
    hosts: 5000,
    vms: 30_000,
    cpuMax: 1.6533,
    memoryMin: 512,
    memorySpan: 5420,
  },
];

/**
 * Part (b): each VM started on a random host with room (the next one with room if not): spread
 * over every host.
 */
function largeConfiguration(spec: LargeCase): Configuration {
  const streams = new RandomStreams(1);
  const demand = streams.stream("bench/entropy/demand");
  const place = streams.stream("bench/entropy/place");
  const hosts = Array.from({ length: spec.hosts }, (_, id) => ({ id, cpu: 8, memory: 32 * GiB }));
  const cpu = new Float64Array(hosts.length);
  const memory = new Float64Array(hosts.length);
  const vms: VmDemand[] = [];
  for (let id = 0; id < spec.vms; id++) {
    const vcpu = demand.next() * spec.cpuMax;
    const mem = Math.floor(spec.memoryMin + demand.next() * spec.memorySpan) * 2 ** 20;
    let at = Math.floor(place.next() * hosts.length);
    for (let tries = 0; tries < hosts.length; tries++, at = (at + 1) % hosts.length) {
      if ((cpu[at] ?? 0) + vcpu <= 8 && (memory[at] ?? 0) + mem <= 32 * GiB) break;
    }
    cpu[at] = (cpu[at] ?? 0) + vcpu;
    memory[at] = (memory[at] ?? 0) + mem;
    vms.push({ id, cpu: vcpu, memory: mem, host: at, pinned: false });
  }
  return { hosts, vms };
}

/** Total memory less what the `kept` hosts holding the most hold now. */
function byteBound(configuration: Configuration, kept: number): number {
  const held = new Float64Array(configuration.hosts.length);
  let total = 0;
  for (const vm of configuration.vms) {
    total += vm.memory;
    if (vm.host !== undefined) held[vm.host] = (held[vm.host] ?? 0) + vm.memory;
  }
  const most = Array.from(held).sort((a, b) => b - a);
  return total - most.slice(0, kept).reduce((sum, m) => sum + m, 0);
}

function largeDecision(spec: LargeCase): Decision {
  const configuration = largeConfiguration(spec);
  const start = performance.now();
  const result = optimise(configuration, { objective: "consolidate", nodeBudget: budget });
  const seconds = (performance.now() - start) / 1000;
  const drainStart = performance.now();
  const drained = drain(configuration);
  const drainSeconds = (performance.now() - drainStart) / 1000;
  const atEntropy = drainTo(
    configuration,
    keepOrder(configuration).hosts,
    drainOrder(configuration),
    result.activeHosts,
  ).assignment;
  return {
    seconds,
    nodes: result.nodes,
    activeHosts: result.activeHosts,
    lowerBound: result.lowerBound,
    upperBound: result.upperBound,
    hostsBefore: new Set(configuration.vms.map((vm) => vm.host)).size,
    migrations: result.migrations,
    migratedGiB: result.migrationCost / GiB,
    boundGiB: byteBound(configuration, result.activeHosts) / GiB,
    viable: result.viable,
    drainAtEntropyGiB:
      atEntropy === undefined ? null : migrationCost(configuration, atEntropy) / GiB,
    drain: {
      seconds: drainSeconds,
      hosts: activeHostCount(configuration, drained.assignment),
      migrations: migrationCount(configuration, drained.assignment),
      migratedGiB: migrationCost(configuration, drained.assignment) / GiB,
    },
  };
}

function main(): void {
  const child = option("--child");
  if (child !== undefined) {
    const spec = CASES[Number(child)];
    if (spec !== undefined) process.stdout.write(JSON.stringify(largeDecision(spec)));
    return;
  }
  const runs = Number(option("--runs") ?? 5);
  const only = option("--case");
  console.log(
    `# entropy benchmark: node ${process.version}, ${cpus()[0]?.model ?? "?"}, budget ${budget} nodes`,
  );
  if (only === undefined || only === "a") falkenauer();
  if (only !== undefined && only !== "b") return;
  console.log(
    "| case | wall s (median) | nodes | hosts before | active hosts | lower bound | FFD | migrations | migrated GiB | fewest GiB at that count | drain: hosts | migrations | GiB | wall s | drain at Entropy's count: GiB | viable |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  CASES.forEach((spec, index) => {
    const decisions: Decision[] = [];
    for (let run = 0; run < runs; run++) {
      const args = [self, "--child", String(index), "--budget", String(budget)];
      decisions.push(
        JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" })) as Decision,
      );
    }
    const d = decisions[0];
    if (d === undefined) return;
    const seconds = median(decisions.map((x) => x.seconds));
    const drainSeconds = median(decisions.map((x) => x.drain.seconds));
    console.log(
      `| ${spec.name}, ${runs} runs | ${seconds.toFixed(2)} | ${d.nodes} | ${d.hostsBefore} | ${d.activeHosts} | ${d.lowerBound} | ${d.upperBound} | ${d.migrations} | ${d.migratedGiB.toFixed(0)} | ${d.boundGiB.toFixed(0)} | ${d.drain.hosts} | ${d.drain.migrations} | ${d.drain.migratedGiB.toFixed(0)} | ${drainSeconds.toFixed(2)} | ${d.drainAtEntropyGiB?.toFixed(0) ?? "fails"} | ${d.viable} |`,
    );
  });
}

main();
