import { EventQueue } from "./event-queue.js";

/** What a scheduled event runs. It reads the clock from the simulation it was scheduled on. */
export type Action = () => void;

/**
 * Identifies a scheduled event, for `cancel` and `isPending`. It encodes the event's slot in the
 * engine's tables and that slot's generation, so a stale id (of an event already dispatched or
 * cancelled) is recognised in O(1) and never touches the event now using the slot.
 */
export type EventId = number & { readonly __brand: "EventId" };

/** Why `run` returned. */
export type RunOutcome = "empty" | "until" | "stopped";

export interface RunOptions {
  /** Dispatch every event whose time is <= until, then set the clock to until. */
  readonly until?: number;
}

/** A named predicate checked after every event when checks are on: undefined means it holds. */
export type Invariant = () => string | undefined;

export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    readonly time: number,
    detail: string,
  ) {
    super(`invariant "${invariant}" violated at t=${time}s: ${detail}`);
    this.name = "InvariantViolation";
  }
}

const SLOT_BITS = 26;
const SLOT_LIMIT = 2 ** SLOT_BITS; // 67M events pending at once
/** The most events that may be pending at once (a scenario is checked against it). */
export const MAX_PENDING_EVENTS = SLOT_LIMIT;
const GENERATION_LIMIT = 2 ** (53 - SLOT_BITS); // ids stay exact integers below 2^53
/**
 * With checks on, more events than this at one instant is a model's loop of zero-delay events
 * (simulated time would stand still for ever). Far above what a start at time 0 dispatches.
 */
export const EVENTS_PER_INSTANT_LIMIT = 1_000_000;
/** Compaction of cancelled entries starts only above this queue size, where it pays for itself. */
const COMPACTION_MIN_SIZE = 1024;

/**
 * The event loop: a clock and a queue of events in (time, seq) order. Seq numbers are assigned at
 * scheduling, so simultaneous events run in the order they were scheduled. Scheduling allocates
 * nothing per event: actions live in a slot table, recycled through a free list.
 */
export class Simulation {
  private clock = 0;
  private nextSeq = 0;
  private readonly queue = new EventQueue();
  private actions: (Action | null)[] = [];
  private generations = new Float64Array(1024);
  private freeSlots: number[] = [];
  private cancelledInQueue = 0;
  private stopRequested = false;
  private running = false;
  /** True while the event being dispatched is still at the top of the queue (see `scheduleAt`). */
  private topIsDispatching = false;
  private dispatchedCount = 0;
  private readonly invariants: { name: string; check: Invariant }[] = [];
  private checksEnabled = false;
  private eventsPerInstantLimit = EVENTS_PER_INSTANT_LIMIT;
  /** The instant of the last checked event, and how many were dispatched at it. */
  private instant = Number.NaN;
  private eventsThisInstant = 0;

  /** Current simulated time, in seconds. */
  get now(): number {
    return this.clock;
  }

  /** Events dispatched so far (cancelled ones excluded). */
  get dispatched(): number {
    return this.dispatchedCount;
  }

  /** Events scheduled and neither dispatched nor cancelled. */
  get pending(): number {
    return this.queue.size - this.cancelledInQueue - (this.topIsDispatching ? 1 : 0);
  }

  schedule(delay: number, action: Action): EventId {
    if (!(delay >= 0 && delay < Infinity)) {
      throw new RangeError(`schedule: delay must be a finite number >= 0, got ${delay}`);
    }
    return this.scheduleAt(this.clock + delay, action);
  }

  scheduleAt(time: number, action: Action): EventId {
    if (!(time >= this.clock && time < Infinity)) {
      throw new RangeError(
        `scheduleAt: time must be finite and not before now (${this.clock}s), got ${time}`,
      );
    }
    const slot = this.takeSlot();
    this.actions[slot] = action;
    const seq = this.nextSeq++;
    if (this.topIsDispatching) {
      // The event being dispatched is still at the top: replace it instead of popping then pushing.
      this.topIsDispatching = false;
      this.queue.replaceTop(time, seq, slot);
    } else {
      this.queue.push(time, seq, slot);
    }
    return ((this.generations[slot] as number) * SLOT_LIMIT + slot) as EventId;
  }

  /** True if the event is scheduled and not yet dispatched or cancelled. */
  isPending(id: EventId): boolean {
    const slot = id % SLOT_LIMIT;
    return (
      slot < this.actions.length &&
      this.generations[slot] === (id - slot) / SLOT_LIMIT &&
      this.actions[slot] !== null
    );
  }

