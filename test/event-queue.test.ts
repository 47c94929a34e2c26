import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../src/sim/event-queue.js";
import { QuaternaryHeap } from "../src/sim/quaternary-heap.js";

type Op =
  | { kind: "push"; time: number }
  | { kind: "pop" }
  | { kind: "replace"; time: number }
  | { kind: "filter"; modulo: number };

// Times span many orders of magnitude (and repeat, for ties) so that the bucketed queue widens,
// narrows and re-sorts its buckets while the test runs.
const time = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.double({ min: 0, max: 1e-3, noNaN: true }),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("push" as const), time }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("pop" as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("replace" as const), time }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("filter" as const),
      modulo: fc.integer({ min: 2, max: 5 }),
    }),
  },
);

describe("EventQueue (bucketed) against a plain heap", () => {
  it("pops the same entries in the same order under random operations", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const fast = new EventQueue();
        const reference = new QuaternaryHeap();
        let seq = 0;
        let now = 0;
        let slot = 0;
        for (const o of ops) {
          if (o.kind === "push" || o.kind === "replace") {
            // Like the engine, never schedule before the current time.
            const t = now + o.time;
            if (o.kind === "push" || reference.size === 0) {
              fast.push(t, seq, slot);
              reference.push(t, seq, slot);
            } else {
              now = reference.peekTime();
              expect(fast.peekTime()).toBe(now);
              fast.replaceTop(t, seq, slot);
              reference.replaceTop(t, seq, slot);
            }
            seq++;
            slot++;
          } else if (o.kind === "pop") {
            now = Math.max(now, reference.peekTime() === Infinity ? now : reference.peekTime());
            expect(fast.peekSlot()).toBe(reference.peekSlot());
            expect(fast.pop()).toBe(reference.pop());
          } else {
            const keep = (s: number): boolean => s % o.modulo !== 0;
            fast.filter(keep);
            reference.filter(keep);
          }
          expect(fast.size).toBe(reference.size);
        }
        while (reference.size > 0) expect(fast.pop()).toBe(reference.pop());
        expect(fast.pop()).toBe(-1);
      }),
      { numRuns: 200 },
    );
  });

  it("stays in order through a million hold-model operations with re-bucketing", () => {
    const fast = new EventQueue();
    const reference = new QuaternaryHeap();
    let x = 1;
    // A fixed xorshift keeps the test independent of the engine's own streams.
    const next = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    let seq = 0;
    for (let i = 0; i < 10_000; i++) {
      const t = -Math.log(1 - next());
      fast.push(t, seq, i);
      reference.push(t, seq++, i);
    }
    let mismatches = 0;
    const widths: number[] = [];
    const holdPhase = (operations: number, scale: number): void => {
      for (let i = 0; i < operations; i++) {
        const now = reference.peekTime();
        const slot = reference.peekSlot();
        if (fast.peekSlot() !== slot) mismatches++;
        const t = now - Math.log(1 - next()) * scale;
        fast.replaceTop(t, seq, slot);
        reference.replaceTop(t, seq++, slot);
      }
      widths.push(fast.bucketWidth);
    };
    holdPhase(500_000, 1);
    // Every event is taken out and put back 1000 times closer: the density jumps 1000-fold.
    const now = reference.peekTime();
    const slots: number[] = [];
    while (reference.size > 0) {
      const slot = reference.pop();
      if (fast.pop() !== slot) mismatches++;
      slots.push(slot);
    }
    for (const slot of slots) {
      const t = now - Math.log(1 - next()) * 1e-3;
      fast.push(t, seq, slot);
      reference.push(t, seq++, slot);
    }
    holdPhase(500_000, 1e-3);
    while (reference.size > 0) if (fast.pop() !== reference.pop()) mismatches++;
    expect(mismatches).toBe(0);
    // 10^4 events at rate 1 each: density 10^4 per second, so the target of 64 entries per bucket
    // is a width near 64 / 10^4 = 0.0064 s; after the jump the density is 10^7 per second and the
    // width should follow to 64 / 10^7 = 6.4e-6 s. Within a factor 8 (the narrowing threshold).
    const [before, after] = widths as [number, number];
    expect(before).toBeGreaterThan(0.0064 / 8);
    expect(before).toBeLessThan(0.0064 * 8);
    expect(after).toBeGreaterThan(6.4e-6 / 8);
    expect(after).toBeLessThan(6.4e-6 * 8);
  });
});
