import { QuaternaryHeap } from "../sim/quaternary-heap.js";
import { Signal } from "../sim/signal.js";
import type { EventId, Simulation } from "../sim/simulation.js";
import type { BottleneckGroup } from "./bottleneck-group.js";
import { BottleneckPool, ROOM_MARGIN } from "./bottleneck-pool.js";
import { PoolLinks } from "./pool-links.js";
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
  /**
   * A component of at least this many flows is served as a pool when its rates allow (see
   * BottleneckPool): flows joining and leaving it change a level instead of every rate.
   * Infinity: never (every change re-solves the component).
   */
  readonly poolThreshold?: number;
}

export interface FlowFailure {
  readonly flow: Flow;
  readonly reason: string;
}

/** The default `poolThreshold`: below it, re-solving a component costs less than pooling it. */
const POOL_THRESHOLD = 32;
/**
 * Most groups in a pool: each level change proposes every group's level (checking again only
 * those whose level or flows changed) and the pairs of groups with foreign members.
 */
const MAX_GROUPS = 1024;

/**
 * A failing pool check demotes groups of at most SMALL_GROUP members to satellites, at most
 * MAX_REPAIRS times in a row and while the pool keeps at most MAX_SATELLITES satellites; beyond,
 * the component is re-solved.
 */
const SMALL_GROUP = 16;
const MAX_REPAIRS = 4;
const MAX_SATELLITES = 1024;

