import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Cpu, type CpuConsumer } from "../src/compute/cpu.js";
import { Simulation } from "../src/sim/index.js";

const GF = 1e9;

function host(cores: number, speed = GF) {
  const sim = new Simulation();
  const cpu = new Cpu(sim, [{ name: "h", cores, speed }]);
  return { sim, cpu };
}

describe("CPU sharing", () => {
  it("3 VMs demanding 1 core each on a 2-core host get 2/3 core each, and the host is in violation", () => {
    const { sim, cpu } = host(2);
    const vms = [0, 1, 2].map((i) => cpu.addConsumer(0, `vm${i}`, 1));
    for (const vm of vms) cpu.setLoad(vm, 1);
    // Demand 3 cores > 2: each demanded core runs at 2 x 1 Gf / 3.
    for (const vm of vms) expect(vm.granted).toBeCloseTo((2 * GF) / 3, 3);
    sim.run({ until: 10 });
    expect(cpu.violationSeconds(0)).toBe(10);
    const [first, , third] = vms as [CpuConsumer, CpuConsumer, CpuConsumer];
    cpu.setLoad(third, 0);
    sim.run({ until: 15 });
    // Back to 2 cores demanded: no more violation, each of the two loaded VMs gets a full core.
    expect(cpu.violationSeconds(0)).toBe(10);
    expect(first.granted).toBe(GF);
  });

  it("caps each vCPU at one core and each VM at its vCPUs", () => {
    const { cpu } = host(4);
    const big = cpu.addConsumer(0, "big", 2);
    const runs = [1, 2, 3].map(() => cpu.execute(big, 10 * GF));
    // 3 executions but 2 vCPUs: the VM demands 2 cores (4 available), gets 2 Gf, each run 2/3 Gf.
    expect(big.demand).toBe(2);
    expect(big.granted).toBe(2 * GF);
    for (const run of runs) expect(run.rate).toBeCloseTo((2 * GF) / 3, 3);
    const small = cpu.addConsumer(0, "small", 1);
    const alone = cpu.execute(small, GF);
    expect(alone.rate).toBe(GF); // one vCPU: at most one core, though 2 cores are idle
  });

  it("completion times follow the granted rates, and speed up when a neighbour leaves", () => {
    // One 1 Gf core, two 1-vCPU VMs: 0.5 Gf each. A (1 Gf of work) ends at 1 / 0.5 = 2 s; B
    // (3 Gf) has 3 - 2 x 0.5 = 2 Gf left, then runs alone at 1 Gf: ends at 2 + 2 = 4 s.
    const { sim, cpu } = host(1);
    const a = cpu.execute(cpu.addConsumer(0, "a", 1), GF);
    const b = cpu.execute(cpu.addConsumer(0, "b", 1), 3 * GF);
    sim.run();
    expect(a.endTime).toBe(2);
    expect(b.endTime).toBe(4);
    // The host was overloaded (2 cores demanded of 1) from 0 to 2 s.
    expect(cpu.violationSeconds(0)).toBe(2);
  });

  it("shares a loaded VM's grant between its load and its executions", () => {
    // 1 core; a 1-vCPU VM with load 0.5 and one execution: demand min(1, 0.5 + 1) = 1 core,
    // shared by 1.5 users: the execution gets 1 Gf / 1.5.
    const { cpu } = host(1);
    const vm = cpu.addConsumer(0, "vm", 1);
    cpu.setLoad(vm, 0.5);
    const run = cpu.execute(vm, GF);
    expect(run.rate).toBeCloseTo(GF / 1.5, 3);
  });

  it("rejects a load outside [0, vcpus]", () => {
    const { cpu } = host(1);
    const vm = cpu.addConsumer(0, "vm", 2);
    expect(() => {
      cpu.setLoad(vm, 3);
    }).toThrow(/vm load must be in \[0, 2\]/);
  });

  it("a load's work moves at the load's grant, and slows down when the host is overloaded", () => {
    // 2 cores of 1 Gf. A 2-vCPU job VM at load 2 with 10 Gf of work: alone, 2 Gf/s. At t = 2 s
    // (6 Gf left) a 1-vCPU neighbour at load 1 arrives: 3 cores demanded of 2, each core at
    // 2/3 Gf, the job at 4/3 Gf/s: 6 / (4/3) = 4.5 s more, so it ends at 6.5 s.
    const sim = new Simulation();
    const cpu = new Cpu(sim, [{ name: "h", cores: 2, speed: GF }]);
    const job = cpu.addConsumer(0, "job", 2);
    cpu.setLoad(job, 2);
    const work = cpu.setLoadWork(job, 10 * GF);
    sim.scheduleAt(2, () => {
      cpu.setLoad(cpu.addConsumer(0, "noisy", 1), 1);
    });
    sim.run({ until: 100 });
    expect(work.state).toBe("completed");
    expect(work.endTime).toBeCloseTo(2 + 6 / (4 / 3), 9);
    expect(job.loadWork).toBeUndefined();
    // Granted flops: 2 s at 2 Gf/s, then 4/3 Gf/s up to t = 100 (the load stays 2 once the work is
    // done: a finished job's VM keeps running until it is stopped).
    expect(job.flopsComputed(100)).toBeCloseTo((2 * 2 + (100 - 2) * (4 / 3)) * GF, 0);
  });

  it("a paused consumer demands nothing and its work stands still", () => {
    // 1 core. Work of 4 Gf at load 1: runs 0-1 s (1 Gf done), paused 1-3 s, then 3 Gf more: 6 s.
    const { sim, cpu } = host(1);
    const vm = cpu.addConsumer(0, "vm", 1);
    cpu.setLoad(vm, 1);
    const work = cpu.setLoadWork(vm, 4 * GF);
    sim.scheduleAt(1, () => {
      cpu.setPaused(vm, true);
    });
    sim.scheduleAt(2, () => {
      expect(cpu.demand(0)).toBe(0);
    });
    sim.scheduleAt(3, () => {
      cpu.setPaused(vm, false);
    });
    sim.run();
    expect(work.endTime).toBe(6);
  });

  it("moves a consumer with its progress to another host", () => {
    // Host 0: 1 core of 1 Gf, host 1: 1 core of 2 Gf. 5 Gf executed: 2 s on host 0 (2 Gf), then
    // 3 Gf at 2 Gf/s on host 1: ends at 2 + 1.5 = 3.5 s.
    const sim = new Simulation();
    const cpu = new Cpu(sim, [
      { name: "slow", cores: 1, speed: GF },
      { name: "fast", cores: 1, speed: 2 * GF },
    ]);
    const vm = cpu.addConsumer(0, "vm", 1);
    const run = cpu.execute(vm, 5 * GF);
    sim.scheduleAt(2, () => {
      cpu.moveConsumer(vm, 1);
    });
    sim.run();
    expect(run.endTime).toBe(3.5);
    expect(vm.host).toBe(1);
    expect(cpu.demand(0)).toBe(0);
  });
});

