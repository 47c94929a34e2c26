/**
 * Entropy packing benchmark (see BENCHMARKS.md):
 *  (a) Falkenauer's 160 bin-packing instances (BPPLIB, in bench/data/bpplib-falkenauer):
 *      per class, how many reach the known optimum with the default budget, and the median wall
 *      time per instance;
 *  (b) a consolidation decision on 1,000 hosts (8 cores, 32 GiB) running 10,000 VMs with random
 *      demands from a seeded stream: nodes, nodes/s, wall time, active hosts vs lower bound,
 *      migrations.
 * Each run of (b) is a fresh Node process; the table gives the median of the runs.
 *
 *   npm run build && node dist/bench/entropy-solve.js [--runs 5] [--case a] [--budget N]
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import process, { argv } from "node:process";
import { fileURLToPath } from "node:url";
import type { Configuration, VmDemand } from "../src/policies/consolidation/configuration.js";
import { DEFAULT_NODE_BUDGET, optimise } from "../src/policies/consolidation/entropy/index.js";
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
  viable: boolean;
}

/**
 * Part (b): 1,000 hosts of 8 cores and 32 GiB; 10,000 VMs with CPU demand uniform in [0, 1) cores
 * and memory uniform in [0.5, 3.5) GiB (in MiB steps), each started on a random host with room
 * (the next one with room if not): about 62% of the cores and 63% of the memory in use, spread
 * over every host.
 */
function largeConfiguration(): Configuration {
  const streams = new RandomStreams(1);
  const demand = streams.stream("bench/entropy/demand");
  const place = streams.stream("bench/entropy/place");
  const hosts = Array.from({ length: 1000 }, (_, id) => ({ id, cpu: 8, memory: 32 * GiB }));
  const cpu = new Float64Array(hosts.length);
  const memory = new Float64Array(hosts.length);
  const vms: VmDemand[] = [];
  for (let id = 0; id < 10_000; id++) {
    const vcpu = demand.next();
    const mem = Math.floor(512 + demand.next() * 3072) * 2 ** 20;
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

function largeDecision(): Decision {
  const configuration = largeConfiguration();
  const start = performance.now();
  const result = optimise(configuration, { objective: "consolidate", nodeBudget: budget });
  const seconds = (performance.now() - start) / 1000;
  return {
    seconds,
    nodes: result.nodes,
    activeHosts: result.activeHosts,
    lowerBound: result.lowerBound,
    upperBound: result.upperBound,
    hostsBefore: new Set(configuration.vms.map((vm) => vm.host)).size,
    migrations: result.migrations,
    migratedGiB: result.migrationCost / GiB,
    viable: result.viable,
  };
}

function main(): void {
  if (argv.includes("--child")) {
    process.stdout.write(JSON.stringify(largeDecision()));
    return;
  }
  const runs = Number(option("--runs") ?? 5);
  const only = option("--case");
  console.log(
    `# entropy benchmark: node ${process.version}, ${cpus()[0]?.model ?? "?"}, budget ${budget} nodes`,
  );
  if (only === undefined || only === "a") falkenauer();
  if (only === undefined || only === "b") {
    const decisions: Decision[] = [];
    for (let run = 0; run < runs; run++) {
      const args = [self, "--child", "--budget", String(budget)];
      decisions.push(
        JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" })) as Decision,
      );
    }
    const first = decisions[0];
    if (first === undefined) return;
    const seconds = median(decisions.map((d) => d.seconds));
    console.log(
      "| case | wall s (median) | nodes | nodes/s | hosts before | active hosts | lower bound | FFD | migrations | migrated GiB | viable |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    console.log(
      `| 1,000 hosts x 10,000 VMs, ${runs} runs | ${seconds.toFixed(2)} | ${first.nodes} | ${(first.nodes / seconds / 1e6).toFixed(1)} M | ${first.hostsBefore} | ${first.activeHosts} | ${first.lowerBound} | ${first.upperBound} | ${first.migrations} | ${first.migratedGiB.toFixed(0)} | ${first.viable} |`,
    );
  }
}

main();
