import type { Cloud } from "../compute/cloud.js";
import { type PowerState, wattsIn } from "../compute/power-model.js";
import { BackboneTraffic } from "./backbone-traffic.js";
import { SlaMetrics, type SlaSummary } from "./sla-metrics.js";

export interface CloudSummary {
  /** Host-seconds spent with more CPU demanded than the host has (VMPlaceS's violation time). */
  readonly violationHostSeconds: number;
  /**
   * Times a host became overloaded; violationHostSeconds over this is the mean time an overload
   * lasts (until a plan or the load itself ends it: the reaction time VMPlaceS compares).
   */
  readonly violationEpisodes: number;
  /** violationHostSeconds / violationEpisodes (0 with none): how long an overload lasts. */
  readonly meanViolationSeconds: number;
  /** Hours of hosts holding at least one VM, summed over hosts. */
  readonly activeHostHours: number;
  /** The integral of every host's power: by its utilisation when on, by its state otherwise. */
  readonly energyKWh: number;
  /** Where that energy went, and how often hosts switched. */
  readonly power: PowerSummary;
  /** Beloglazov & Buyya's SLA metrics: SLATAH, PDM, SLAV and ESV (see SlaMetrics). */
  readonly sla: SlaSummary;
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

export interface PowerSummary {
  /** Energy drawn in each power state, kWh (booting and switching-off: the transitions). */
  readonly energyKWh: Readonly<Record<PowerStateKey, number>>;
  /** Energy of boots and shutdowns together, kWh. */
  readonly transitionsKWh: number;
  /** Switch-offs started and boots started. */
  readonly switchesOff: number;
  readonly boots: number;
  /** Hours hosts spent off (not down), summed over hosts. */
  readonly hostHoursOff: number;
}

type PowerStateKey = "on" | "switchingOff" | "off" | "booting" | "down";
const STATE_KEYS: readonly PowerStateKey[] = ["on", "switchingOff", "off", "booting", "down"];
const KEY_OF: Readonly<Record<PowerState, number>> = {
  on: 0,
  "switching-off": 1,
  off: 2,
  booting: 3,
  down: 4,
};

/**
 * Integrates, from the cloud's signals, what a run's summary reports about the infrastructure:
 * active hosts, energy (power piecewise constant between CPU resharings and power changes, each
 * host at its own model: by utilisation when on, by state otherwise), migrations, snapshots,
 * backbone traffic.
 */
export class CloudMetrics {
  private active = 0;
  private activeSince = 0;
  private activeSeconds = 0;
  private readonly watts: Float64Array;
  private readonly wattsSince: Float64Array;
  /** The power state each host's current watts belong to (KEY_OF). */
  private readonly stateOf: Uint8Array;
  /** Joules drawn so far in each state. */
  private readonly joules = new Float64Array(STATE_KEYS.length);
  private switchesOff = 0;
  private offSeconds = 0;
  private boots = 0;
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
  private readonly sla: SlaMetrics;

  private episodes = 0;

  constructor(private readonly cloud: Cloud) {
    const hosts = cloud.platform.hosts.length;
    this.watts = new Float64Array(hosts);
    this.wattsSince = new Float64Array(hosts);
    this.stateOf = new Uint8Array(hosts);
    for (let host = 0; host < hosts; host++) this.refresh(host);
    this.wasActive = new Uint8Array(hosts);
    this.backbone = new BackboneTraffic(cloud);
    this.sla = new SlaMetrics(cloud);
    cloud.cpu.hostReshared.subscribe((host) => {
      this.refresh(host);
    });
    cloud.cpu.overloadChanged.subscribe(({ overloaded }) => {
      if (overloaded) this.episodes++;
    });
    cloud.hostPowerChanged.subscribe(({ host, to }) => {
      if (to === "switching-off") this.switchesOff++;
      if (to === "booting") this.boots++;
      this.refresh(host);
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

  /** Integrates the host's power up to now, then takes its power in its current state. */
  private refresh(host: number): void {
    const now = this.cloud.sim.now;
    const key = this.stateOf[host] ?? 0;
    this.joules[key] = (this.joules[key] ?? 0) + this.joulesSince(host, now);
    if (key === KEY_OF.off) this.offSeconds += now - (this.wattsSince[host] ?? 0);
    const state = this.cloud.power.stateOf(host);
    this.watts[host] = wattsIn(this.cloud.energyOf(host), state, this.cloud.cpu.utilization(host));
    this.wattsSince[host] = now;
    this.stateOf[host] = KEY_OF[state];
  }

  private joulesSince(host: number, now: number): number {
    return (this.watts[host] ?? 0) * (now - (this.wattsSince[host] ?? 0));
  }

  /** The summary up to `until` (the current time or later, nothing changing in between). */
  summarize(until: number): CloudSummary {
    const joules = Float64Array.from(this.joules);
    for (let host = 0; host < this.watts.length; host++) {
      const key = this.stateOf[host] ?? 0;
      joules[key] = (joules[key] ?? 0) + this.joulesSince(host, until);
    }
    const kwh = (key: PowerStateKey): number => (joules[STATE_KEYS.indexOf(key)] ?? 0) / 3.6e6;
    let offSeconds = this.offSeconds;
    for (let host = 0; host < this.watts.length; host++) {
      if (this.stateOf[host] === KEY_OF.off) offSeconds += until - (this.wattsSince[host] ?? 0);
    }
    let violation = 0;
    for (const host of this.cloud.platform.hosts)
      violation += this.cloud.cpu.violationSeconds(host.id);
    const energyKWh = joules.reduce((sum, j) => sum + j, 0) / 3.6e6;
    return {
      violationHostSeconds: violation,
      violationEpisodes: this.episodes,
      meanViolationSeconds: this.episodes > 0 ? violation / this.episodes : 0,
      activeHostHours: (this.activeSeconds + this.active * (until - this.activeSince)) / 3600,
      energyKWh,
      power: {
        energyKWh: {
          on: kwh("on"),
          switchingOff: kwh("switchingOff"),
          off: kwh("off"),
          booting: kwh("booting"),
          down: kwh("down"),
        },
        transitionsKWh: kwh("booting") + kwh("switchingOff"),
        switchesOff: this.switchesOff,
        boots: this.boots,
        hostHoursOff: offSeconds / 3600,
      },
      migrations: { ...this.migrations },
      snapshots: { ...this.snapshots },
      backboneBytes: this.backbone.total().backbone,
      sla: this.sla.summarize(until, energyKWh),
    };
  }
}
