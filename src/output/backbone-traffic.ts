import type { Cloud } from "../compute/cloud.js";
import type { Flow } from "../network/flow.js";

/** Bytes that crossed the site uplinks from the start (or the counter's creation) to now. */
export interface BackboneTotal {
  /** Bytes through each site's uplink, both directions, by site id. */
  readonly perSite: number[];
  /**
   * Bytes of the flows whose route crosses at least one uplink, each flow once: an inter-site
   * route crosses two uplinks (see `route`), so this is half the sum of `perSite` there.
   */
  readonly backbone: number;
}

/**
 * Counts, exactly at any instant, the bytes crossing each site's uplink in either direction: a
 * running flow counts the bytes it has sent up to now, a flow that ended (completed, failed or
 * cancelled) what it had sent when it ended. Every flow leaving a site crosses its uplink, so
 * this is the site's backbone traffic.
 *
 * Running flows are read from the uplinks when asked, not followed as they go: per flow it keeps
 * only the bytes already counted, from the first reading until the flow ends, so memory follows
 * the flows in flight. Flows are read in id order and sites in id order, for the same sums on
 * every run.
 */
export class BackboneTraffic {
  /** Site of each link that is a site's uplink, -1 for the other links. */
  private readonly siteOfLink: Int32Array;
  /** Bytes of each running flow (by id) already counted, since the last reading. */
  private readonly counted = new Map<number, number>();
  private readonly sinceStep: Float64Array;
  private readonly perSite: Float64Array;
  private backbone = 0;
  /** Scratch list of the flows on the uplinks, reused from reading to reading. */
  private readonly reading: Flow[] = [];

  constructor(private readonly cloud: Cloud) {
    const { network, platform } = cloud;
    this.siteOfLink = new Int32Array(platform.links.length).fill(-1);
    for (const site of platform.sites) this.siteOfLink[site.uplink] = site.id;
    this.sinceStep = new Float64Array(platform.sites.length);
    this.perSite = new Float64Array(platform.sites.length);
    network.flowCompleted.subscribe((flow) => {
      this.settle(flow);
    });
    network.flowFailed.subscribe(({ flow }) => {
      this.settle(flow);
    });
    network.flowCancelled.subscribe((flow) => {
      this.settle(flow);
    });
  }

  /** Bytes through each site's uplink (by site id) since the previous call (or the start). */
  takeStep(): number[] {
    this.readRunningFlows();
    const step = Array.from(this.sinceStep);
    this.sinceStep.fill(0);
    return step;
  }

  /** Bytes through each site's uplink, and on the backbone, from the start to now. */
  total(): BackboneTotal {
    this.readRunningFlows();
    return { perSite: Array.from(this.perSite), backbone: this.backbone };
  }

  /** Bytes the flow has sent by now; exact once it ended too, as its rate is then 0. */
  private sent(flow: Flow): number {
    return flow.size - flow.remainingAt(this.cloud.sim.now);
  }

  /** Counts the bytes a flow sent since its last reading, and forgets it. */
  private settle(flow: Flow): void {
    this.count(flow, this.sent(flow));
    this.counted.delete(flow.id);
  }

  /** Counts the flows running on the uplinks up to now, each once even if it crosses two. */
  private readRunningFlows(): void {
    const flows = this.reading;
    flows.length = 0;
    for (const site of this.cloud.platform.sites) {
      for (const flow of this.cloud.network.flowsOn(site.uplink)) flows.push(flow);
    }
    flows.sort((a, b) => a.id - b.id);
    let previous: Flow | undefined;
    for (const flow of flows) {
      if (flow === previous) continue;
      previous = flow;
      const sent = this.sent(flow);
      this.count(flow, sent);
      this.counted.set(flow.id, sent);
    }
    flows.length = 0;
  }

  /** Adds what the flow sent beyond what was counted to each uplink it crosses and the backbone. */
  private count(flow: Flow, sent: number): void {
    const bytes = sent - (this.counted.get(flow.id) ?? 0);
    let crossesUplink = false;
    for (const link of flow.route) {
      const site = this.siteOfLink[link] ?? -1;
      if (site < 0) continue;
      this.sinceStep[site] = (this.sinceStep[site] ?? 0) + bytes;
      this.perSite[site] = (this.perSite[site] ?? 0) + bytes;
      crossesUplink = true;
    }
    if (crossesUplink) this.backbone += bytes;
  }
}
