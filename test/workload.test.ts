import { RESTART_FROM_ZERO } from "../src/policies/faulttolerance/restart-from-zero.js";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Cloud } from "../src/compute/cloud.js";
import { buildPlatform } from "../src/platform/build.js";
import { syntheticPlatform } from "../src/platform/synthetic.js";
import { firstFit } from "../src/policies/placement/first-fit.js";
import { RandomStreams, Simulation } from "../src/sim/index.js";
import { constantLoad, injectorLoad, planetLabLoad } from "../src/workload/load-profiles.js";
import { planetLabDay } from "../src/workload/planetlab.js";
import { parseSwf } from "../src/workload/swf.js";
import { poissonVjobs, swfVjobs } from "../src/workload/vjob-arrivals.js";
import type { VjobRecord } from "../src/workload/vjob-record.js";
import { VjobRunner } from "../src/workload/vjob-runner.js";
import { GiB, runningVm, vmSpec } from "./cloud-fixture.js";

const GF = 1e9;

/** One site of `hosts` hosts with 4 cores of 1 Gf and 16 GiB each; invariants checked. */
function cloudOf(hosts: number) {
  const sim = new Simulation();
  const platform = buildPlatform(
    syntheticPlatform({ sites: 1, hostsPerSite: hosts, cores: 4, speed: GF, memory: 16 * GiB }),
  );
  const cloud = new Cloud(sim, platform);
  sim.addInvariant("cloud", () => cloud.checkInvariants());
  sim.enableChecks();
  return { sim, cloud };
}

describe("PlanetLab replay", () => {
  it("over a day, the mean CPU demand of the VMs equals the mean of the file's samples", () => {
    // The first 40 VMs of 2011-03-03, 1 vCPU each, on 10 hosts of 4 cores: never overloaded, so
    // each VM is granted its demand and its granted flops / (1 Gf x 86,400 s) is its mean load.
    const day = "20110303";
    const text = gunzipSync(readFileSync(`data/planetlab/${day}.csv.gz`)).toString("utf8");
    const rows = text.trim().split("\n").slice(1, 41);
    const samples = rows.flatMap((row) => row.split(",").slice(1).map(Number));
    expect(samples).toHaveLength(40 * 288);
    const fileMean = samples.reduce((a, b) => a + b, 0) / samples.length / 100;

    const { sim, cloud } = cloudOf(10);
    const trace = planetLabDay(day);
    const vms = rows.map((_, v) => {
      const vm = runningVm(sim, cloud, Math.floor(v / 4), vmSpec(`pl${v}`));
      planetLabLoad(trace, v).start({
        sim,
        rng: new RandomStreams(1).stream("unused"),
        setLoad: (fraction) => {
          cloud.setLoad(vm, fraction);
        },
      });
      return vm;
    });
    sim.run({ until: 86_400 });
    const granted = vms.reduce((sum, vm) => sum + (vm.consumer?.flopsComputed(86_400) ?? 0), 0);
    const replayedMean = granted / GF / 86_400 / vms.length;
    expect(Math.abs(replayedMean - fileMean) / fileMean).toBeLessThan(1e-9);
    expect(trace.vms[0]).toBe(rows[0]?.split(",")[0]);
  });
});

describe("SWF", () => {
  const log = parseSwf("ten-jobs.swf", readFileSync("test/fixtures/ten-jobs.swf", "utf8"));

  it("a file with 10 jobs becomes 10 vjobs with the file's submit times", () => {
    // 6 header lines, then 11 jobs; job 6 (line 6 + 6 = 12) was cancelled before running (run
    // time -1) and is skipped.
    expect(log.skipped).toEqual([{ line: 12, reason: "job 6 has no run time" }]);
    const vjobs = swfVjobs(
      log,
      { vcpusPerVm: 4, vm: { workingSet: 1, dirtyRate: 0, imageSize: 0 }, memoryPerVcpu: GiB },
      () => constantLoad(1),
    );
    expect(vjobs).toHaveLength(10);
    expect(vjobs.map((v) => v.submit)).toEqual([
      0, 60, 125, 300, 301, 1200, 1800, 2400, 3000, 3600,
    ]);
    // Job 5: 6 processors -> VMs of 4 and 2 vCPUs, each with run time x vCPUs core-seconds.
    const job5 = vjobs[4];
    expect(job5?.vms.map((vm) => vm.vcpus)).toEqual([4, 2]);
    expect(job5?.work).toEqual([
      { unit: "core-seconds", amount: 1800 * 4 },
      { unit: "core-seconds", amount: 1800 * 2 },
    ]);
    // Job 3 asks 524,288 KB per processor: 512 MiB x 4 vCPUs = 2 GiB per VM.
    expect(vjobs[2]?.vms.map((vm) => vm.memory)).toEqual([2 * GiB, 2 * GiB]);
    // Job 4 gives no requested processors: its 2 allocated ones are used.
    expect(vjobs[3]?.vms.map((vm) => vm.vcpus)).toEqual([2]);
  });

  it("names the line of a malformed job", () => {
    expect(() => parseSwf("bad.swf", "; header\n1 0 5\n")).toThrow(
      "bad.swf, line 2: expected 18 numbers, got 3 fields",
    );
  });
});

/** The vjobs the runner finishes, in the order they finish. */
function finishedOf(runner: VjobRunner): VjobRecord[] {
  const finished: VjobRecord[] = [];
  runner.vjobFinished.subscribe((record) => finished.push(record));
  return finished;
}

