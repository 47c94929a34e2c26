import type { Cloud } from "../compute/cloud.js";
import type { PowerModel } from "../compute/power-model.js";
import { BackboneTraffic } from "./backbone-traffic.js";

export interface CloudSummary {
  /** Host-seconds spent with more CPU demanded than the host has (VMPlaceS's violation time). */
  readonly violationHostSeconds: number;
  /** Hours of hosts holding at least one VM, summed over hosts. */
  readonly activeHostHours: number;
  /** Every host on for the whole run, at the power of its utilisation. */
  readonly energyKWh: number;
  readonly migrations: {
    readonly completed: number;
    readonly failed: number;
    readonly cancelled: number;
    /** Bytes sent by all migrations, finished or not. */
    readonly bytes: number;
    /** Stop-and-copy pauses of completed migrations, s. */
    readonly downtimeSeconds: number;
  };
  readonly snapshots: {
    readonly stored: number;
    readonly failed: number;
    readonly bytes: number;
    /** Duration of every snapshot, summed, s. */
    readonly seconds: number;
  };
  /**
   * Bytes of inter-site flows (those crossing a site uplink), each flow once, sent up to the
   * current time: finished flows whole, failed and cancelled ones as far as they got.
   */
  readonly backboneBytes: number;
}

/**
 * Integrates, from the cloud's signals, what a run's summary reports about the infrastructure:
 * active hosts, energy (power piecewise constant between CPU resharings), migrations, snapshots,
 * backbone traffic.
 */
export class CloudMetrics {
  private active = 0;
  private activeSince = 0;
  private activeSeconds = 0;
  private readonly watts: Float64Array;
  private readonly wattsSince: Float64Array;
  private joules = 0;
  private readonly migrations = {
    completed: 0,
    failed: 0,
    cancelled: 0,
    bytes: 0,
    downtimeSeconds: 0,
  };
  private readonly snapshots = { stored: 0, failed: 0, bytes: 0, seconds: 0 };
  private readonly wasActive: Uint8Array;
  private readonly backbone: BackboneTraffic;

  constructor(
    private readonly cloud: Cloud,
    power: PowerModel,
  ) {
    const hosts = cloud.platform.hosts.length;
    this.watts = new Float64Array(hosts).fill(power.watts(0));
    this.wattsSince = new Float64Array(hosts);
    this.wasActive = new Uint8Array(hosts);
    this.backbone = new BackboneTraffic(cloud);
    cloud.cpu.hostReshared.subscribe((host) => {
      const now = cloud.sim.now;
      this.joules += (this.watts[host] ?? 0) * (now - (this.wattsSince[host] ?? 0));
      this.watts[host] = power.watts(cloud.cpu.utilization(host));
      this.wattsSince[host] = now;
    });
    cloud.hostUsageChanged.subscribe((host) => {
      const active = cloud.isActive(host) ? 1 : 0;
      if (active === this.wasActive[host]) return;
      this.wasActive[host] = active;
      const now = cloud.sim.now;
      this.activeSeconds += this.active * (now - this.activeSince);
      this.activeSince = now;
      this.active += active === 1 ? 1 : -1;
    });
    cloud.migrationEnded.subscribe((m) => {
      this.migrations[m.state]++;
      this.migrations.bytes += m.bytes;
      if (m.state === "completed") this.migrations.downtimeSeconds += m.downtime;
    });
    cloud.snapshotEnded.subscribe((s) => {
      this.snapshots[s.state]++;
      this.snapshots.bytes += s.bytes;
      this.snapshots.seconds += s.end - s.start;
    });
  }

  /** Hosts holding at least one VM now. */
  get activeHosts(): number {
    return this.active;
  }

  /** Watts drawn by a host now. */
  hostWatts(host: number): number {
    return this.watts[host] ?? 0;
  }

  /** The summary up to `until` (the current time or later, nothing changing in between). */
  summarize(until: number): CloudSummary {
    let joules = this.joules;
    this.watts.forEach((watts, host) => {
      joules += watts * (until - (this.wattsSince[host] ?? 0));
    });
    let violation = 0;
    for (const host of this.cloud.platform.hosts)
      violation += this.cloud.cpu.violationSeconds(host.id);
    return {
      violationHostSeconds: violation,
      activeHostHours: (this.activeSeconds + this.active * (until - this.activeSince)) / 3600,
      energyKWh: joules / 3.6e6,
      migrations: { ...this.migrations },
      snapshots: { ...this.snapshots },
      backboneBytes: this.backbone.total().backbone,
    };
  }
}
