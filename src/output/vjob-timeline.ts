import type { Cloud } from "../compute/cloud.js";
import type { Vm } from "../compute/vm.js";
import type { FailureInjector } from "../failures/failure-injector.js";
import type { VjobRecord } from "../workload/vjob-record.js";
import type { VjobRunner } from "../workload/vjob-runner.js";
import type { TableFile, TableSpec } from "./table-file.js";

export const TIMELINE_TABLE: TableSpec = {
  name: "timeline",
  columns: ["subject", "site", "what", "start", "end", "value"],
  text: ["subject", "site", "what"],
};

/** What a vjob is doing in a segment of the timeline. */
type Activity = "queued" | "booting" | "restoring" | "running";

interface Segment {
  what: Activity;
  /** The site it is on; for a queued segment, fixed when it ends (where the vjob goes next). */
  site: string;
  start: number;
}

/**
 * The timeline of a vjobs run, one row per segment or instant (timeline.csv, drawn as the report's
 * Gantt chart), in the order they end:
 * - each vjob (subject: its name) is `queued`, then `booting` or `restoring`, then `running`,
 *   until it is done or fails; a queued segment is put on the site the vjob goes to next (none
 *   if it never does); `snapshot` and `snapshot failed` segments (value: bytes stored) lie over
 *   its running ones;
 * - instants (start = end) on a vjob: `failed` (it lost a VM), `restored` or `restarted` (the loss
 *   was noticed: from a snapshot, or from zero), `moved` (it starts on another site than it last
 *   ran on, or a live migration took it there), `migration` (one of its VMs arrived by live
 *   migration), `lost work` (value: core-seconds of work thrown away since the last row of it);
 * - `host down` instants (subject: the host) and `site down` segments (subject: the site).
 * The `lost work` values add up to the summary's lostCoreSeconds.
 */
export class VjobTimeline {
  private readonly open = new Map<VjobRecord, Segment>();
  private readonly lastSite = new Map<VjobRecord, string>();
  private readonly lostCounted = new Map<VjobRecord, number>();
  private readonly jobOfVm = new Map<Vm, VjobRecord>();
  /** Each vjob's VMs of its current attempt (those jobOfVm knows it by). */
  private readonly vmsOf = new Map<VjobRecord, readonly Vm[]>();
  private readonly sitesDown = new Map<string, number>();

  constructor(
    private readonly cloud: Cloud,
    runner: VjobRunner,
    injector: FailureInjector,
    private readonly out: TableFile,
  ) {
    runner.vjobSubmitted.subscribe((record) => {
      this.begin(record, "queued", "");
    });
    runner.vjobPlaced.subscribe((record) => {
      const site = this.siteOfHost(record.hosts[0]);
      this.end(record, site);
      this.countLost(record);
      const last = this.lastSite.get(record);
      if (last !== undefined && last !== site) this.instant(record, "moved", site);
      this.lastSite.set(record, site);
      this.forgetVms(record);
      this.vmsOf.set(record, [...record.vms]);
      for (const vm of record.vms) this.jobOfVm.set(vm, record);
      this.begin(record, record.state === "restoring" ? "restoring" : "booting", site);
    });
    runner.vjobStarted.subscribe((record) => {
      const segment = this.open.get(record);
      this.end(record);
      this.begin(record, "running", segment?.site ?? "");
    });
    runner.vjobFailed.subscribe((record) => {
      const segment = this.open.get(record);
      this.end(record);
      this.instant(record, "failed", segment?.site ?? "");
      this.begin(record, "queued", "");
    });
    runner.vjobFlies.subscribe((record) => {
      this.end(record);
      this.countLost(record);
      this.begin(record, "queued", "");
    });
    runner.vjobRestarted.subscribe((record) => {
      this.instant(record, "restarted", this.lastSite.get(record) ?? "");
      this.countLost(record);
    });
    runner.vjobRestored.subscribe((record) => {
      this.instant(record, "restored", this.lastSite.get(record) ?? "");
      this.countLost(record);
    });
    runner.vjobFinished.subscribe((record) => {
      this.end(record);
      this.countLost(record);
      this.forget(record);
    });
    cloud.snapshotEnded.subscribe(({ vms, state, start, end, bytes }) => {
      const record = vms[0] === undefined ? undefined : this.jobOfVm.get(vms[0]);
      if (record === undefined) return;
      const what = state === "stored" ? "snapshot" : "snapshot failed";
      this.out.write([record.spec.name, this.lastSite.get(record) ?? "", what, start, end, bytes]);
    });
    cloud.migrationEnded.subscribe(({ vm, state, destination, end }) => {
      const record = this.jobOfVm.get(vm);
      if (record === undefined || state !== "completed") return;
      const site = this.siteOfHost(destination);
      this.out.write([record.spec.name, site, "migration", end, end, ""]);
      const segment = this.open.get(record);
      // A flight by live migration: the running segment goes on at the new site.
      if (segment !== undefined && segment.site !== site) {
        this.end(record);
        this.instant(record, "moved", site);
        this.lastSite.set(record, site);
        this.begin(record, segment.what, site);
      }
    });
    injector.changed.subscribe(({ target, event, time }) => {
      if (target.kind === "host" && event !== "up") {
        const host = target.hosts[0];
        this.out.write([target.name, this.siteOfHost(host), "host down", time, time, ""]);
      }
      if (target.kind !== "site") return;
      if (event === "up") this.siteUp(target.name, time);
      else if (!this.sitesDown.has(target.name)) this.sitesDown.set(target.name, time);
    });
  }

