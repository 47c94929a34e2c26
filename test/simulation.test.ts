import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EventId, InvariantViolation, Simulation } from "../src/sim/index.js";

describe("Simulation: event order", () => {
  it("pops events sorted by (time, scheduling order) for random schedules", () => {
    // Times are drawn from a small set so that ties are frequent; some events schedule children,
    // which exercises the replace-top path of the queue.
    const schedule = fc.array(
      fc.record({
        time: fc.integer({ min: 0, max: 20 }),
        children: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(schedule, (entries) => {
        const sim = new Simulation();
        const fired: { time: number; order: number }[] = [];
        let order = 0;
        const add = (time: number, children: number): void => {
          const mine = order++;
          sim.scheduleAt(time, () => {
            fired.push({ time: sim.now, order: mine });
            for (let c = 0; c < children; c++) add(sim.now + (c % 2), 0);
          });
        };
        for (const e of entries) add(e.time, e.children);
        sim.run();
        expect(fired.length).toBe(order);
        for (let i = 1; i < fired.length; i++) {
          const a = fired[i - 1] as { time: number; order: number };
          const b = fired[i] as { time: number; order: number };
          expect(a.time < b.time || (a.time === b.time && a.order < b.order)).toBe(true);
        }
      }),
    );
  });

  it("agrees with a sorted-list reference under random schedules and cancellations", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), time: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const sim = new Simulation();
        const reference: { time: number; label: number; live: boolean }[] = [];
        const ids: EventId[] = [];
        const fired: number[] = [];
        for (const o of ops) {
          if (o.kind === "add") {
            const label = reference.length;
            reference.push({ time: o.time, label, live: true });
            ids.push(sim.scheduleAt(o.time, () => fired.push(label)));
          } else if (ids.length > 0) {
            const k = o.pick % ids.length;
            const entry = reference[k] as { live: boolean };
            expect(sim.cancel(ids[k] as EventId)).toBe(entry.live);
            entry.live = false;
          }
        }
        expect(sim.pending).toBe(reference.filter((r) => r.live).length);
        sim.run();
        const expected = reference
          .filter((r) => r.live)
          .sort((a, b) => a.time - b.time || a.label - b.label)
          .map((r) => r.label);
        expect(fired).toEqual(expected);
      }),
    );
  });
});

describe("Simulation: cancellation", () => {
  it("cancels a later event from inside a running one", () => {
    const sim = new Simulation();
    const log: string[] = [];
    const c = sim.scheduleAt(3, () => log.push(`c@${sim.now}`));
    sim.scheduleAt(1, () => {
      log.push(`a@${sim.now}`);
      expect(sim.cancel(c)).toBe(true);
      expect(sim.cancel(c)).toBe(false); // already cancelled
    });
    const b = sim.scheduleAt(2, () => log.push(`b@${sim.now}`));
    expect(sim.pending).toBe(3);
    sim.run();
    expect(log).toEqual(["a@1", "b@2"]);
    expect(sim.cancel(b)).toBe(false); // already dispatched
    expect(sim.pending).toBe(0);
    expect(sim.now).toBe(2);
  });

  it("never lets a stale id cancel a later event that reuses its slot", () => {
    const sim = new Simulation();
    const first = sim.scheduleAt(1, () => undefined);
    sim.run();
    let ran = false;
    const second = sim.scheduleAt(2, () => (ran = true));
    expect(sim.isPending(first)).toBe(false);
    expect(sim.cancel(first)).toBe(false);
    expect(sim.isPending(second)).toBe(true);
    sim.run();
    expect(ran).toBe(true);
  });

  it("compacts a queue full of cancelled events without losing live ones", () => {
    const sim = new Simulation();
    const ids: EventId[] = [];
    const fired: number[] = [];
    for (let i = 0; i < 5000; i++) ids.push(sim.scheduleAt(5000 - i, () => fired.push(i)));
    // Cancel 4000 of the 5000 (every index not divisible by 5): compaction kicks in past half.
    ids.forEach((id, i) => {
      if (i % 5 !== 0) sim.cancel(id);
    });
    expect(sim.pending).toBe(1000);
    sim.run();
    // Event i fires at time 5000 - i, so the survivors fire from the largest i down.
    const expected = Array.from({ length: 1000 }, (_, k) => 4995 - 5 * k);
    expect(fired).toEqual(expected);
  });
});