/**
 * Flows over links, shared by weighted max-min fairness. When a flow starts sharing or ends, the
 * other rates stay as they are if they cannot change: a flow arriving at its bound on links that
 * all have room for it (below ROOM_MARGIN of spare capacity a link counts as full), or leaving
 * links where no flow is held back, changes no other rate, the max-min allocation being unique. A
 * large component becomes a pool when its rates are those of a few full links with their groups
 * of flows (see BottleneckPool): flows arrive and leave by changing a group's level. Otherwise,
 * and when a link changes, the flows connected to the change (through shared links, transitively)
 * get new rates and the others keep theirs. Flows wait for completion in a heap keyed by finish
 * time (a group files its first member's); one engine event stands for the earliest.
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
  /** Where the last solve held each flow back (see MaxMinSolver.solve). */
  private heldAt = new Int32Array(64);
  /** Flows held back at each link by the last solve, for the links of its component. */
  private readonly heldCount: Int32Array;
  private readonly poolLinks: PoolLinks;
  /** Pools that lost flows since their level was last checked. */
  private readonly touchedPools: BottleneckPool[] = [];

  readonly mode: SharingMode;
  private readonly reference: boolean;
  private readonly poolThreshold: number;

  constructor(
    private readonly sim: Simulation,
    readonly links: readonly LinkSpec[],
    options: NetworkOptions = {},
  ) {
    this.mode = options.mode ?? "max-min";
    this.reference = options.reference ?? false;
    this.poolThreshold = this.reference ? Infinity : (options.poolThreshold ?? POOL_THRESHOLD);
    this.capacity = Float64Array.from(links, (link) => link.bandwidth);
    this.latency = Float64Array.from(links, (link) => link.latency);
    this.up = new Uint8Array(links.length).fill(1);
    this.load = new Float64Array(links.length);
    this.bottleneck = new Uint8Array(links.length);
    this.onLink = links.map(() => []);
    this.linkVisit = new Int32Array(links.length);
    this.heldCount = new Int32Array(links.length);
    this.solver = new MaxMinSolver(links.length);
    this.poolLinks = new PoolLinks(this.capacity, this.bySlot, this.onLink);
  }

  /** How many times rates were re-solved (for a component of flows, or all in reference mode). */
  solveCount = 0;
  /** Groups whose members became satellites instead of a re-solve (see `relevel`). */
  demotionCount = 0;

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
    // The active flows crossing the link are its list; those in their latency phase are not on
    // any list yet.
    const crossing = [
      ...(this.onLink[link] as Flow[]),
      ...this.waiting.filter((flow) => flow.route.includes(link)),
    ];
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
    const pool = this.poolAround(flow);
    if (pool === undefined && !this.reference && this.hasRoomAtBound(flow)) {
      this.setRate(flow, flow.bound);
    } else if (pool === undefined || pool === null || !this.admit(pool, flow)) {
      this.reshare(Array.from(flow.route));
    }
    this.scheduleNextCompletion();
  }

  /**
   * The pool owning links of the flow's route, if the others carry no other flow (undefined: no
   * pool; null: the route also touches another pool or flows of no pool).
   */
  private poolAround(flow: Flow): BottleneckPool | null | undefined {
    let pool: BottleneckPool | undefined;
    const route = flow.route;
    let free = false;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      const owner = this.poolLinks.owner[link];
      if (owner === undefined) free ||= (this.onLink[link] as Flow[]).length > 1;
      else if (pool === undefined) pool = owner;
      else if (owner !== pool) return null;
    }
    return pool !== undefined && free ? null : pool;
  }

  /**
   * Lets a newly active flow into a pool: as a member of the group at the lowest level of those
   * whose full links it crosses if its bound does not hold it below the level, held at its bound
   * if it does or if it has a bound and crosses no group's link, as a satellite otherwise. False
   * if the pool's rates would no longer be max-min (the flow is counted in the pool all the same:
   * the caller re-solves the component, which dissolves it).
   */
  private admit(pool: BottleneckPool, flow: Flow): boolean {
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      if (this.poolLinks.owner[link] === undefined) pool.claim(link);
    }
    const group = pool.groupCrossed(flow, (crossed) => crossed.level);
    if (group === undefined && flow.bound === Infinity) {
      pool.addSatellite(flow);
    } else if (
      group === undefined ||
      flow.bound / flow.weight < pool.levelWith(group, flow.weight)
    ) {
      pool.addFixed(flow);
      this.setRateOnly(flow, flow.bound);
    } else {
      pool.addMember(flow, group);
      flow.joinGroup(group, this.sim.now);
      group.fileTag(flow);
    }
    return this.relevel(pool);
  }

  /**
   * Sets the pool's new levels if its rates stay max-min; false if they would not. Where the
   * groups in the way are small (a host's NIC or disk whose last flows are leaving, a group whose
   * level rose until its members fill another link), their members become satellites and the
   * check is made again, rather than re-solving the whole component for a few flows.
   */
  private relevel(pool: BottleneckPool): boolean {
    for (let round = 0; ; round++) {
      pool.propose();
      if (pool.holds()) break;
      if (round === MAX_REPAIRS) return false;
      const small = pool.implicated.flatMap((group) => {
        const members = this.demotableMembers(pool, group);
        return members === undefined ? [] : [{ group, members }];
      });
      if (small.length === 0) return false;
      for (const { group, members } of small) this.demote(pool, group, members);
    }
    const now = this.sim.now;
    for (const group of pool.groups) {
      if (group.retired) continue;
      if (group.proposed !== group.level) {
        group.advance(now);
        group.level = group.proposed;
      } else if (!group.touched) continue;
      this.refileHead(group);
    }
    this.setSatelliteRates(pool);
    return true;
  }

  /**
   * A group's members (in the order of its link's list) if they may become satellites: few (the
   * satellites' max-min is solved at every change of the pool) and crossing no other group's full
   * link (a satellite crosses none); undefined if not.
   */
  private demotableMembers(pool: BottleneckPool, group: BottleneckGroup): Flow[] | undefined {
    if (group.retired || group.memberCount > SMALL_GROUP) return undefined;
    if (pool.satellites.length + group.memberCount > MAX_SATELLITES) return undefined;
    const bottleneckOf = this.poolLinks.bottleneckOf;
    const members = (this.onLink[group.link] as Flow[]).filter(
      (flow) => flow.poolSeq >= 0 && flow.poolRole === "member" && flow.poolGroup === group.index,
    );
    const alone = members.every((flow) =>
      flow.route.every((link) => {
        const index = bottleneckOf[link] as number;
        return index < 0 || index === group.index;
      }),
    );
    return alone ? members : undefined;
  }

  /** Makes a group's members satellites at their current rates and retires the group. */
  private demote(pool: BottleneckPool, group: BottleneckGroup, members: readonly Flow[]): void {
    this.demotionCount++;
    const now = this.sim.now;
    for (const flow of members) {
      pool.remove(flow);
      flow.leaveGroup(now);
      this.setRateOnly(flow, flow.ownRate);
    }
    group.filedHead = undefined;
    pool.retire(group);
    for (const flow of members) pool.addSatellite(flow);
  }

  /** Gives the pool's satellites the rates its last `holds` found. */
  private setSatelliteRates(pool: BottleneckPool): void {
    const rates = pool.satelliteRates;
    pool.satellites.forEach((flow, i) => {
      const rate = rates[i] as number;
      if (rate !== flow.ownRate) this.setRateOnly(flow, rate);
    });
  }

  /** Files the finish time of the group's first member, in place of the one filed before. */
  private refileHead(group: BottleneckGroup): void {
    group.touched = false;
    if (group.filedHead !== undefined) group.filedHead.ticket = this.nextTicket++;
    const head = group.head();
    group.filedHead = head?.flow;
    if (head === undefined) return;
    head.flow.ticket = this.nextTicket++;
    this.finishing.push(head.time, head.flow.ticket, head.flow.slot);
  }

  /** After flows left pools: new levels, or the component re-solved if a pool no longer holds. */
  private checkTouchedPools(): void {
    const pools = this.touchedPools;
    for (let i = 0; i < pools.length; i++) {
      const pool = pools[i] as BottleneckPool;
      pool.touched = false;
      if (pool.links.length > 0 && !this.relevel(pool)) this.reshare([pool.links[0] as number]);
    }
    pools.length = 0;
  }

  /**
   * Gives the flows of a pool their own rates again (their group's, until the caller re-solves)
   * and its links back; `visit` is called with each of its links.
   */
  private dissolve(pool: BottleneckPool, visit: (link: number) => void): void {
    const now = this.sim.now;
    const links = pool.links.slice();
    for (const link of links) {
      for (const flow of this.onLink[link] as Flow[]) {
        if (flow.poolSeq < 0) continue;
        pool.remove(flow);
        if (flow.group !== undefined) {
          flow.leaveGroup(now);
          this.setRateOnly(flow, flow.ownRate);
        }
      }
    }
    for (const group of pool.groups) group.filedHead = undefined;
    pool.release();
    for (const link of links) visit(link);
  }

  /**
   * Serves a solved component as a pool if it has enough flows and its rates are a pool's (see
   * BottleneckPool.holds). Its groups are the full links where the solve held flows back, those
   * holding the most first (at most MAX_GROUPS), with those flows as members; flows held back
   * elsewhere are satellites, those at their bound fixed. (A satellite crossing a group's link
   * would not be counted there: the check then fails and the component is not pooled.)
   */
  private formPool(links: readonly number[], flows: readonly Flow[]): void {
    if (flows.length < this.poolThreshold) return;
    const heldAt = this.heldAt;
    const heldCount = this.heldCount;
    for (const link of links) heldCount[link] = 0;
    flows.forEach((_, i) => {
      const link = heldAt[i] as number;
      if (link >= 0) heldCount[link] = (heldCount[link] as number) + 1;
    });
    const full = links
      .filter((link) => (heldCount[link] as number) > 0)
      .sort((a, b) => (heldCount[b] as number) - (heldCount[a] as number) || a - b);
    const now = this.sim.now;
    const pool = new BottleneckPool(this.poolLinks);
    for (const link of links) pool.claim(link);
    for (const link of full.slice(0, MAX_GROUPS)) pool.addGroup(link, now);
    pool.sealGroups();
    flows.forEach((flow, i) => {
      const link = heldAt[i] as number;
      const index = link < 0 ? -1 : (this.poolLinks.bottleneckOf[link] as number);
      if (link < 0) pool.addFixed(flow);
      else if (index < 0) pool.addSatellite(flow);
      else {
        const group = pool.groups[index] as BottleneckGroup;
        group.level = flow.ownRate / flow.weight;
        pool.addMember(flow, group);
      }
    });
    pool.propose();
    if (pool.groups.length === 0 || !pool.holds()) {
      for (const flow of flows) {
        flow.poolSeq = -1;
        flow.poolGroup = -1;
      }
      pool.release();
      return;
    }
    for (const group of pool.groups) group.level = group.proposed;
    for (const flow of flows) {
      if (flow.poolRole !== "member") continue;
      const group = pool.groups[flow.poolGroup] as BottleneckGroup;
      flow.joinGroup(group, now);
      flow.ticket = this.nextTicket++;
      group.fileTag(flow);
    }
    for (const group of pool.groups) this.refileHead(group);
    this.setSatelliteRates(pool);
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

  /**
   * Removes a flow from the lists; returns its links where the sharing changes (none for a flow of
   * a pool: the pool is marked as touched instead).
   */
  private detach(flow: Flow): number[] {
    if (flow.state === "latency") {
      removeAt(this.waiting, flow);
      return [];
    }
    const pool = flow.poolSeq >= 0 ? this.poolLinks.owner[flow.route[0] as number] : undefined;
    if (pool === undefined) {
      this.setRate(flow, 0);
    } else {
      // The pool's loads change instead of the links'; its levels are checked once the batch of
      // leaving flows is out (checkTouchedPools).
      pool.remove(flow);
      if (flow.group !== undefined) flow.leaveGroup(this.sim.now);
      this.setRateOnly(flow, 0);
      if (!pool.touched) {
        pool.touched = true;
        this.touchedPools.push(pool);
      }
    }
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
    return pool === undefined ? Array.from(flow.route) : [];
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
    flow.ownRate = rate;
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
    this.checkTouchedPools();
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
      const pool = this.poolLinks.owner[link];
      if (pool !== undefined) this.dissolve(pool, visitLink);
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
      if (this.rates.length < flows.length) {
        this.rates = new Float64Array(flows.length * 2);
        this.heldAt = new Int32Array(flows.length * 2);
      }
      const rates = this.rates;
      if (this.reference) rates.set(solveMaxMinReference({ capacity: this.capacity, flows }));
      else this.solver.solve(this.capacity, links, flows, rates, this.bottleneck, this.heldAt);
      flows.forEach((flow, i) => {
        const rate = rates[i] as number;
        if (rate !== flow.ownRate) this.setRateOnly(flow, rate);
      });
    }
    for (const link of links) this.load[link] = this.linkLoad(link);
    this.formPool(links, flows);
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
      const group = flow.group;
      if (group === undefined) {
        done.push(flow);
      } else {
        group.filedHead = undefined;
        group.takeDue(now, done);
      }
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
