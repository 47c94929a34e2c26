import type { HostCapacity, VmDemand } from "../src/policies/consolidation/configuration.js";

/** A VM of a consolidation problem: its demand, the host it runs on (if any), pinned or not. */
export const vm = (
  id: number,
  cpu: number,
  memory: number,
  host?: number,
  pinned = false,
): VmDemand => ({ id, cpu, memory, host, pinned });

/** `count` identical hosts, ids 0 to count - 1. */
export const hosts = (count: number, cpu: number, memory: number): HostCapacity[] =>
  Array.from({ length: count }, (_, id) => ({ id, cpu, memory }));