  /** Ends every open segment at `until` and counts the work lost not yet written. */
  finish(until: number): void {
    for (const record of [...this.open.keys()]) {
      this.end(record, undefined, until);
      this.countLost(record);
    }
    for (const site of [...this.sitesDown.keys()]) this.siteUp(site, until);
  }

  private siteUp(site: string, time: number): void {
    const down = this.sitesDown.get(site);
    if (down === undefined) return;
    this.sitesDown.delete(site);
    this.out.write([site, site, "site down", down, time, ""]);
  }

  private siteOfHost(host: number | undefined): string {
    const site = this.cloud.platform.hosts[host ?? -1]?.site;
    return site === undefined ? "" : (this.cloud.platform.sites[site]?.name ?? "");
  }

  private begin(record: VjobRecord, what: Activity, site: string): void {
    this.open.set(record, { what, site, start: this.cloud.sim.now });
  }

  /** Writes the vjob's open segment, ending now (on `site` if it was queued). */
  private end(record: VjobRecord, site?: string, time = this.cloud.sim.now): void {
    const segment = this.open.get(record);
    if (segment === undefined) return;
    this.open.delete(record);
    const where = segment.what === "queued" ? (site ?? segment.site) : segment.site;
    this.out.write([record.spec.name, where, segment.what, segment.start, time, ""]);
  }

  private instant(record: VjobRecord, what: string, site: string): void {
    const now = this.cloud.sim.now;
    this.out.write([record.spec.name, site, what, now, now, ""]);
  }

  private countLost(record: VjobRecord): void {
    const counted = this.lostCounted.get(record) ?? 0;
    if (record.lostCoreSeconds === counted) return;
    this.lostCounted.set(record, record.lostCoreSeconds);
    const now = this.cloud.sim.now;
    const site = this.lastSite.get(record) ?? "";
    this.out.write([
      record.spec.name,
      site,
      "lost work",
      now,
      now,
      record.lostCoreSeconds - counted,
    ]);
  }

  private forget(record: VjobRecord): void {
    this.lastSite.delete(record);
    this.lostCounted.delete(record);
    this.forgetVms(record);
  }

  private forgetVms(record: VjobRecord): void {
    for (const vm of this.vmsOf.get(record) ?? []) this.jobOfVm.delete(vm);
    this.vmsOf.delete(record);
  }
}
