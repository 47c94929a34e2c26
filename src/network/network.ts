import { Signal } from "../sim/signal.js";
import type { EventId, Simulation } from "../sim/simulation.js";
import { Flow, type FlowOptions } from "./flow.js";
import { MaxMinSolver } from "./maxmin.js";
import { solveMaxMinReference } from "./maxmin-reference.js";

/**
 * `max-min`: equal weights. `cm02`: SimGrid's CM02, where a flow weighs 1 / (route latency), or 1
 * when the route latency is 0 (TCP's RTT unfairness).
 */
export type SharingMode = "max-min" | "cm02";

export interface LinkSpec {
  readonly name: string;
  /** bytes/s, one capacity shared by both directions */
  readonly bandwidth: number;
  /** seconds */
  readonly latency: number;
}

export interface NetworkOptions {
  readonly mode?: SharingMode;
  /**
   * Validation mode: at every change, recompute every flow's rate with the slow reference solver
   * instead of the connected flows with the fast one. Same results, much slower.
   */
  readonly reference?: boolean;
}

export interface FlowFailure {
  readonly flow: Flow;
  readonly reason: string;
}

/**
 * Flows over links, shared by weighted max-min fairness. When a flow starts sharing, ends, or a
 * link changes, only the flows connected to the change (through shared links, transitively) get
 * new rates; the others keep theirs. One engine event stands for the next flow completion.
 */
export class Network {
  readonly flowStarted = new Signal<Flow>("flow started");
  readonly flowCompleted = new Signal<Flow>("flow completed");
  readonly flowFailed = new Signal<FlowFailure>("flow failed");

  private readonly capacity: Float64Array;
  private readonly latency: Float64Array;
  private readonly up: Uint8Array;
  /** Active flows of each link. */
  private readonly onLink: Flow[][];
  /** Flows sharing bandwidth now, and flows still in their latency phase. */
  private readonly active: Flow[] = [];
  private readonly waiting: Flow[] = [];
  private nextId = 0;
  private nextCompletion: EventId | undefined = undefined;
  private nextCompletionTime = Infinity;
  private searchEpoch = 0;
  private readonly linkVisit: Int32Array;
  private readonly solver: MaxMinSolver;
  /** Scratch lists of the component being reshared, reused from call to call. */
  private readonly componentLinks: number[] = [];
  private readonly componentFlows: Flow[] = [];
  private rates = new Float64Array(64);

  readonly mode: SharingMode;
  private readonly reference: boolean;

  constructor(
    private readonly sim: Simulation,
    readonly links: readonly LinkSpec[],
    options: NetworkOptions = {},
  ) {
    this.mode = options.mode ?? "max-min";
    this.reference = options.reference ?? false;
    this.capacity = Float64Array.from(links, (link) => link.bandwidth);
    this.latency = Float64Array.from(links, (link) => link.latency);
    this.up = new Uint8Array(links.length).fill(1);
    this.onLink = links.map(() => []);
    this.linkVisit = new Int32Array(links.length);
    this.solver = new MaxMinSolver(links.length);
  }

  /** Flows currently sharing bandwidth. */
  get activeFlowCount(): number {
    return this.active.length;
  }

  /** Sum of the rates of the flows on a link, bytes/s. */
  linkLoad(link: number): number {
    let load = 0;
    for (const flow of this.onLink[link] ?? []) load += flow.rate;
    return load;
  }

  linkCapacity(link: number): number {
    return this.capacity[link] ?? 0;
  }

  isLinkUp(link: number): boolean {
    return this.up[link] === 1;
  }

