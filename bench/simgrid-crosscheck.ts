/**
 * Cross-check with SimGrid 3.32 (not in CI: it needs libsimgrid-dev). Runs a set of sgpeer `flows`
 * scenarios and the same ones in skysim, in mode `cm02` (SimGrid's CM02) and in mode `max-min`
 * with zero latencies, then a set of `cpu` scenarios (cores shared among VMs and tasks), then
 * `migrate` scenarios (live migrations alone and several at once, idle and dirtying), and reports
 * the largest relative difference of completion times. It must stay below 1e-9.
 *
 *   npm run build && node dist/bench/simgrid-crosscheck.js
 */
import process from "node:process";
import { type CpuParams, runSkysimCpu, sgpeerCpuArguments } from "./simgrid-cpu.js";
import {
  type FlowsParams,
  SGPEER_FLOWS_DEFAULTS,
  runSkysimFlows,
  sgpeerArguments,
} from "./simgrid-flows.js";
import {
  type MigrateParams,
  SGPEER_MIGRATE_DEFAULTS,
  runSkysimMigrate,
  sgpeerMigrateArguments,
} from "./simgrid-migrate.js";
import { runSgpeer } from "./sgpeer.js";

const BASE = SGPEER_FLOWS_DEFAULTS;

const LATENCIES = { hostLatency: 1e-4, siteLatency: 5e-4, backboneLatency: 0.01 };

const CASES: [string, FlowsParams][] = [
  ["sgpeer defaults", BASE],
  [
    "3 sites x 4 hosts, 30 staggered flows, mixed sizes",
    { ...BASE, sites: 3, hosts: 4, flows: 30, sizes: [1e6, 5e6, 2e7], step: 0.001 },
  ],
  [
    "3 x 4, slow NICs, fast backbone",
    {
      ...BASE,
      sites: 3,
      hosts: 4,
      flows: 40,
      sizes: [3e6, 1e7],
      step: 0.002,
      hostBandwidth: 1.25e8,
      backboneBandwidth: 2.5e9,
    },
  ],
  [
    "4 x 8, 200 flows, latencies",
    { ...BASE, ...LATENCIES, sites: 4, hosts: 8, flows: 200, sizes: [1e6, 2e6, 3e6], step: 5e-4 },
  ],
  [
    "5 x 3, 120 flows, slow backbone, latencies",
    {
      ...BASE,
      ...LATENCIES,
      sites: 5,
      hosts: 3,
      flows: 120,
      sizes: [5e5, 4e6],
      step: 1e-3,
      backboneBandwidth: 3e8,
    },
  ],
  [
    "10 x 100, 2000 flows (bench c, smaller)",
    { ...BASE, sites: 10, hosts: 100, flows: 2000, sizes: [1e6, 2e6, 3e6], step: 0.001 },
  ],
];

function zeroLatency(p: FlowsParams): FlowsParams {
  return { ...p, hostLatency: 0, siteLatency: 0, backboneLatency: 0 };
}

let worst = 0;
console.log("| case | mode | flows | max relative difference |");
console.log("|---|---|---:|---:|");
for (const [name, params] of CASES) {
  for (const mode of ["cm02", "max-min"] as const) {
    const p = mode === "max-min" ? zeroLatency(params) : params;
    const reference = runSgpeer("flows", sgpeerArguments(p));
    const ours = runSkysimFlows(p, mode);
    let largest = 0;
    (reference.flows ?? []).forEach((flow, i) => {
      const mine = ours.ends[i] ?? Number.NaN;
      const relative = Math.abs(mine - flow.end) / Math.max(flow.end, 1e-300);
      largest = Math.max(largest, Number.isNaN(relative) ? Infinity : relative);
      if (ours.routes[i]?.join(",") !== flow.route.join(",")) {
        throw new Error(
          `${name}: flow ${i} route ${ours.routes[i]?.join(",")} != ${flow.route.join(",")}`,
        );
      }
    });
    worst = Math.max(worst, largest);
    console.log(`| ${name} | ${mode} | ${p.flows} | ${largest.toExponential(2)} |`);
  }
}
const CPU_BASE: CpuParams = {
  sites: 1,
  hosts: 1,
  cores: 4,
  speed: 1e9,
  vms: 2,
  vcpus: [2],
  tasks: [2],
  flops: [1e9],
};

