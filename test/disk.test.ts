import { describe, expect, it } from "vitest";
import { Disks } from "../src/compute/disk.js";
import { Simulation } from "../src/sim/index.js";

const MB = 1e6;

describe("disks", () => {
  it("shares a host's disk bandwidth among concurrent reads and writes", () => {
    // 100 MB/s disk. A write of 100 MB and a read of 300 MB share it at 50 MB/s each: the write
    // ends at 100 / 50 = 2 s; the read then has 300 - 100 = 200 MB left at 100 MB/s: ends at 4 s.
    const sim = new Simulation();
    const disks = new Disks(sim, [
      { name: "a", diskBandwidth: 100 * MB },
      { name: "b", diskBandwidth: 100 * MB },
    ]);
    const write = disks.transfer(0, 100 * MB);
    const read = disks.transfer(0, 300 * MB);
    const elsewhere = disks.transfer(1, 100 * MB); // another host's disk is not shared
    sim.run({ until: 1 });
    expect(disks.load(0)).toBe(100 * MB);
    sim.run();
    expect(write.endTime).toBe(2);
    expect(read.endTime).toBe(4);
    expect(elsewhere.endTime).toBe(1);
  });
});