  /** Sum of the latencies of a route, seconds. */
  routeLatency(route: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < route.length; i++) total += this.latency[route[i] as number] ?? 0;
    return total;
  }

  /**
   * Starts sending `bytes` along `route` (link indices, each at most once). Alone at a constant
   * rate r, the flow completes at now + route latency + bytes / r.
   */
  startFlow(route: readonly number[], bytes: number, options: FlowOptions = {}): Flow {
    if (!(bytes >= 0 && bytes < Infinity)) {
      throw new RangeError(`startFlow: bytes must be a finite number >= 0, got ${bytes}`);
    }
    for (const link of route) {
      if (!(link >= 0 && link < this.links.length && Number.isInteger(link))) {
        throw new RangeError(`startFlow: no link ${link}`);
      }
    }
    const latency = this.routeLatency(route);
    const weight = this.mode === "cm02" && latency > 0 ? 1 / latency : 1;
    const flow = new Flow(
      this.nextId++,
      Int32Array.from(route),
      bytes,
      this.sim.now,
      latency,
      weight,
      options.bound ?? Infinity,
      options,
    );
    this.flowStarted.emit(flow);
    const down = route.find((link) => this.up[link] === 0);
    if (down !== undefined) {
      // Reported from an event, so the caller holds the handle before any callback runs.
      this.addWaiting(flow);
      this.sim.schedule(0, () => {
        this.fail([flow], `link ${this.nameOf(down)} is down`);
      });
      return flow;
    }
    this.addWaiting(flow);
    this.sim.schedule(latency, () => {
      this.activate(flow);
    });
    return flow;
  }

  /** Stops a flow that has not ended; its bandwidth goes back to the others. */
  cancelFlow(flow: Flow): void {
    if (flow.state !== "latency" && flow.state !== "active") return;
    const seeds = this.detach(flow);
    flow.state = "cancelled";
    flow.endTime = this.sim.now;
    this.reshare(seeds);
  }

  /** Takes a link down (every flow crossing it fails) or brings it back up. */
  setLinkUp(link: number, up: boolean): void {
    this.up[link] = up ? 1 : 0;
    if (up) return;
    const crossing = [...this.active, ...this.waiting].filter((flow) => flow.route.includes(link));
    crossing.sort((a, b) => a.id - b.id);
    this.fail(crossing, `link ${this.nameOf(link)} is down`);
  }

  setLinkBandwidth(link: number, bandwidth: number): void {
    if (!(bandwidth >= 0 && bandwidth < Infinity)) {
      throw new RangeError(`setLinkBandwidth: expected a finite bandwidth >= 0, got ${bandwidth}`);
    }
    this.capacity[link] = bandwidth;
    this.reshare([link]);
  }

  private nameOf(link: number): string {
    return `"${this.links[link]?.name ?? String(link)}"`;
  }

  private addWaiting(flow: Flow): void {
    flow.listIndex = this.waiting.length;
    this.waiting.push(flow);
  }

  private activate(flow: Flow): void {
    if (flow.state !== "latency") return;
    removeAt(this.waiting, flow);
    flow.state = "active";
    flow.updatedAt = this.sim.now;
    if (flow.size === 0 || flow.route.length === 0) {
      // Nothing to send, or no link to share: done once the latency has elapsed.
      this.complete([flow]);
      return;
    }
    flow.listIndex = this.active.length;
    this.active.push(flow);
    flow.route.forEach((link, i) => {
      const list = this.onLink[link] as Flow[];
      flow.positions[i] = list.length;
      list.push(flow);
    });
    this.reshare(Array.from(flow.route));
  }

  /** Removes a flow from the lists; returns its links (where the sharing changes). */
  private detach(flow: Flow): number[] {
    if (flow.state === "latency") {
      removeAt(this.waiting, flow);
      return [];
    }
    this.settle(flow);
    removeAt(this.active, flow);
    flow.route.forEach((link, i) => {
      const list = this.onLink[link] as Flow[];
      const position = flow.positions[i] as number;
      const last = list.pop() as Flow;
      if (last !== flow) {
        list[position] = last;
        last.positions[last.route.indexOf(link)] = position;
      }
    });
    flow.rate = 0;
    return Array.from(flow.route);
  }

  private fail(flows: readonly Flow[], reason: string): void {
    const seeds: number[] = [];
    const failed: Flow[] = [];
    for (const flow of flows) {
      if (flow.state !== "latency" && flow.state !== "active") continue;
      seeds.push(...this.detach(flow));
      flow.state = "failed";
      flow.failure = reason;
      flow.endTime = this.sim.now;
      failed.push(flow);
    }
    this.reshare(seeds);
    for (const flow of failed) {
      this.flowFailed.emit({ flow, reason });
      flow.options.onFail?.(flow, reason);
    }
  }

  private complete(flows: readonly Flow[]): void {
    const seeds: number[] = [];
    for (const flow of flows) {
      if (flow.state === "active" && flow.route.length > 0 && flow.size > 0) {
        seeds.push(...this.detach(flow));
      }
      flow.state = "completed";
      flow.remainingAtUpdate = 0;
      flow.endTime = this.sim.now;
    }
    this.reshare(seeds);
    for (const flow of flows) {
      this.flowCompleted.emit(flow);
      flow.options.onComplete?.(flow);
    }
  }

  private settle(flow: Flow): void {
    flow.settle(this.sim.now);
  }

  /**
   * New rates for every flow connected to the seed links through shared links, then the next
   * completion event. Flows outside that component cannot see their bottleneck change.
   */
  private reshare(seeds: readonly number[]): void {
    const epoch = ++this.searchEpoch;
    const links = this.componentLinks;
    const flows = this.componentFlows;
    links.length = 0;
    flows.length = 0;
    const visitLink = (link: number): void => {
      if (this.linkVisit[link] === epoch) return;
      this.linkVisit[link] = epoch;
      links.push(link);
    };
    if (this.reference)
      this.links.forEach((_, link) => {
        visitLink(link);
      });
    else for (const link of seeds) visitLink(link);
    for (let next = 0; next < links.length; next++) {
      for (const flow of this.onLink[links[next] as number] as Flow[]) {
        if (flow.visit === epoch) continue;
        flow.visit = epoch;
        flows.push(flow);
        for (const link of flow.route) visitLink(link);
      }
    }
    if (flows.length > 0) {
      if (this.rates.length < flows.length) this.rates = new Float64Array(flows.length * 2);
      const rates = this.rates;
      if (this.reference) rates.set(solveMaxMinReference({ capacity: this.capacity, flows }));
      else this.solver.solve(this.capacity, links, flows, rates);
      flows.forEach((flow, i) => {
        const rate = rates[i] as number;
        if (rate === flow.rate) return;
        this.settle(flow);
        flow.rate = rate;
      });
    }
    this.scheduleNextCompletion();
  }

  private scheduleNextCompletion(): void {
    let next = Infinity;
    for (const flow of this.active) next = Math.min(next, flow.finishTime());
    if (next === this.nextCompletionTime) return;
    if (this.nextCompletion !== undefined) this.sim.cancel(this.nextCompletion);
    this.nextCompletionTime = next;
    this.nextCompletion =
      next < Infinity
        ? this.sim.scheduleAt(Math.max(next, this.sim.now), () => {
            this.onCompletionDue();
          })
        : undefined;
  }

  private onCompletionDue(): void {
    const now = this.sim.now;
    this.nextCompletion = undefined;
    this.nextCompletionTime = Infinity;
    const done = this.active.filter((flow) => flow.finishTime() <= now);
    done.sort((a, b) => a.id - b.id);
    if (done.length === 0) this.scheduleNextCompletion();
    else this.complete(done);
  }
}

/** Swap-removes `flow` from `list` using and maintaining its `listIndex`. */
function removeAt(list: Flow[], flow: Flow): void {
  const last = list.pop() as Flow;
  if (last !== flow) {
    list[flow.listIndex] = last;
    last.listIndex = flow.listIndex;
  }
  flow.listIndex = -1;
}