describe("Simulation: run, stop and errors", () => {
  it("runs events up to and including `until`, then sets the clock to it", () => {
    const sim = new Simulation();
    const log: number[] = [];
    for (const t of [1, 2, 3, 4]) sim.scheduleAt(t, () => log.push(t));
    expect(sim.run({ until: 2 })).toBe("until");
    expect(log).toEqual([1, 2]);
    expect(sim.now).toBe(2);
    expect(sim.run({ until: 10 })).toBe("until");
    expect(sim.now).toBe(10);
    expect(sim.run()).toBe("empty");
  });

  it("stops after the current event when asked", () => {
    const sim = new Simulation();
    const log: number[] = [];
    sim.scheduleAt(1, () => log.push(1));
    sim.scheduleAt(2, () => {
      log.push(2);
      sim.stop();
    });
    sim.scheduleAt(3, () => log.push(3));
    expect(sim.run()).toBe("stopped");
    expect(log).toEqual([1, 2]);
    expect(sim.now).toBe(2);
    expect(sim.run()).toBe("empty");
    expect(log).toEqual([1, 2, 3]);
  });

  it("rejects negative, NaN and infinite delays at the call site", () => {
    const sim = new Simulation();
    for (const delay of [-1, Number.NaN, Infinity, -Infinity]) {
      expect(() => sim.schedule(delay, () => undefined)).toThrow(RangeError);
    }
    sim.scheduleAt(5, () => {
      expect(() => sim.scheduleAt(4, () => undefined)).toThrow(/not before now/);
    });
    sim.run();
    expect(() => sim.run({ until: 1 })).toThrow(RangeError);
  });

  it("keeps its state consistent when an action throws", () => {
    const sim = new Simulation();
    sim.scheduleAt(1, () => {
      throw new Error("boom");
    });
    let later = false;
    sim.scheduleAt(2, () => (later = true));
    expect(() => sim.run()).toThrow("boom");
    expect(sim.pending).toBe(1);
    sim.run();
    expect(later).toBe(true);
  });
});

describe("Simulation: invariant hook", () => {
  it("checks invariants after every event only when enabled", () => {
    const run = (checks: boolean): void => {
      const sim = new Simulation();
      let level = 0;
      sim.addInvariant("level stays below 3", () => (level < 3 ? undefined : `level is ${level}`));
      for (let t = 1; t <= 5; t++) sim.scheduleAt(t, () => level++);
      sim.enableChecks(checks);
      sim.run();
    };
    expect(() => {
      run(false);
    }).not.toThrow();
    // level reaches 3 at the third event, at t = 3.
    expect(() => {
      run(true);
    }).toThrow(new InvariantViolation("level stays below 3", 3, "level is 3"));
  });

  it("stops a loop of events without delay: time must advance", () => {
    // An action that schedules itself at the same instant would run for ever; with checks on
    // and at most 100 events per instant, the 101st event at t = 2 stops it (the 3 events at
    // t = 1 do not count towards t = 2's).
    const sim = new Simulation();
    for (let i = 0; i < 3; i++) sim.scheduleAt(1, () => undefined);
    const again = (): void => {
      sim.schedule(0, again);
    };
    sim.scheduleAt(2, again);
    sim.enableChecks(true, 100);
    expect(() => sim.run()).toThrow(
      new InvariantViolation(
        "time advances",
        2,
        "100 events at one instant: a loop of events without delay",
      ),
    );
  });
});
