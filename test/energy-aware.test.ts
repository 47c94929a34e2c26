import { describe, expect, it } from "vitest";
import type { Configuration, VmDemand } from "../src/policies/consolidation/configuration.js";
import { energyAware } from "../src/policies/consolidation/energy-aware/energy-aware-policy.js";
import { isOverloaded } from "../src/policies/consolidation/energy-aware/overload-detection.js";
import {
  iqr,
  localRegression,
  mad,
  median,
} from "../src/policies/consolidation/energy-aware/statistics.js";
import { rSquared } from "../src/policies/consolidation/energy-aware/vm-selection.js";
import { RandomStreams } from "../src/sim/random.js";
import { testCloud } from "./cloud-fixture.js";

const vm = (id: number, cpu: number, memory: number, host: number): VmDemand => ({
  id,
  cpu,
  memory,
  host,
  pinned: false,
  vm: id,
});

describe("the statistics of overload detection", () => {
  it("median, MAD and IQR by hand", () => {
    const data = [0.1, 0.9, 0.3, 0.5, 0.2, 0.4];
    // Sorted 0.1 0.2 0.3 0.4 0.5 0.9: median (0.3 + 0.4) / 2 = 0.35.
    expect(median(data)).toBeCloseTo(0.35, 15);
    // |x - 0.35|: 0.25 0.55 0.05 0.15 0.15 0.05 -> sorted 0.05 0.05 0.15 0.15 0.25 0.55: 0.15.
    expect(mad(data)).toBeCloseTo(0.15, 15);
    // Halves 0.1 0.2 0.3 | 0.4 0.5 0.9: Q1 = 0.2, Q3 = 0.5, IQR = 0.3.
    expect(iqr(data)).toBeCloseTo(0.3, 15);
  });

  it("local regression recovers a line exactly, and the robust fit ignores an outlier", () => {
    const line = Array.from({ length: 10 }, (_, i) => 0.2 + 0.05 * (i + 1));
    const fit = localRegression(line, false);
    expect(fit?.a).toBeCloseTo(0.2, 12);
    expect(fit?.b).toBeCloseTo(0.05, 12);
    // One wild sample among nine on the line: the bisquare weights drop it.
    const spoiled = line.map((y, i) => (i === 4 ? y + 0.5 : y));
    const robust = localRegression(spoiled, true);
    const plain = localRegression(spoiled, false);
    expect(Math.abs((robust?.b ?? 0) - 0.05)).toBeLessThan(Math.abs((plain?.b ?? 0) - 0.05));
  });

  it("LR predicts past the longest migration: a rising host is overloaded before it is full", () => {
    const settings = { method: "lr", threshold: 0.8, safety: 1.2, fallback: 0.7 } as const;
    // 0.35 to 0.80 by 0.05 a period: predicted at period 10 + 1 is 0.85; x 1.2 = 1.02 >= 1.
    const rising = Array.from({ length: 10 }, (_, i) => 0.35 + 0.05 * i);
    expect(isOverloaded(settings, rising, 1)).toBe(true);
    // Flat at 0.8: 0.8 x 1.2 = 0.96 < 1.
    expect(
      isOverloaded(
        settings,
        rising.map(() => 0.8),
        1,
      ),
    ).toBe(false);
    // Too short a history: the fallback threshold 0.7.
    expect(isOverloaded(settings, [0.75], 1)).toBe(true);
  });

  it("R^2 is 1 for a VM that is a linear combination of the others", () => {
    const x = [1, 2, 3, 4, 5, 6];
    const z = [2, 1, 4, 3, 6, 5];
    const y = x.map((v, i) => 0.5 + 2 * v - (z[i] ?? 0));
    expect(rSquared(y, [x, z])).toBeCloseTo(1, 12);
  });
});

describe("the energy-aware consolidation (THR-MMT)", () => {
  it("sheds the VM that migrates fastest to the host whose power grows least, and empties what it can", () => {
    // Four 4-core 8 GiB hosts (units: GiB). Host 0 holds 1.5 + 1 + 1 = 3.5 cores (87.5% > 80%);
    // host 1 holds 1 core, host 2 holds 2 cores in one VM, host 3 is empty.
    const configuration: Configuration = {
      hosts: [0, 1, 2, 3].map((id) => ({ id, cpu: 4, memory: 8 })),
      vms: [vm(0, 1.5, 4, 0), vm(1, 1, 2, 0), vm(2, 1, 1, 0), vm(3, 1, 2, 1), vm(4, 2, 1, 2)],
    };
    const policy = energyAware(
      {
        method: "thr",
        threshold: 0.8,
        safety: 1,
        fallback: 0.7,
        selection: "mmt",
        history: 30,
        underload: true,
      },
      () => new RandomStreams(1).stream("test"),
    );
    const { cloud } = testCloud({ sites: 1, hostsPerSite: 4 });
    const { target } = policy.decide({
      now: 0,
      configuration,
      suspended: new Set(),
      vjobs: [],
      cloud,
      watts: (_host, u) => 95 + 95.7 * u,
    });
    // 1. Host 0 sheds VM 2 (1 GiB, the fastest to migrate): 2.5 / 4 = 62.5%, no longer overloaded.
    // 2. PABFD: the power of hosts 1 and 2 grows alike (linear, same cores): the lower id, host 1
    //    (1 + 1 = 2 cores, 50%). Host 3, empty, grows as much and comes later.
    // 3. Underload: host 0 (overloaded) and host 1 (receiving) are out; the least utilised left is
    //    host 2 (50%): its 2-core VM fits nowhere open (host 0 is out, host 1 would reach 100% >
    //    80%, host 3 is empty): it stays.
    expect(target).toEqual([0, 0, 1, 1, 2]);
  });
});
