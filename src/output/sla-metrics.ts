import type { Cloud } from "../compute/cloud.js";
import type { Vm, VmState } from "../compute/vm.js";

/**
 * Beloglazov & Buyya's SLA metrics (CCPE 2012, section 8.2), from the cloud's signals:
 * - SLATAH, SLA violation time per active host: the mean over hosts that held VMs of the fraction
 *   of that time they spent overloaded (CPU demand above their cores, their VMs short of CPU);
 * - PDM, performance degradation due to migrations: the mean over VMs of the CPU they lost to
 *   migrations (the paper's estimate: 10% of their demand while migrating) over the CPU they
 *   demanded in their life (core-seconds while running or migrating);
 * - SLAV = SLATAH x PDM, and ESV = energy (kWh) x SLAV.
 */
export interface SlaSummary {
  readonly slatah: number;
  readonly pdm: number;
  readonly slav: number;
  readonly esv: number;
}

/** The share of a VM's demand lost while it migrates (the paper's estimate). */
export const MIGRATION_DEGRADATION = 0.1;

const DEMANDING: ReadonlySet<VmState> = new Set(["running", "migrating"]);

interface VmAccount {
  since: number;
  requested: number;
  degraded: number;
}

export class SlaMetrics {
  private readonly activeSince: Float64Array;
  private readonly activeSeconds: Float64Array;
  private readonly accounts = new Map<Vm, VmAccount>();
  /** Sum of degraded / requested over the VMs that stopped, and how many. */
  private ratioSum = 0;
  private ratioCount = 0;

  constructor(private readonly cloud: Cloud) {
    const hosts = cloud.platform.hosts.length;
    this.activeSince = new Float64Array(hosts).fill(Number.NaN);
    this.activeSeconds = new Float64Array(hosts);
    cloud.hostUsageChanged.subscribe((host) => {
      const since = this.activeSince[host] ?? Number.NaN;
      const active = cloud.isActive(host);
      if (active && Number.isNaN(since)) this.activeSince[host] = cloud.sim.now;
      if (!active && !Number.isNaN(since)) {
        this.activeSeconds[host] = (this.activeSeconds[host] ?? 0) + cloud.sim.now - since;
        this.activeSince[host] = Number.NaN;
      }
    });
    cloud.vmLoadChanging.subscribe((vm) => {
      this.settle(vm, vm.state);
    });
    cloud.vmStateChanged.subscribe(({ vm, from, to }) => {
      this.settle(vm, from);
      if (to === "stopped" || to === "failed") this.close(vm);
    });
  }

  /** Brings the VM's account up to now, in the state it was in since the last change. */
  private settle(vm: Vm, state: VmState): void {
    const now = this.cloud.sim.now;
    let account = this.accounts.get(vm);
    if (account === undefined) {
      account = { since: now, requested: 0, degraded: 0 };
      this.accounts.set(vm, account);
    }
    if (DEMANDING.has(state)) {
      const coreSeconds = this.cloud.load(vm) * (now - account.since);
      account.requested += coreSeconds;
      if (state === "migrating") account.degraded += MIGRATION_DEGRADATION * coreSeconds;
    }
    account.since = now;
  }

  private close(vm: Vm): void {
    const account = this.accounts.get(vm);
    this.accounts.delete(vm);
    if (account === undefined || !(account.requested > 0)) return;
    this.ratioSum += account.degraded / account.requested;
    this.ratioCount++;
  }

  summarize(until: number, energyKWh: number): SlaSummary {
    let fractions = 0;
    let activeHosts = 0;
    for (const host of this.cloud.platform.hosts) {
      const since = this.activeSince[host.id] ?? Number.NaN;
      const active = (this.activeSeconds[host.id] ?? 0) + (Number.isNaN(since) ? 0 : until - since);
      if (!(active > 0)) continue;
      fractions += Math.min(1, this.cloud.cpu.violationSeconds(host.id) / active);
      activeHosts++;
    }
    let ratioSum = this.ratioSum;
    let ratioCount = this.ratioCount;
    for (const [vm, account] of this.accounts) {
      const extra = DEMANDING.has(vm.state) ? this.cloud.load(vm) * (until - account.since) : 0;
      const requested = account.requested + extra;
      if (!(requested > 0)) continue;
      const degraded =
        account.degraded + (vm.state === "migrating" ? MIGRATION_DEGRADATION * extra : 0);
      ratioSum += degraded / requested;
      ratioCount++;
    }
    const slatah = activeHosts === 0 ? 0 : fractions / activeHosts;
    const pdm = ratioCount === 0 ? 0 : ratioSum / ratioCount;
    return { slatah, pdm, slav: slatah * pdm, esv: energyKWh * slatah * pdm };
  }
}
