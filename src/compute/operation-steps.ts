import type { Flow } from "../network/flow.js";
import type { Cloud, VmOperation } from "./cloud.js";

/**
 * One step after another (disk writes, transfers, reads), any of which a failure can stop: the
 * I/O under way is cancelled and nothing further runs.
 */
export class Steps implements VmOperation {
  private current: { flow: Flow; onDisk: boolean } | undefined = undefined;
  /** Set by operations that can survive the crash of the host they move a VM to. */
  targetLost: ((host: number, reason: string) => boolean) | undefined = undefined;
  private stopped = false;

  constructor(
    private readonly cloud: Cloud,
    readonly kind: string,
  ) {}

  abort(): void {
    this.stopped = true;
    const current = this.current;
    this.current = undefined;
    if (current === undefined) return;
    if (current.onDisk) this.cloud.disks.cancel(current.flow);
    else this.cloud.network.cancelFlow(current.flow);
  }

  /** Writes or reads `bytes` on a host's disk, then `next`. */
  disk(host: number, bytes: number, next: () => void): void {
    if (this.stopped) return;
    const flow = this.cloud.disks.transfer(host, bytes, {
      onComplete: () => {
        this.then(next);
      },
    });
    this.current = { flow, onDisk: true };
  }

  /** Sends `bytes` between two hosts, then `next`; `onFail` if a link goes down. */
  transfer(
    from: number,
    to: number,
    bytes: number,
    next: () => void,
    onFail: (why: string) => void,
  ): void {
    if (this.stopped) return;
    const flow = this.cloud.network.startFlow(this.cloud.route(from, to), bytes, {
      onComplete: () => {
        this.then(next);
      },
      onFail: (_, reason) => {
        this.current = undefined;
        if (!this.stopped) onFail(reason);
      },
    });
    this.current = { flow, onDisk: false };
  }

  /** Waits `seconds`, then `next`. */
  delay(seconds: number, next: () => void): void {
    if (this.stopped) return;
    this.cloud.sim.schedule(seconds, () => {
      if (!this.stopped) next();
    });
  }

  private then(next: () => void): void {
    this.current = undefined;
    if (!this.stopped) next();
  }
}