describe("CPU sharing with reservations", () => {
  it("gives a reserved VM its cores first, and shares the rest by the demand beyond them", () => {
    // 4 cores; a, b and c (2 vCPUs each) demand 2 cores each: 6 > 4. With a reserving 2 cores:
    // a gets its 2; the 2 cores left go to the 4 cores demanded beyond the reservations (b's
    // and c's), half a core per demanded core: b and c get 1 core each.
    const { cpu } = host(4);
    const a = cpu.addConsumer(0, "a", 2, 2);
    const [b, c] = [cpu.addConsumer(0, "b", 2), cpu.addConsumer(0, "c", 2)];
    for (const vm of [a, b, c]) cpu.setLoad(vm, 2);
    expect(a.granted).toBe(2 * GF);
    expect(b.granted).toBe(1 * GF);
    expect(c.granted).toBe(1 * GF);
    // Without the reservation: 4 / 6 of each demanded core, 4/3 core each.
    const free = host(4).cpu;
    const vms = ["a", "b", "c"].map((name) => free.addConsumer(0, name, 2));
    for (const vm of vms) free.setLoad(vm, 2);
    for (const vm of vms) expect(vm.granted).toBeCloseTo((4 / 3) * GF, 6);
  });

  it("guarantees no more than the demand, and scales reservations that exceed the cores", () => {
    // a reserves 2 cores but demands 1, b demands 4: 5 > 4 cores. a is guaranteed min(2, 1) = 1
    // core; the 3 cores left go to b's 4 demanded beyond: b gets 3.
    const { cpu } = host(4);
    const a = cpu.addConsumer(0, "a", 2, 2);
    const b = cpu.addConsumer(0, "b", 4);
    cpu.setLoad(a, 1);
    cpu.setLoad(b, 4);
    expect(a.granted).toBe(1 * GF);
    expect(b.granted).toBe(3 * GF);
    // x and y reserve 3 cores each on a 4-core host, demand 3 each: 6 reserved > 4, scaled to
    // 4 / 6: 2 cores each; z, unreserved, gets nothing while they take every core.
    const full = host(4).cpu;
    const [x, y] = [full.addConsumer(0, "x", 4, 3), full.addConsumer(0, "y", 4, 3)];
    const z = full.addConsumer(0, "z", 1);
    for (const vm of [x, y]) full.setLoad(vm, 3);
    full.setLoad(z, 1);
    expect(x.granted).toBeCloseTo(2 * GF, 6);
    expect(y.granted).toBeCloseTo(2 * GF, 6);
    expect(z.granted).toBe(0);
  });

  it("refuses a reservation beyond the vCPUs", () => {
    expect(() => host(4).cpu.addConsumer(0, "a", 2, 3)).toThrow(
      /reserved cores must be in \[0, 2\]/,
    );
  });
});

