/**
 * sgpeer's `cpu` scenario in skysim: on every host, `vms` VMs (VM j with vcpus[j % n] vCPUs runs
 * tasks[j % n] tasks, task t computing flops[t % n]), or with vms = 0 the tasks of VM 0 directly
 * on the host (each a 1-vCPU consumer). All start at 0. Returns the end times in sgpeer's order.
 */
import { Cpu } from "../src/compute/cpu.js";
import { Simulation } from "../src/sim/index.js";

export interface CpuParams {
  sites: number;
  hosts: number;
  cores: number;
  speed: number;
  vms: number;
  vcpus: number[];
  tasks: number[];
  flops: number[];
}

const at = (list: number[], i: number): number => list[i % list.length] ?? 0;

export function sgpeerCpuArguments(p: CpuParams): Record<string, number | string> {
  return {
    sites: p.sites,
    hosts: p.hosts,
    cores: p.cores,
    speed: p.speed,
    vms: p.vms,
    vcpus: p.vcpus.join(","),
    tasks: p.tasks.join(","),
    flops: p.flops.join(","),
  };
}

export function runSkysimCpu(p: CpuParams): number[] {
  const sim = new Simulation();
  const hostCount = p.sites * p.hosts;
  const cpu = new Cpu(
    sim,
    Array.from({ length: hostCount }, (_, h) => ({
      name: `h${h}`,
      cores: p.cores,
      speed: p.speed,
    })),
  );
  const ends: number[] = [];
  for (let host = 0; host < hostCount; host++) {
    for (let j = 0; j < Math.max(p.vms, 1); j++) {
      const vm = p.vms > 0 ? cpu.addConsumer(host, `vm${j}`, at(p.vcpus, j)) : undefined;
      for (let t = 0; t < at(p.tasks, j); t++) {
        const index = ends.length;
        ends.push(Number.NaN);
        const consumer = vm ?? cpu.addConsumer(host, `task${t}`, 1);
        cpu.execute(consumer, at(p.flops, t), (execution) => {
          ends[index] = execution.endTime;
        });
      }
    }
  }
  sim.run();
  return ends;
}