const CPU_CASES: [string, CpuParams][] = [
  ["sgpeer defaults", CPU_BASE],
  [
    "overcommitted: 3 VMs, 1+2+4 vCPUs, 1+3+5 tasks",
    { ...CPU_BASE, vms: 3, vcpus: [1, 2, 4], tasks: [1, 3, 5], flops: [1e9, 2e9, 5e8] },
  ],
  ["no VMs: 6 tasks on 4 cores", { ...CPU_BASE, vms: 0, tasks: [6], flops: [1e9, 3e9, 2e9] }],
  [
    "2 sites x 3 hosts, 8 cores, 5 VMs",
    {
      ...CPU_BASE,
      sites: 2,
      hosts: 3,
      cores: 8,
      speed: 2.15e10,
      vms: 5,
      vcpus: [1, 2, 3, 4],
      tasks: [2, 1, 4, 6, 3],
      flops: [1e10, 4e10, 2.5e10],
    },
  ],
];

console.log("\n| cpu case | tasks | max relative difference |");
console.log("|---|---:|---:|");
for (const [name, params] of CPU_CASES) {
  const reference = runSgpeer("cpu", sgpeerCpuArguments(params));
  const ours = runSkysimCpu(params);
  let largest = 0;
  (reference.tasks ?? []).forEach((task, i) => {
    const relative = Math.abs((ours[i] ?? Number.NaN) - task.end) / task.end;
    largest = Math.max(largest, Number.isNaN(relative) ? Infinity : relative);
  });
  if (ours.length !== (reference.tasks ?? []).length) largest = Infinity;
  worst = Math.max(worst, largest);
  console.log(`| ${name} | ${ours.length} | ${largest.toExponential(2)} |`);
}

const MIGRATE_CASES: [string, MigrateParams][] = [
  ["sgpeer defaults: 2 busy 1e9-byte VMs, no dirtying", SGPEER_MIGRATE_DEFAULTS],
  [
    "one VM alone, 1 Gb/s cap, 30% intensity",
    { ...SGPEER_MIGRATE_DEFAULTS, vms: 1, migSpeed: [1.25e8], intensity: [0.3] },
  ],
  [
    "4 VMs at once over a slow backbone, caps and intensities mixed, latencies",
    {
      ...SGPEER_MIGRATE_DEFAULTS,
      vms: 4,
      ram: [1e9, 2e9],
      migSpeed: [1e8, 3e8, 0],
      intensity: [0.2, 0.5, 0],
      backboneBandwidth: 5e8,
      hostLatency: 1e-4,
      backboneLatency: 2e-3,
    },
  ],
  [
    "6 staggered VMs, 3 hosts per site, working set 0.2, 2 busy tasks",
    {
      ...SGPEER_MIGRATE_DEFAULTS,
      hosts: 3,
      vms: 6,
      ram: [5e8, 1.5e9, 1e9],
      migSpeed: [2e8],
      intensity: [0.3, 0.1],
      workingSet: 0.2,
      load: 2,
      vcpus: 2,
      step: 1.5,
    },
  ],
];

console.log("\n| migrate case | migrations | sends | max relative difference |");
console.log("|---|---:|---:|---:|");
for (const [name, params] of MIGRATE_CASES) {
  const reference = runSgpeer("migrate", sgpeerMigrateArguments(params)).migrations ?? [];
  const ours = runSkysimMigrate(params);
  let largest = reference.length === params.vms ? 0 : Infinity;
  let sends = 0;
  reference.forEach((migration, m) => {
    const relative = (a: number, b: number): number =>
      a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    largest = Math.max(largest, relative(ours.ends[m] ?? Number.NaN, migration.end));
    const mine = ours.sends[m] ?? [];
    if (mine.length !== migration.sends.length) largest = Infinity;
    migration.sends.forEach(([time, bytes], k) => {
      sends++;
      const [myTime, myBytes] = mine[k] ?? [Number.NaN, Number.NaN];
      largest = Math.max(largest, relative(myTime, time), relative(myBytes, bytes));
    });
  });
  worst = Math.max(worst, Number.isNaN(largest) ? Infinity : largest);
  console.log(`| ${name} | ${reference.length} | ${sends} | ${largest.toExponential(2)} |`);
}

console.log(`\nlargest relative difference: ${worst.toExponential(2)} (must be < 1e-9)`);
if (!(worst < 1e-9)) process.exitCode = 1;
