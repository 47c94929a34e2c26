import { QuaternaryHeap } from "./quaternary-heap.js";

/** Wished-for entries per far bucket: enough to amortise bucket handling, few for a shallow heap. */
const TARGET_BUCKET_SIZE = 64;
const STRIDE = 3;
/** The heap may hold this many times the target before the buckets are narrowed. */
const OVERFULL = 8;

/**
 * The engine's queue of (time, seq, slot) entries, popped in (time, seq) order. Two tiers, in the
 * spirit of ladder queues (Tang, Goh and Thng, 2005): a small heap holds the events of the current
 * time bucket; later events wait unsorted in buckets of `width` seconds, keyed by
 * floor(time / width), and a bucket is heapified only when the heap runs dry. Pushes into the
 * future cost O(1) and the heap stays shallow, so a queue of a million events pops nearly as fast
 * as one of a thousand.
 *
 * Slots must be distinct among queued entries and small non-negative integers (the engine's slot
 * table indices): bucketed entries are stored by slot.
 *
 * Correctness rests on one monotone function, bucketOf(t) = floor(t * (1 / width)): the heap holds
 * exactly the entries with bucketOf <= current, the buckets those above, so every heap entry comes
 * before every bucketed one. The width follows the event density: a bucket (or a heap) much fuller
 * than the target narrows it, a run of nearly empty buckets widens it; each change re-sorts every
 * entry, at most once per as many operations as there are entries.
 */
export class EventQueue {
  private readonly near = new QuaternaryHeap();
  /**
   * Bucketed entries are kept per slot, in typed arrays, each bucket a linked list through
   * `nextInBucket` from its head slot: pushing allocates nothing and creates no garbage.
   */
  private farTime = new Float64Array(1024);
  private farSeq = new Float64Array(1024);
  private nextInBucket = new Int32Array(1024);
  /** Bucket key -> slot at the head of its list. */
  private readonly bucketHeads = new Map<number, number>();
  /** Keys of the non-empty buckets, as a heap (the key doubles as time and seq). */
  private readonly bucketKeys = new QuaternaryHeap(64);
  private farCount = 0;
  private inverseWidth = 1;
  private current = 0;
  private recentBucketSize = TARGET_BUCKET_SIZE;
  private operationsSinceRebucket = 0;
  private rebucketing = false;

  get size(): number {
    return this.near.size + this.farCount;
  }

  /** Current bucket width, in the unit of the times (seconds for the engine). */
  get bucketWidth(): number {
    return 1 / this.inverseWidth;
  }

  /** Time of the first entry; Infinity when empty. */
  peekTime(): number {
    if (this.near.size === 0 && !this.advance()) return Infinity;
    return this.near.peekTime();
  }

  /** Slot of the first entry; -1 when empty. */
  peekSlot(): number {
    if (this.near.size === 0 && !this.advance()) return -1;
    return this.near.peekSlot();
  }

  push(time: number, seq: number, slot: number): void {
    this.operationsSinceRebucket++;
    const key = Math.floor(time * this.inverseWidth);
    if (key > this.current) this.pushFar(key, time, seq, slot);
    else if (this.near.size < OVERFULL * TARGET_BUCKET_SIZE) this.near.push(time, seq, slot);
    else this.pushOverfull(time, seq, slot);
  }

  /** Removes the first entry and returns its slot; -1 when empty. */
  pop(): number {
    if (this.near.size === 0 && !this.advance()) return -1;
    this.operationsSinceRebucket++;
    return this.near.pop();
  }

  /** Removes the first entry and inserts a new one (one sift-down when it belongs to the heap). */
  replaceTop(time: number, seq: number, slot: number): void {
    if (this.near.size === 0 && !this.advance()) {
      this.push(time, seq, slot);
      return;
    }
    this.operationsSinceRebucket++;
    const key = Math.floor(time * this.inverseWidth);
    if (key <= this.current) {
      if (this.near.size >= OVERFULL * TARGET_BUCKET_SIZE) {
        this.near.pop();
        this.pushOverfull(time, seq, slot);
      } else this.near.replaceTop(time, seq, slot);
    } else {
      this.near.pop();
      this.pushFar(key, time, seq, slot);
    }
  }

  /** Keeps only the entries whose slot passes `keep`. */
  filter(keep: (slot: number) => boolean): void {
    this.near.filter(keep);
    const entries = this.takeAllFar();
    for (let i = 0; i < entries.length; i += STRIDE) {
      const slot = entries[i + 2] as number;
      if (keep(slot)) this.push(entries[i] as number, entries[i + 1] as number, slot);
    }
  }

