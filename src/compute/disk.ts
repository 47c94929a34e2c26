import { type Flow, type FlowOptions } from "../network/flow.js";
import { Network } from "../network/network.js";
import type { Simulation } from "../sim/simulation.js";

export interface DiskHost {
  readonly name: string;
  /** bytes/s, one bandwidth shared by reads and writes */
  readonly diskBandwidth: number;
}

/**
 * Local disks: each host's disk bandwidth is shared fairly among its concurrent reads and writes.
 * A disk behaves as one link without latency, so the network's fluid model does the sharing: an
 * I/O of S bytes alone on a disk of bandwidth B takes S / B.
 */
export class Disks {
  private readonly network: Network;

  constructor(sim: Simulation, hosts: readonly DiskHost[]) {
    this.network = new Network(
      sim,
      hosts.map((host) => ({
        name: `${host.name}-disk`,
        bandwidth: host.diskBandwidth,
        latency: 0,
      })),
    );
  }

  /** Reads or writes `bytes` on the host's disk (both share the same bandwidth). */
  transfer(host: number, bytes: number, options: FlowOptions = {}): Flow {
    return this.network.startFlow([host], bytes, options);
  }

  cancel(io: Flow): void {
    this.network.cancelFlow(io);
  }

  /** Bytes/s in use on a host's disk. */
  load(host: number): number {
    return this.network.linkLoad(host);
  }
}