  /** Cancels a pending event in O(1); returns false if it was not pending (already run). */
  cancel(id: EventId): boolean {
    if (!this.isPending(id)) return false;
    const slot = id % SLOT_LIMIT;
    // The heap entry stays until it reaches the top; its slot is freed then, not now, so that the
    // entry can never be mistaken for a later event reusing the slot.
    this.actions[slot] = null;
    this.bumpGeneration(slot);
    this.cancelledInQueue++;
    if (this.cancelledInQueue > this.queue.size / 2 && this.queue.size > COMPACTION_MIN_SIZE) {
      this.compact();
    }
    return true;
  }

  /** Asks `run` to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  addInvariant(name: string, check: Invariant): void {
    this.invariants.push({ name, check });
  }

  /**
   * Turns on the invariant checks after every event (tests and `skysim run --check`), and the
   * check that time advances: at most `eventsPerInstant` events at one instant.
   */
  enableChecks(enabled = true, eventsPerInstant = EVENTS_PER_INSTANT_LIMIT): void {
    this.checksEnabled = enabled;
    this.eventsPerInstantLimit = eventsPerInstant;
  }

  run(options: RunOptions = {}): RunOutcome {
    const until = options.until ?? Infinity;
    if (!(until >= this.clock)) {
      throw new RangeError(`run: until must be >= now (${this.clock}s), got ${until}`);
    }
    if (this.running) throw new Error("run: the simulation is already running");
    this.running = true;
    this.stopRequested = false;
    try {
      return this.loop(until);
    } finally {
      // If an action threw, its event is done all the same: take it off the queue.
      this.endDispatch();
      this.running = false;
    }
  }

  private loop(until: number): RunOutcome {
    const queue = this.queue;
    const actions = this.actions;
    for (;;) {
      const time = queue.peekTime(); // Infinity when the queue is empty
      if (time > until || time === Infinity) {
        if (until !== Infinity) this.clock = until;
        return until === Infinity ? "empty" : "until";
      }
      const slot = queue.peekSlot();
      const action = actions[slot] ?? null;
      this.releaseSlot(slot);
      if (action === null) {
        queue.pop();
        this.cancelledInQueue--;
        continue;
      }
      this.clock = time;
      this.topIsDispatching = true;
      action();
      this.endDispatch();
      this.dispatchedCount++;
      if (this.checksEnabled) this.checkInvariants();
      if (this.stopRequested) return "stopped";
    }
  }

  /** Pops the dispatched event unless an event scheduled by its action already replaced it. */
  private endDispatch(): void {
    if (this.topIsDispatching) {
      this.topIsDispatching = false;
      this.queue.pop();
    }
  }

  private takeSlot(): number {
    const free = this.freeSlots.pop();
    if (free !== undefined) return free;
    const slot = this.actions.length;
    if (slot >= SLOT_LIMIT) throw new RangeError(`more than ${SLOT_LIMIT} events pending at once`);
    this.actions.push(null);
    if (slot >= this.generations.length) {
      const generations = new Float64Array(this.generations.length * 2);
      generations.set(this.generations);
      this.generations = generations;
    }
    return slot;
  }

  /** Frees a slot whose event left (or is leaving) the queue; its old id becomes stale. */
  private releaseSlot(slot: number): void {
    if (this.actions[slot] !== null) {
      this.actions[slot] = null;
      this.bumpGeneration(slot);
    }
    this.freeSlots.push(slot);
  }

  private bumpGeneration(slot: number): void {
    const next = (this.generations[slot] as number) + 1;
    this.generations[slot] = next === GENERATION_LIMIT ? 0 : next;
  }

  private checkInvariants(): void {
    if (this.clock !== this.instant) {
      this.instant = this.clock;
      this.eventsThisInstant = 0;
    }
    if (++this.eventsThisInstant > this.eventsPerInstantLimit) {
      throw new InvariantViolation(
        "time advances",
        this.clock,
        `${this.eventsThisInstant - 1} events at one instant: a loop of events without delay`,
      );
    }
    for (const { name, check } of this.invariants) {
      const problem = check();
      if (problem !== undefined) throw new InvariantViolation(name, this.clock, problem);
    }
  }

  private compact(): void {
    // The dispatched event's slot is already free (and may be reused): drop its entry first.
    this.endDispatch();
    const actions = this.actions;
    const dropped: number[] = [];
    this.queue.filter((slot) => {
      if (actions[slot] !== null) return true;
      dropped.push(slot);
      return false;
    });
    for (const slot of dropped) this.freeSlots.push(slot);
    this.cancelledInQueue = 0;
  }
}
