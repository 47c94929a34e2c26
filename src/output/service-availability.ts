import type { Cloud } from "../compute/cloud.js";
import type { Vm, VmState } from "../compute/vm.js";
import type { VjobRunner } from "../workload/vjob-runner.js";

/** How available the workload's replicated services were (see `replicas` of listed jobs). */
export interface ServiceSummary {
  /** Replicated services submitted. */
  readonly count: number;
  /** Mean over services of the fraction of their time with at least one replica running. */
  readonly availability: number;
  /** The least available service's fraction. */
  readonly minAvailability: number;
  /** Mean over services of the fraction of their time with every replica running. */
  readonly allUp: number;
  /** Seconds with no replica running, summed over services. */
  readonly downSeconds: number;
  /** Times a service went down (its last running replica stopped), summed over services. */
  readonly outages: number;
}

/**
 * A VM serves while it runs, migrates or is snapshotted live; not while a coordinated snapshot's
 * capture pauses it. (A migration's last copy pauses it for a fraction of a second, unsignalled:
 * not counted.)
 */
const SERVING: readonly VmState[] = ["running", "migrating", "snapshotting"];

function serves(vm: Vm): boolean {
  return SERVING.includes(vm.state) && vm.consumer !== undefined && !vm.consumer.paused;
}

interface Service {
  readonly replicas: number;
  /** Replicas whose VMs all serve now, and replicas finished. */
  readonly up: Set<string>;
  finished: number;
  start: number;
  end: number | undefined;
  /** Since when at least one replica (every replica) has served, NaN if not now. */
  upSince: number;
  allSince: number;
  upSeconds: number;
  allSeconds: number;
  outages: number;
}

/**
 * A service's time runs from its submission until its last replica finishes (or the run ends);
 * it is up while one of its replicas serves (every VM of the replica's current attempt serves: a
 * replica booting, restoring, paused or lost does not).
 */
export class ServiceAvailability {
  private readonly services = new Map<string, Service>();
  private readonly serviceOf = new Map<string, string>();
  private readonly replicaOf = new WeakMap<Vm, string>();
  private readonly vmsOf = new Map<string, readonly Vm[]>();

  constructor(
    private readonly cloud: Cloud,
    runner: VjobRunner,
    replicated: ReadonlyMap<string, readonly string[]>,
  ) {
    for (const [name, replicas] of replicated) {
      for (const replica of replicas) this.serviceOf.set(replica, name);
    }
    runner.vjobSubmitted.subscribe((record) => {
      const name = this.serviceOf.get(record.spec.name);
      if (name === undefined || this.services.has(name)) return;
      const replicas = replicated.get(name)?.length ?? 0;
      this.services.set(name, {
        replicas,
        up: new Set(),
        finished: 0,
        start: cloud.sim.now,
        end: undefined,
        upSince: Number.NaN,
        allSince: Number.NaN,
        upSeconds: 0,
        allSeconds: 0,
        outages: 0,
      });
    });
    runner.vjobPlaced.subscribe((record) => {
      if (!this.serviceOf.has(record.spec.name)) return;
      for (const vm of record.vms) this.replicaOf.set(vm, record.spec.name);
      this.vmsOf.set(record.spec.name, record.vms);
    });
    cloud.vmStateChanged.subscribe(({ vm }) => {
      const replica = this.replicaOf.get(vm);
      if (replica !== undefined) this.update(replica);
    });
    runner.vjobFinished.subscribe((record) => {
      const name = this.serviceOf.get(record.spec.name);
      const service = name === undefined ? undefined : this.services.get(name);
      if (service === undefined) return;
      this.vmsOf.delete(record.spec.name);
      this.update(record.spec.name, true);
      if (++service.finished === service.replicas) service.end = cloud.sim.now;
    });
  }

  /** Whether the replica serves now, and what that changes for its service (a finish is no outage). */
  private update(replica: string, finishing = false): void {
    const service = this.services.get(this.serviceOf.get(replica) ?? "");
    if (service === undefined) return;
    const vms = this.vmsOf.get(replica) ?? [];
    const serving = vms.length > 0 && vms.every(serves);
    const before = service.up.size;
    if (serving) service.up.add(replica);
    else service.up.delete(replica);
    const after = service.up.size;
    const now = this.cloud.sim.now;
    if (before === 0 && after > 0) service.upSince = now;
    if (before > 0 && after === 0) {
      service.upSeconds += now - service.upSince;
      service.upSince = Number.NaN;
      if (!finishing) service.outages++;
    }
    if (before < service.replicas && after === service.replicas) service.allSince = now;
    if (before === service.replicas && after < service.replicas) {
      service.allSeconds += now - service.allSince;
      service.allSince = Number.NaN;
    }
  }

  /** The services' availability up to `until` (those still going counted until then). */
  summarize(until: number): ServiceSummary {
    const fractions: { up: number; all: number; down: number; outages: number }[] = [];
    for (const service of this.services.values()) {
      const end = service.end ?? until;
      const span = end - service.start;
      if (!(span > 0)) continue;
      const open = (since: number) => (Number.isNaN(since) ? 0 : end - since);
      const up = service.upSeconds + open(service.upSince);
      const all = service.allSeconds + open(service.allSince);
      fractions.push({ up: up / span, all: all / span, down: span - up, outages: service.outages });
    }
    const mean = (values: readonly number[]) =>
      values.length === 0 ? 1 : values.reduce((sum, value) => sum + value, 0) / values.length;
    return {
      count: fractions.length,
      availability: mean(fractions.map((f) => f.up)),
      minAvailability: fractions.length === 0 ? 1 : Math.min(...fractions.map((f) => f.up)),
      allUp: mean(fractions.map((f) => f.all)),
      downSeconds: fractions.reduce((sum, f) => sum + f.down, 0),
      outages: fractions.reduce((sum, f) => sum + f.outages, 0),
    };
  }
}