describe("CPU sharing: a load change alone on its host against the whole host reshared", () => {
  type Step =
    | { kind: "load"; at: number; vm: number; fraction: number }
    | { kind: "execute"; at: number; vm: number; gflops: number }
    | { kind: "pause"; at: number; vm: number; paused: boolean }
    | { kind: "move"; at: number; vm: number; host: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("load" as const),
        at: fc.integer({ min: 0, max: 100 }),
        vm: fc.nat(7),
        fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("execute" as const),
        at: fc.integer({ min: 0, max: 100 }),
        vm: fc.nat(7),
        gflops: fc.integer({ min: 1, max: 50 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("pause" as const),
        at: fc.integer({ min: 0, max: 100 }),
        vm: fc.nat(7),
        paused: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("move" as const),
        at: fc.integer({ min: 0, max: 100 }),
        vm: fc.nat(7),
        host: fc.nat(1),
      }),
    },
  );

  /** Plays the steps on two hosts of 4 cores with 8 VMs of 1 or 2 vCPUs; what each VM computed and when each execution ended. */
  function play(steps: readonly Step[], reference: boolean) {
    const sim = new Simulation();
    const cpu = new Cpu(
      sim,
      [
        { name: "a", cores: 4, speed: GF },
        { name: "b", cores: 4, speed: GF },
      ],
      reference,
    );
    const vms = Array.from({ length: 8 }, (_, i) => cpu.addConsumer(i % 2, `vm${i}`, 1 + (i % 2)));
    const executions: { endTime: number }[] = [];
    for (const s of steps) {
      sim.scheduleAt(s.at, () => {
        const vm = vms[s.vm] as CpuConsumer;
        if (s.kind === "load") cpu.setLoad(vm, s.fraction * vm.vcpus);
        else if (s.kind === "execute") executions.push(cpu.execute(vm, s.gflops * GF));
        else if (s.kind === "pause") cpu.setPaused(vm, s.paused);
        else if (vm.host !== s.host) cpu.moveConsumer(vm, s.host);
      });
    }
    sim.run({ until: 200 });
    return {
      computed: vms.map((vm) => vm.flopsComputed(200)),
      ends: executions.map((execution) => execution.endTime),
      violation: [cpu.violationSeconds(0), cpu.violationSeconds(1)],
    };
  }

  it("an execution speeds up when its VM's load drops, on a host with cores to spare", () => {
    // 1 vCPU, load 0.8 and one execution of 10 Gflop: the vCPU is shared by 1.8 users, the
    // execution runs at 1 / 1.8 Gflop/s. At t = 1 the load drops to 0: 1 / 1.8 Gflop done, the
    // rest at 1 Gflop/s, so it ends at 1 + (10 - 1 / 1.8) = 10.444... s.
    for (const reference of [false, true]) {
      const sim = new Simulation();
      const cpu = new Cpu(sim, [{ name: "h", cores: 4, speed: GF }], reference);
      const vm = cpu.addConsumer(0, "vm", 1);
      cpu.setLoad(vm, 0.8);
      const execution = cpu.execute(vm, 10 * GF);
      sim.scheduleAt(1, () => {
        cpu.setLoad(vm, 0);
      });
      sim.run();
      expect(execution.endTime).toBeCloseTo(1 + (10 - 1 / 1.8), 9);
    }
  });

  it("gives every VM the same flops and every execution the same end, within rounding", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const fast = play(steps, false);
        const slow = play(steps, true);
        const close = (a: number, b: number) =>
          (Number.isNaN(a) && Number.isNaN(b)) ||
          Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
        fast.computed.forEach((value, i) => {
          expect(close(value, slow.computed[i] as number)).toBe(true);
        });
        fast.ends.forEach((value, i) => {
          expect(close(value, slow.ends[i] as number)).toBe(true);
        });
        fast.violation.forEach((value, i) => {
          expect(close(value, slow.violation[i] as number)).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});
