import type { CpuConsumer } from "./cpu.js";

/** What a VM is made of; the same for every VM of a vjob's template. */
export interface VmSpec {
  readonly name: string;
  readonly vcpus: number;
  /** RAM, bytes */
  readonly memory: number;
  /** Fraction of the RAM that the VM keeps rewriting, in [0, 1]: caps a migration round. */
  readonly workingSet: number;
  /** Bytes of RAM dirtied per second by one fully busy vCPU. */
  readonly dirtyRate: number;
  /** Disk image size, bytes (boot from an image store, snapshot disk delta). */
  readonly imageSize: number;
  /** Cores the hypervisor guarantees it, up to its demand (a CPU reservation); none if absent. */
  readonly reserved?: number;
}

export type VmState =
  | "waiting"
  | "booting"
  | "running"
  | "migrating"
  | "suspending"
  | "suspended"
  | "resuming"
  | "snapshotting"
  | "restoring"
  | "failed"
  | "stopped";

/**
 * A virtual machine. `host` is where it runs (or where its suspended image lies); while it
 * migrates, `destination` is where it goes. `memoryOn` lists the hosts whose RAM it holds: one
 * while it runs, two while it migrates, none while suspended, failed or stopped. Fields are
 * read-only for everyone but the cloud model (src/compute).
 */
export class Vm {
  state: VmState = "waiting";
  host: number | undefined = undefined;
  destination: number | undefined = undefined;
  readonly memoryOn: number[] = [];
  /** The VM's vCPUs on its host, while it has a running image. */
  consumer: CpuConsumer | undefined = undefined;
  /** Work its load had left when the VM failed, flops (undefined: none, or not failed). */
  workLeftAtFailure: number | undefined = undefined;

  constructor(
    readonly id: number,
    readonly spec: VmSpec,
  ) {}

  get name(): string {
    return this.spec.name;
  }
}
