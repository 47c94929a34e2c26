/**
 * Something that consumes an amount (bytes, flops) at a rate that its model changes over time: a
 * network flow, a CPU execution, a disk transfer. The amount left is kept lazily: exact at
 * `updatedAt`, derived for any later time from the current rate.
 */
export class FluidActivity {
  /** Current rate, in amount per second (0 while it does not move). */
  rate = 0;
  /** Amount left at time `updatedAt`. */
  remainingAtUpdate: number;
  updatedAt: number;

  constructor(amount: number, start: number) {
    this.remainingAtUpdate = amount;
    this.updatedAt = start;
  }

  /** Amount left at time `now`, at the current rate. */
  remainingAt(now: number): number {
    return Math.max(0, this.remainingAtUpdate - this.rate * (now - this.updatedAt));
  }

  /** When the activity would finish at its current rate; Infinity if it does not move. */
  finishTime(): number {
    return this.rate > 0 ? this.updatedAt + this.remainingAtUpdate / this.rate : Infinity;
  }

  /** Brings the amount left up to `now`, before the rate changes. */
  settle(now: number): void {
    this.remainingAtUpdate = this.remainingAt(now);
    this.updatedAt = now;
  }
}