const NO_FAULT_TOLERANCE = RESTART_FROM_ZERO.create(
  { restartDelay: 30 },
  {
    stream: () => {
      throw new Error("no stream");
    },
  },
);

describe("vjobs", () => {
  it("run at the CPU they are granted, and wait in order for room", () => {
    // One host, 4 cores of 1 Gf. Job a: 2 VMs of 2 vCPUs at full load, 200 core-seconds each,
    // submitted at 0, boot 10 s: runs 10 s to 10 + 200 / 2 = 110 s. Job b (one 4-vCPU VM, 40
    // core-seconds) arrives at 5 but finds no free vCPU until a ends: boots 110 -> 120, ends at
    // 120 + 40 / 4 = 130 s.
    const { sim, cloud } = cloudOf(1);
    const runner = new VjobRunner(cloud, new RandomStreams(1), {
      placement: firstFit(1),
      bootDelay: 10,
      faultTolerance: NO_FAULT_TOLERANCE,
    });
    const vm = (name: string, vcpus: number) => ({ ...vmSpec(name), vcpus });
    const finished = finishedOf(runner);
    runner.submitAll([
      {
        name: "a",
        submit: 0,
        vms: [vm("a0", 2), vm("a1", 2)],
        loads: [constantLoad(1), constantLoad(1)],
        work: [
          { unit: "core-seconds", amount: 200 },
          { unit: "core-seconds", amount: 200 },
        ],
      },
      {
        name: "b",
        submit: 5,
        vms: [vm("b0", 4)],
        loads: [constantLoad(1)],
        work: [{ unit: "flops", amount: 40 * GF }],
      },
    ]);
    sim.run();
    expect(finished.map((r) => [r.spec.name, r.start, r.end])).toEqual([
      ["a", 0, 110],
      ["b", 110, 130],
    ]);
    // Their 3 VMs were stopped, and forgotten.
    expect(cloud.vmsCreated).toBe(3);
    expect([...cloud.liveVms()]).toEqual([]);
    expect(runner.pending()).toEqual([]);
  });

  it("overload slows a job down", () => {
    // Three jobs of one 2-vCPU VM at full load (placement allows 2 vCPUs per core) on one host
    // of 4 cores demand 6 cores: each core runs at 4/6 Gf, each job at 2 x 4/6 = 4/3 Gf/s, so
    // 200 core-seconds (200 Gf) take 150 s instead of 100 s, all that time in violation.
    const { sim, cloud } = cloudOf(1);
    const runner = new VjobRunner(cloud, new RandomStreams(1), {
      placement: firstFit(2),
      bootDelay: 0,
      faultTolerance: NO_FAULT_TOLERANCE,
    });
    const finished = finishedOf(runner);
    runner.submitAll(
      ["x", "y", "z"].map((name) => ({
        name,
        submit: 0,
        vms: [{ ...vmSpec(`${name}0`), vcpus: 2 }],
        loads: [constantLoad(1)],
        work: [{ unit: "core-seconds" as const, amount: 200 }],
      })),
    );
    sim.run();
    expect(finished).toHaveLength(3);
    for (const record of finished) expect(record.end).toBeCloseTo(150, 9);
    expect(cloud.cpu.violationSeconds(0)).toBeCloseTo(150, 9);
  });

  it("Poisson arrivals have the requested mean gap, from a named stream", () => {
    const vm = { vcpus: 1, memory: GiB, workingSet: 1, dirtyRate: 0, imageSize: 0 };
    const jobs = [
      ...poissonVjobs(
        20_000,
        30,
        { vms: 1, vm, duration: 60 },
        () => constantLoad(0.5),
        new RandomStreams(7).stream("workload/arrivals"),
      ),
    ];
    const gaps = jobs.slice(1).map((job, i) => job.submit - (jobs[i]?.submit ?? 0));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    // Exponential gaps: standard error of the mean 30 / sqrt(19,999) = 0.21 s; 5 standard errors.
    expect(Math.abs(mean - 30)).toBeLessThan(5 * (30 / Math.sqrt(gaps.length)));
    expect(jobs.every((job, i) => i === 0 || job.submit >= (jobs[i - 1]?.submit ?? 0))).toBe(true);
  });

  it("the injector draws loads from a clipped Gaussian at exponential intervals", () => {
    // Mean 0.5, deviation 0.1 (clipping at 0 and 1 is 5 deviations away: negligible), a change
    // every 60 s on average: over 10^6 s (~16,700 changes) the time-average load is 0.5 within
    // a few standard errors (0.1 x sqrt(2 / 16,700) = 0.0011 for exponential holding times).
    const sim = new Simulation();
    let load = 0;
    let area = 0;
    let last = 0;
    injectorLoad(0.5, 0.1, 60).start({
      sim,
      rng: new RandomStreams(3).stream("workload/load/vm0"),
      setLoad: (fraction) => {
        area += load * (sim.now - last);
        last = sim.now;
        load = fraction;
        expect(fraction).toBeGreaterThanOrEqual(0);
        expect(fraction).toBeLessThanOrEqual(1);
      },
    });
    sim.run({ until: 1e6 });
    area += load * (1e6 - last);
    expect(Math.abs(area / 1e6 - 0.5)).toBeLessThan(5 * 0.0011);
  });
});