  /** The heap grew far past a bucket's worth: narrow the buckets, or else just push. */
  private pushOverfull(time: number, seq: number, slot: number): void {
    if (this.rebucket(TARGET_BUCKET_SIZE / this.near.size)) this.push(time, seq, slot);
    else this.near.push(time, seq, slot);
  }

  private pushFar(key: number, time: number, seq: number, slot: number): void {
    const head = this.bucketHeads.get(key);
    if (head === undefined) {
      const buckets = this.bucketHeads.size;
      if (buckets >= 4096 && buckets * 16 > this.farCount && this.widen(this.farCount / buckets)) {
        // Thousands of nearly empty buckets were widened instead of creating one more.
        this.push(time, seq, slot);
        return;
      }
      this.bucketKeys.push(key, key, 0);
    }
    if (slot >= this.farTime.length) this.growFar(slot);
    this.farTime[slot] = time;
    this.farSeq[slot] = seq;
    this.nextInBucket[slot] = head ?? -1;
    this.bucketHeads.set(key, slot);
    this.farCount++;
  }

  private growFar(slot: number): void {
    let capacity = this.farTime.length;
    while (capacity <= slot) capacity *= 2;
    const time = new Float64Array(capacity);
    const seq = new Float64Array(capacity);
    const next = new Int32Array(capacity);
    time.set(this.farTime);
    seq.set(this.farSeq);
    next.set(this.nextInBucket);
    this.farTime = time;
    this.farSeq = seq;
    this.nextInBucket = next;
  }

  /** Moves the earliest bucket into the heap; false when there is none. */
  private advance(): boolean {
    if (this.farCount === 0) return false;
    const key = this.bucketKeys.peekTime();
    this.bucketKeys.pop();
    let slot = this.bucketHeads.get(key) ?? -1;
    this.bucketHeads.delete(key);
    this.current = key;
    let count = 0;
    const { farTime, farSeq, nextInBucket } = this;
    while (slot >= 0) {
      this.near.push(farTime[slot] as number, farSeq[slot] as number, slot);
      slot = nextInBucket[slot] as number;
      count++;
    }
    this.farCount -= count;
    this.adaptWidth(count);
    return true;
  }

  private adaptWidth(count: number): void {
    this.recentBucketSize += (count - this.recentBucketSize) / 16;
    if (count > OVERFULL * TARGET_BUCKET_SIZE) this.rebucket(TARGET_BUCKET_SIZE / count);
    else if (this.recentBucketSize < TARGET_BUCKET_SIZE / 8) this.widen(this.recentBucketSize);
  }

  /** Widens buckets whose typical occupancy is `occupancy` towards the target. */
  private widen(occupancy: number): boolean {
    return this.rebucket(Math.min(64, TARGET_BUCKET_SIZE / Math.max(1, occupancy)));
  }

  /**
   * Re-sorts every entry for buckets `factor` times as wide: the heap restarts with the bucket of
   * the earliest entry. Re-sorting costs O(entries), so it is allowed only after as many
   * operations since the last one: O(1) per operation, amortised.
   */
  private rebucket(factor: number): boolean {
    if (this.rebucketing || this.operationsSinceRebucket < this.size) return false;
    const inverse = this.inverseWidth / factor;
    if (!(inverse > 0 && inverse < Infinity)) return false;
    this.rebucketing = true;
    const entries = this.takeAllFar();
    let earliest = Infinity;
    this.near.forEach((time, seq, slot) => {
      entries.push(time, seq, slot);
    });
    this.near.clear();
    for (let i = 0; i < entries.length; i += STRIDE) {
      earliest = Math.min(earliest, entries[i] as number);
    }
    this.inverseWidth = inverse;
    this.current = earliest === Infinity ? -Infinity : Math.floor(earliest * inverse);
    for (let i = 0; i < entries.length; i += STRIDE) {
      this.push(entries[i] as number, entries[i + 1] as number, entries[i + 2] as number);
    }
    this.recentBucketSize = TARGET_BUCKET_SIZE;
    this.operationsSinceRebucket = 0;
    this.rebucketing = false;
    return true;
  }

  /** Empties the buckets and returns their entries, flat: time, seq, slot, time, ... */
  private takeAllFar(): number[] {
    const entries: number[] = [];
    for (const head of this.bucketHeads.values()) {
      for (let slot = head; slot >= 0; slot = this.nextInBucket[slot] as number) {
        entries.push(this.farTime[slot] as number, this.farSeq[slot] as number, slot);
      }
    }
    this.bucketHeads.clear();
    this.bucketKeys.clear();
    this.farCount = 0;
    return entries;
  }
}
