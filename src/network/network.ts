import { QuaternaryHeap } from "../sim/quaternary-heap.js";
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
 * A flow arriving at its bound on links that all have room for it, or leaving links where no flow
 * is held back, changes no other rate (the max-min allocation is unique, and the old rates plus
 * the change still satisfy its conditions). Below this fraction of spare capacity a link counts as
 * full, which absorbs the rounding of the incrementally kept link loads.
 */
const ROOM_MARGIN = 1e-9;

/**
 * Flows over links, shared by weighted max-min fairness. When a flow starts sharing or ends, the
 * other rates stay as they are if they cannot change (see ROOM_MARGIN); otherwise, and when a
 * link changes, the flows connected to the change (through shared links, transitively) get new
 * rates and the others keep theirs. Flows wait for completion in a heap keyed by finish time; one
 * engine event stands for the earliest.
 */
export class Network {
  readonly flowStarted = new Signal<Flow>("flow started");
  readonly flowCompleted = new Signal<Flow>("flow completed");
  readonly flowFailed = new Signal<FlowFailure>("flow failed");
  /** A flow stopped by `cancelFlow`, after its bytes so far were settled. */
  readonly flowCancelled = new Signal<Flow>("flow cancelled");

  private readonly capacity: Float64Array;
  private readonly latency: Float64Array;
  private readonly up: Uint8Array;
  /** Sum of the rates of each link's flows, kept incrementally between full re-solves. */
  private readonly load: Float64Array;
  /** 1 where the last solve held some flow back because the link was full. */
  private readonly bottleneck: Uint8Array;
  /** Active flows of each link. */
  private readonly onLink: Flow[][];
  /** Flows sharing bandwidth now, and flows still in their latency phase. */
  private readonly active: Flow[] = [];
  private readonly waiting: Flow[] = [];
  private nextId = 0;
  /**
   * Finish times of the moving flows, as (time, ticket, slot in `bySlot`). A flow takes a new
   * ticket whenever its rate changes: entries whose ticket is not its flow's current one are stale
   * and skipped. Ties need no order here: flows finishing together complete in id order.
   */
  private readonly finishing = new QuaternaryHeap(64);
  private nextTicket = 0;
  /** Active flows by slot, and the free slots, so that heap entries can name their flow. */
  private readonly bySlot: (Flow | undefined)[] = [];
  private readonly freeSlots: number[] = [];
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
    this.load = new Float64Array(links.length);
    this.bottleneck = new Uint8Array(links.length);
    this.onLink = links.map(() => []);
    this.linkVisit = new Int32Array(links.length);
    this.solver = new MaxMinSolver(links.length);
  }

  /** How many times rates were re-solved (for a component of flows, or all in reference mode). */
  solveCount = 0;

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

  /**
   * The flows sharing a link now, in no particular order. Flows still in their latency phase are
   * not on their links yet (they carry no bytes). The list is the network's own and changes as
   * flows come and go: copy it to keep it.
   */
  flowsOn(link: number): readonly Flow[] {
    return this.onLink[link] ?? [];
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
    this.reshareAfterLeaving(seeds);
    this.flowCancelled.emit(flow);
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
    this.scheduleNextCompletion();
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
    flow.slot = this.freeSlots.pop() ?? this.bySlot.length;
    this.bySlot[flow.slot] = flow;
    flow.route.forEach((link, i) => {
      const list = this.onLink[link] as Flow[];
      flow.positions[i] = list.length;
      list.push(flow);
    });
    if (this.reference || !this.hasRoomAtBound(flow)) this.reshare(Array.from(flow.route));
    else this.setRate(flow, flow.bound);
    this.scheduleNextCompletion();
  }

  /** Whether every link of the flow's route can take the flow at its bound without filling up. */
  private hasRoomAtBound(flow: Flow): boolean {
    if (flow.bound === Infinity) return false;
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      const capacity = this.capacity[link] as number;
      if ((this.load[link] as number) + flow.bound > capacity * (1 - ROOM_MARGIN)) return false;
    }
    return true;
  }

  /** Removes a flow from the lists; returns its links (where the sharing changes). */
  private detach(flow: Flow): number[] {
    if (flow.state === "latency") {
      removeAt(this.waiting, flow);
      return [];
    }
    this.setRate(flow, 0);
    removeAt(this.active, flow);
    this.bySlot[flow.slot] = undefined;
    this.freeSlots.push(flow.slot);
    flow.slot = -1;
    flow.route.forEach((link, i) => {
      const list = this.onLink[link] as Flow[];
      const position = flow.positions[i] as number;
      const last = list.pop() as Flow;
      if (last !== flow) {
        list[position] = last;
        last.positions[last.route.indexOf(link)] = position;
      }
    });
    return Array.from(flow.route);
  }

  /** Settles the flow, gives it `rate` (adding the difference to its links' loads). */
  private setRate(flow: Flow, rate: number): void {
    const route = flow.route;
    const delta = rate - flow.rate;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      this.load[link] = (this.load[link] as number) + delta;
    }
    this.setRateOnly(flow, rate);
  }

  /** Settles the flow, gives it `rate` and files its new finish time; link loads left as they are. */
  private setRateOnly(flow: Flow, rate: number): void {
    flow.settle(this.sim.now);
    flow.rate = rate;
    flow.ticket = this.nextTicket++;
    if (rate > 0) this.finishing.push(flow.finishTime(), flow.ticket, flow.slot);
  }

  /** Whether a heap entry still stands for its flow's finish time. */
  private isLive(ticket: number, slot: number): boolean {
    return this.bySlot[slot]?.ticket === ticket;
  }

  /**
   * After flows left `links`: the others keep their rates unless one of them was held back by
   * one of these links.
   */
  private reshareAfterLeaving(links: readonly number[]): void {
    if (this.reference || links.some((link) => this.bottleneck[link] === 1)) this.reshare(links);
    this.scheduleNextCompletion();
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
    this.reshareAfterLeaving(seeds);
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
    this.reshareAfterLeaving(seeds);
    for (const flow of flows) {
      this.flowCompleted.emit(flow);
      flow.options.onComplete?.(flow);
    }
  }

  /**
   * New rates for every flow connected to the seed links through shared links (and exact loads
   * for their links). Flows outside that component cannot see their bottleneck change.
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
    for (const link of links) this.bottleneck[link] = 0;
    if (flows.length > 0) {
      this.solveCount++;
      if (this.rates.length < flows.length) this.rates = new Float64Array(flows.length * 2);
      const rates = this.rates;
      if (this.reference) rates.set(solveMaxMinReference({ capacity: this.capacity, flows }));
      else this.solver.solve(this.capacity, links, flows, rates, this.bottleneck);
      flows.forEach((flow, i) => {
        const rate = rates[i] as number;
        if (rate !== flow.rate) this.setRateOnly(flow, rate);
      });
    }
    for (const link of links) this.load[link] = this.linkLoad(link);
  }

  /** Drops stale entries from the top of the finish-time heap, and compacts it when mostly stale. */
  private cleanFinishing(): void {
    const finishing = this.finishing;
    if (finishing.size > 2 * this.active.length + 64) {
      finishing.filter((slot, ticket) => this.isLive(ticket, slot));
    }
    while (finishing.size > 0 && !this.isLive(finishing.peekSeq(), finishing.peekSlot())) {
      finishing.pop();
    }
  }

  private scheduleNextCompletion(): void {
    this.cleanFinishing();
    const next = this.finishing.size > 0 ? this.finishing.peekTime() : Infinity;
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
    const done: Flow[] = [];
    this.cleanFinishing();
    while (this.finishing.size > 0 && this.finishing.peekTime() <= now) {
      const flow = this.bySlot[this.finishing.peekSlot()] as Flow;
      this.finishing.pop();
      flow.ticket = this.nextTicket++;
      done.push(flow);
      this.cleanFinishing();
    }
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
