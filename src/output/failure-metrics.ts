import type { Cloud } from "../compute/cloud.js";
import type { FailureInjector } from "../failures/failure-injector.js";
import type { TargetKind } from "../failures/failure-target.js";

export interface FailureSummary {
  /** Failures (and removals) by what failed. */
  readonly failures: Readonly<Record<TargetKind, number>>;
  readonly vmsLost: number;
  /** Per site, the fraction of host-time its hosts were up. */
  readonly availability: Readonly<Record<string, number>>;
}

/** Integrates host availability per site and counts failures and lost VMs, from the signals. */
export class FailureMetrics {
  private vmsLost = 0;
  private readonly upHosts: number[];
  private readonly upSeconds: number[];
  private readonly since: number[];

  constructor(
    private readonly cloud: Cloud,
    private readonly injector: FailureInjector,
  ) {
    const sites = cloud.platform.sites;
    this.upHosts = sites.map((site) => site.clusters.reduce((n, c) => n + c.hosts.length, 0));
    this.upSeconds = sites.map(() => 0);
    this.since = sites.map(() => 0);
    cloud.hostChanged.subscribe(({ host, up, time }) => {
      const site = cloud.platform.hosts[host]?.site ?? 0;
      this.upSeconds[site] =
        (this.upSeconds[site] ?? 0) + (this.upHosts[site] ?? 0) * (time - (this.since[site] ?? 0));
      this.since[site] = time;
      this.upHosts[site] = (this.upHosts[site] ?? 0) + (up ? 1 : -1);
    });
    cloud.vmStateChanged.subscribe(({ to }) => {
      if (to === "failed") this.vmsLost++;
    });
  }

  summarize(until: number): FailureSummary {
    const availability: Record<string, number> = {};
    for (const site of this.cloud.platform.sites) {
      const hosts = site.clusters.reduce((n, c) => n + c.hosts.length, 0);
      const up =
        (this.upSeconds[site.id] ?? 0) +
        (this.upHosts[site.id] ?? 0) * (until - (this.since[site.id] ?? 0));
      availability[site.name] = hosts > 0 && until > 0 ? up / (hosts * until) : 1;
    }
    return { failures: { ...this.injector.failures }, vmsLost: this.vmsLost, availability };
  }
}
