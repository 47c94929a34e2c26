import type { Cloud } from "../compute/cloud.js";
import type { Vm } from "../compute/vm.js";

/** How a decision turns a VM's recent CPU demands into the one number it packs. */
export interface DemandEstimate {
  /** instant: the demand now; mean, max or percentile of the last `window` samples. */
  readonly estimate: "instant" | "mean" | "max" | "percentile";
  /** Samples kept per VM, one per decision (so `window` x the period of history). */
  readonly window: number;
  /** For `percentile`: which, in [0, 100] (nearest rank). */
  readonly percentile: number;
}

/**
 * Entropy's monitoring: at each decision it samples every running VM's CPU demand, keeps the last
 * `window` samples, and gives the decision the estimate asked for. A VM that stops is forgotten;
 * one that has fewer samples than the window is estimated over those it has.
 */
export class DemandMonitor {
  private readonly samples = new Map<Vm, number[]>();

  constructor(
    private readonly cloud: Cloud,
    private readonly settings: DemandEstimate,
  ) {
    // Instant estimates keep no samples: nothing to forget, no work on every VM change.
    if (settings.estimate === "instant") return;
    cloud.vmStateChanged.subscribe(({ vm, to }) => {
      if (to === "stopped" || to === "failed") this.samples.delete(vm);
    });
  }

  /** Takes one sample of every running VM's demand (at a decision, before it is made). */
  sample(): void {
    if (this.settings.estimate === "instant") return;
    for (const vm of this.cloud.liveVms()) {
      if (vm.state !== "running") continue;
      let list = this.samples.get(vm);
      if (list === undefined) {
        list = [];
        this.samples.set(vm, list);
      }
      list.push(this.cloud.load(vm));
      if (list.length > this.settings.window) list.shift();
    }
  }

  /** The demand a decision packs for a running VM, cores. */
  demandOf(vm: Vm): number {
    const now = this.cloud.load(vm);
    const list = this.samples.get(vm);
    if (this.settings.estimate === "instant" || list === undefined || list.length === 0) return now;
    switch (this.settings.estimate) {
      case "mean":
        return list.reduce((sum, x) => sum + x, 0) / list.length;
      case "max":
        return Math.max(...list);
      case "percentile": {
        const sorted = [...list].sort((a, b) => a - b);
        const rank = Math.ceil((this.settings.percentile / 100) * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? now;
      }
    }
  }
}
