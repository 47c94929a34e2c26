/**
 * A 4-ary min-heap of (time, seq, slot) entries, stored interleaved in one Float64Array so that
 * the four children of a node sit on one or two cache lines. Ordered by time, then seq: a total
 * order as long as seq values are unique, so the pop order never depends on heap internals. The
 * slot is an integer payload (an index into the caller's own tables), so the heap allocates no
 * object per entry.
 */
const STRIDE = 3;

export class QuaternaryHeap {
  private heap: Float64Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.heap = new Float64Array(Math.max(4, initialCapacity) * STRIDE);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the first entry; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? (this.heap[0] as number) : Infinity;
  }

  /** Seq of the first entry; -1 when empty. */
  peekSeq(): number {
    return this.count > 0 ? (this.heap[1] as number) : -1;
  }

  /** Slot of the first entry; -1 when empty. */
  peekSlot(): number {
    return this.count > 0 ? (this.heap[2] as number) : -1;
  }

  push(time: number, seq: number, slot: number): void {
    if ((this.count + 1) * STRIDE > this.heap.length) this.grow();
    this.siftUp(this.count++, time, seq, slot);
  }

  /** Removes the first entry and returns its slot; -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const heap = this.heap;
    const slot = heap[2] as number;
    const last = --this.count * STRIDE;
    if (this.count > 0) {
      this.siftDown(0, heap[last] as number, heap[last + 1] as number, heap[last + 2] as number);
    }
    return slot;
  }

  /**
   * Removes the first entry and inserts a new one with a single sift-down: the usual case of a
   * handler that schedules one follow-up event costs one traversal instead of two.
   */
  replaceTop(time: number, seq: number, slot: number): void {
    if (this.count === 0) this.push(time, seq, slot);
    else this.siftDown(0, time, seq, slot);
  }

  /** Calls `visit` with every entry, in storage order (not sorted). */
  forEach(visit: (time: number, seq: number, slot: number) => void): void {
    const heap = this.heap;
    for (let i = 0; i < this.count * STRIDE; i += STRIDE) {
      visit(heap[i] as number, heap[i + 1] as number, heap[i + 2] as number);
    }
  }

  /** Removes every entry. */
  clear(): void {
    this.count = 0;
  }

  /** Keeps only the entries that pass `keep`, then restores the heap order in O(n). */
  filter(keep: (slot: number, seq: number) => boolean): void {
    const heap = this.heap;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const from = i * STRIDE;
      if (!keep(heap[from + 2] as number, heap[from + 1] as number)) continue;
      const to = kept * STRIDE;
      heap[to] = heap[from] as number;
      heap[to + 1] = heap[from + 1] as number;
      heap[to + 2] = heap[from + 2] as number;
      kept++;
    }
    this.count = kept;
    for (let i = (kept - 2) >> 2; i >= 0; i--) {
      const at = i * STRIDE;
      this.siftDown(i, heap[at] as number, heap[at + 1] as number, heap[at + 2] as number);
    }
  }

  private grow(): void {
    const heap = new Float64Array(this.heap.length * 2);
    heap.set(this.heap);
    this.heap = heap;
  }

  private siftUp(hole: number, time: number, seq: number, slot: number): void {
    const heap = this.heap;
    while (hole > 0) {
      const parent = (hole - 1) >> 2;
      const p = parent * STRIDE;
      const pt = heap[p] as number;
      if (pt < time || (pt === time && (heap[p + 1] as number) < seq)) break;
      const h = hole * STRIDE;
      heap[h] = pt;
      heap[h + 1] = heap[p + 1] as number;
      heap[h + 2] = heap[p + 2] as number;
      hole = parent;
    }
    const h = hole * STRIDE;
    heap[h] = time;
    heap[h + 1] = seq;
    heap[h + 2] = slot;
  }

  private siftDown(hole: number, time: number, seq: number, slot: number): void {
    const heap = this.heap;
    const n = this.count;
    for (;;) {
      const first = 4 * hole + 1;
      if (first >= n) break;
      // Smallest of the (up to) four children.
      let best = first;
      let b = first * STRIDE;
      let bt = heap[b] as number;
      let bs = heap[b + 1] as number;
      const end = first + 4 < n ? first + 4 : n;
      for (let child = first + 1; child < end; child++) {
        const c = child * STRIDE;
        const ct = heap[c] as number;
        if (ct < bt || (ct === bt && (heap[c + 1] as number) < bs)) {
          best = child;
          b = c;
          bt = ct;
          bs = heap[c + 1] as number;
        }
      }
      if (time < bt || (time === bt && seq < bs)) break;
      const h = hole * STRIDE;
      heap[h] = bt;
      heap[h + 1] = bs;
      heap[h + 2] = heap[b + 2] as number;
      hole = best;
    }
    const h = hole * STRIDE;
    heap[h] = time;
    heap[h + 1] = seq;
    heap[h + 2] = slot;
  }
}
