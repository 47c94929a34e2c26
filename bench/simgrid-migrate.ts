/**
 * sgpeer's `migrate` scenario in skysim: VM m (1 vCPU by default, ram[m] bytes, working set
 * `workingSet` x ram, `load` busy tasks) starts on s<srcSite>h<m % H> and live-migrates at
 * m x step to s<dstSite>h<m % H>, rounds capped at migSpeed[m] (0: no cap). SimGrid's dirty page
 * intensity i with migration speed m dirties m x i bytes per second of one busy core, which is
 * skysim's dirty rate per busy vCPU. Returns each migration's end and sends in sgpeer's order.
 */
import { Cloud } from "../src/compute/cloud.js";
import { bootVm } from "../src/compute/boot.js";
import { migrateVm } from "../src/compute/live-migration.js";
import { buildPlatform } from "../src/platform/build.js";
import { syntheticPlatform } from "../src/platform/synthetic.js";
import { Simulation } from "../src/sim/index.js";

export interface MigrateParams {
  sites: number;
  hosts: number;
  cores: number;
  vms: number;
  ram: number[];
  migSpeed: number[];
  intensity: number[];
  workingSet: number;
  load: number;
  vcpus: number;
  srcSite: number;
  dstSite: number;
  step: number;
  hostBandwidth: number;
  hostLatency: number;
  backboneBandwidth: number;
  backboneLatency: number;
}

/** sgpeer's defaults for `migrate`: 2 sites x 2 hosts x 4 cores, 2 VMs of 1e9 bytes, no dirtying. */
export const SGPEER_MIGRATE_DEFAULTS: MigrateParams = {
  sites: 2,
  hosts: 2,
  cores: 4,
  vms: 2,
  ram: [1e9],
  migSpeed: [0],
  intensity: [0],
  workingSet: 0.9,
  load: 1,
  vcpus: 1,
  srcSite: 0,
  dstSite: 1,
  step: 0,
  hostBandwidth: 1.25e9,
  hostLatency: 0,
  backboneBandwidth: 1.25e9,
  backboneLatency: 0,
};

const at = (list: number[], i: number): number => list[i % list.length] ?? 0;

export function sgpeerMigrateArguments(p: MigrateParams): Record<string, number | string> {
  return {
    sites: p.sites,
    hosts: p.hosts,
    cores: p.cores,
    vms: p.vms,
    ram: p.ram.join(","),
    "mig-speed": p.migSpeed.join(","),
    "dp-intensity": p.intensity.join(","),
    "working-set": p.workingSet,
    load: p.load,
    vcpus: p.vcpus,
    "src-site": p.srcSite,
    "dst-site": p.dstSite,
    "start-step": p.step,
    "host-bw": p.hostBandwidth,
    "host-lat": p.hostLatency,
    "bb-bw": p.backboneBandwidth,
    "bb-lat": p.backboneLatency,
  };
}

export interface MigrateResult {
  ends: number[];
  sends: [number, number][][];
}

export function runSkysimMigrate(p: MigrateParams): MigrateResult {
  const platform = buildPlatform(
    syntheticPlatform({
      sites: p.sites,
      hostsPerSite: p.hosts,
      cores: p.cores,
      memory: 1e15,
      hostBandwidth: p.hostBandwidth,
      hostLatency: p.hostLatency,
      backbone: "shared",
      backboneBandwidth: p.backboneBandwidth,
      backboneLatency: p.backboneLatency,
    }),
  );
  const sim = new Simulation();
  const cloud = new Cloud(sim, platform, { sharing: "cm02" });
  const ends = new Array<number>(p.vms).fill(Number.NaN);
  const sends: [number, number][][] = [];
  for (let m = 0; m < p.vms; m++) {
    const speed = at(p.migSpeed, m);
    const vm = cloud.createVm({
      name: `vm${m}`,
      vcpus: p.vcpus,
      memory: at(p.ram, m),
      workingSet: p.workingSet,
      dirtyRate: speed * at(p.intensity, m),
      imageSize: 0,
    });
    cloud.setLoad(vm, p.load);
    bootVm(cloud, vm, p.srcSite * p.hosts + (m % p.hosts), { delay: 0 });
    sim.scheduleAt(m * p.step, () => {
      const migration = migrateVm(cloud, vm, p.dstSite * p.hosts + (m % p.hosts), {
        ...(speed > 0 ? { speed } : {}),
        onDone: (done) => {
          ends[m] = done.end;
        },
      });
      sends[m] = migration.sends;
    });
  }
  sim.run();
  return { ends, sends };
}
