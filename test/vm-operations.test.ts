import { describe, expect, it } from "vitest";
import { bootVm } from "../src/compute/boot.js";
import { MemoryOvercommit } from "../src/compute/cloud.js";
import { restoreVms } from "../src/compute/restore.js";
import { snapshotVms, type Snapshot } from "../src/compute/snapshot.js";
import { coldMigrateVm, resumeVm, suspendVm } from "../src/compute/suspend-resume.js";
import { IllegalTransition } from "../src/compute/vm-lifecycle.js";
import type { VmTransition } from "../src/compute/cloud.js";
import { DISK, GiB, NIC, runningVm, testCloud, vmSpec } from "./cloud-fixture.js";

describe("VM lifecycle", () => {
  it("signals every transition and throws on an illegal one, naming the VM and both states", () => {
    const { sim, cloud } = testCloud();
    const seen: string[] = [];
    cloud.vmStateChanged.subscribe((t: VmTransition) => seen.push(`${t.from}>${t.to}@${t.time}`));
    const vm = cloud.createVm(vmSpec("web-1"));
    expect(() => {
      cloud.setState(vm, "suspended");
    }).toThrow(new IllegalTransition("web-1", "waiting", "suspended"));
    expect(() => {
      cloud.setState(vm, "suspended");
    }).toThrow("VM web-1: cannot go from waiting to suspended");
    bootVm(cloud, vm, 0, { delay: 3 });
    sim.run();
    cloud.stopVm(vm);
    expect(seen).toEqual(["waiting>booting@0", "booting>running@3", "running>stopped@3"]);
    expect(cloud.freeMemory(0)).toBe(16 * GiB);
  });

  it("never over-commits a host's RAM", () => {
    const { sim, cloud } = testCloud();
    runningVm(sim, cloud, 0, vmSpec("a", { memory: 10 * GiB }));
    const b = cloud.createVm(vmSpec("b", { memory: 10 * GiB }));
    expect(() => {
      bootVm(cloud, b, 0, { delay: 0 });
    }).toThrow(MemoryOvercommit);
    expect(b.state).toBe("waiting");
    expect(cloud.freeMemory(0)).toBe(6 * GiB);
  });
});

describe("boot", () => {
  it("copies the image from the store, then waits the boot delay", () => {
    // 2e9-byte image from host 2 (other site) to host 0: 2e9 / 125e6 = 16 s, then 5 s of boot.
    const { sim, cloud } = testCloud();
    const vm = cloud.createVm(vmSpec("vm"));
    let ranAt = Number.NaN;
    bootVm(cloud, vm, 0, {
      delay: 5,
      imageStore: 2,
      onDone: () => {
        ranAt = sim.now;
      },
    });
    sim.run();
    expect(ranAt).toBe(2e9 / NIC + 5);
    expect(vm.state).toBe("running");
  });
});

describe("suspend and resume", () => {
  it("write and read the RAM at the disk's bandwidth, shared by concurrent I/O", () => {
    // 1 GiB at 100 MB/s: 10.737 s; two VMs suspending on one host share the disk: 21.47 s.
    const { sim, cloud } = testCloud();
    const a = runningVm(sim, cloud, 0, vmSpec("a"));
    const b = runningVm(sim, cloud, 0, vmSpec("b"));
    const suspendedAt: number[] = [];
    for (const vm of [a, b]) suspendVm(cloud, vm, { onDone: () => suspendedAt.push(sim.now) });
    sim.run();
    expect(suspendedAt).toEqual([(2 * GiB) / DISK, (2 * GiB) / DISK]);
    expect(a.state).toBe("suspended");
    expect(cloud.freeMemory(0)).toBe(16 * GiB);
    const t0 = sim.now;
    let resumedAt = Number.NaN;
    resumeVm(cloud, a, { onDone: () => (resumedAt = sim.now) });
    sim.run();
    expect(resumedAt - t0).toBeCloseTo(GiB / DISK, 9);
    expect(a.state).toBe("running");
    expect(cloud.freeMemory(0)).toBe(15 * GiB);
  });

  it("a remote resume adds the transfer of the image; cold migration is suspend then that", () => {
    // Suspend 10.737 s, transfer 1 GiB over 125 MB/s 8.590 s, read on the target 10.737 s.
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"));
    let movedAt = Number.NaN;
    coldMigrateVm(cloud, vm, 3, { onDone: () => (movedAt = sim.now) });
    sim.run();
    expect(movedAt).toBeCloseTo(GiB / DISK + GiB / NIC + GiB / DISK, 9);
    expect(vm.host).toBe(3);
    expect(vm.consumer?.host).toBe(3);
    expect(cloud.freeMemory(0)).toBe(16 * GiB);
    expect(cloud.freeMemory(3)).toBe(15 * GiB);
  });

  it("a remote resume whose target crashes leaves the VM suspended where it was", () => {
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"));
    suspendVm(cloud, vm);
    sim.run();
    const failures: string[] = [];
    resumeVm(cloud, vm, { host: 3, onFail: (_, reason) => failures.push(reason) });
    sim.run({ until: sim.now + 1 });
    cloud.crashHost(3, "power cut");
    expect([vm.state, vm.host]).toEqual(["suspended", 0]);
    expect(failures).toEqual(["destination s1h1 lost: power cut"]);
    expect(cloud.freeMemory(3)).toBe(16 * GiB);
    // The image is still on s0h0's disk: the VM resumes there.
    resumeVm(cloud, vm);
    sim.run();
    expect([vm.state, vm.host]).toEqual(["running", 0]);
  });

  it("a suspended VM's work stands still", () => {
    // 1 busy vCPU at 1 Gf with 10 Gf of work: 0-2 s runs (2 Gf), suspend 10.737 s, stays
    // suspended until 20 s, resume 10.737 s, then 8 Gf more: ends at 20 + 10.737 + 8.
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"), 1);
    let doneAt = Number.NaN;
    cloud.setWork(vm, 10e9, () => (doneAt = sim.now));
    sim.scheduleAt(2, () => {
      suspendVm(cloud, vm);
    });
    sim.scheduleAt(20, () => {
      resumeVm(cloud, vm);
    });
    sim.run();
    expect(doneAt).toBeCloseTo(20 + GiB / DISK + 8, 9);
  });
});

describe("snapshot and restore", () => {
  it("a coordinated snapshot pauses all VMs while they save, then copies the images to the store", () => {
    // Two busy VMs on hosts 0 and 1 each save 1 GiB locally (10.737 s, in parallel: two disks),
    // then both copy 1 GiB + 100 MB of disk delta to the store on host 2, sharing its 125 MB/s
    // NIC: 2 x (2^30 + 1e8) / 125e6 = 18.78 s. Their 30 Gf of work lose the 10.737 s of pause.
    const { sim, cloud } = testCloud();
    const vms = [0, 1].map((host) => runningVm(sim, cloud, host, vmSpec(`vm${host}`), 1));
    const finished: number[] = [];
    for (const vm of vms) cloud.setWork(vm, 30e9, () => finished.push(sim.now));
    let snapshot: Snapshot | undefined;
    sim.scheduleAt(5, () => {
      snapshot = snapshotVms(cloud, vms, { store: 2, diskDelta: 1e8 });
    });
    sim.run({ until: 6 });
    expect(vms.map((vm) => vm.state)).toEqual(["snapshotting", "snapshotting"]);
    expect(cloud.cpu.demand(0)).toBe(0);
    sim.run();
    const s = snapshot as Snapshot;
    expect(s.state).toBe("stored");
    expect(s.end).toBeCloseTo(5 + GiB / DISK + (2 * (GiB + 1e8)) / NIC, 9);
    expect(s.images.map((i) => i.workLeft)).toEqual([25e9, 25e9]); // captured at t = 5
    expect(finished).toHaveLength(2);
    for (const t of finished) expect(t).toBeCloseTo(30 + GiB / DISK, 9);
  });

  it("a live snapshot leaves the VMs running", () => {
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"), 1);
    let doneAt = Number.NaN;
    cloud.setWork(vm, 30e9, () => (doneAt = sim.now));
    const snapshot = snapshotVms(cloud, [vm], { store: 1, mode: "live" });
    sim.run();
    expect(snapshot.state).toBe("stored");
    expect(snapshot.end).toBeCloseTo(GiB / DISK + GiB / NIC, 9);
    expect(doneAt).toBe(30);
  });

  it("restores a failed VM from the store with the work it had left, reconfiguring its network", () => {
    // Snapshot at 0 (VM on host 0, site 0; busy vCPU at 1 Gf, 30 Gf of work left): stored at
    // 10.737 + 8.590 s. The VM fails at 25 s, losing the work done since, and is restored on
    // host 2 (site 1): fetch 1 GiB from the store (host 1) 8.590 s, read 10.737 s, reconfigure
    // across sites 2 s; then the 30 Gf left at capture take 30 s.
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"), 1);
    let doneAt = Number.NaN;
    cloud.setWork(vm, 30e9, () => (doneAt = sim.now));
    const snapshot = snapshotVms(cloud, [vm], { store: 1 });
    sim.scheduleAt(25, () => {
      cloud.failVm(vm, "host crashed");
      expect(vm.state).toBe("failed");
      expect(cloud.freeMemory(0)).toBe(16 * GiB);
      restoreVms(cloud, snapshot, [2], { reconfigureSameSite: 0.5, reconfigureOtherSite: 2 });
    });
    sim.run();
    const restoredAt = 25 + GiB / NIC + GiB / DISK + 2;
    expect(vm.state).toBe("running");
    expect(vm.host).toBe(2);
    expect(doneAt).toBeCloseTo(restoredAt + 30, 9);
  });

  it("refuses a restore that does not fit, before any VM moves", () => {
    // Two 10 GiB VMs snapshotted, both failed, restored onto one 16 GiB host: the second does not
    // fit, so neither starts restoring.
    const { sim, cloud } = testCloud();
    const vms = [0, 1].map((host) =>
      runningVm(sim, cloud, host, vmSpec(`big${host}`, { memory: 10 * GiB })),
    );
    const snapshot = snapshotVms(cloud, vms, { store: 2 });
    sim.run();
    for (const vm of vms) cloud.failVm(vm, "crash");
    expect(() => restoreVms(cloud, snapshot, [3, 3])).toThrow(MemoryOvercommit);
    expect(vms.map((vm) => vm.state)).toEqual(["failed", "failed"]);
    expect(cloud.freeMemory(3)).toBe(16 * GiB);
  });

  it("fails when a VM fails while saving, and the others run again", () => {
    const { sim, cloud } = testCloud();
    const vms = [0, 1].map((host) => runningVm(sim, cloud, host, vmSpec(`vm${host}`), 1));
    const snapshot = snapshotVms(cloud, vms, { store: 2 });
    sim.scheduleAt(1, () => {
      cloud.failVm(vms[0] as (typeof vms)[0], "host crashed");
    });
    sim.run();
    expect(snapshot.state).toBe("failed");
    expect(snapshot.failure).toBe("VM vm0 lost: host crashed");
    expect(vms.map((vm) => vm.state)).toEqual(["failed", "running"]);
    expect(cloud.cpu.demand(1)).toBe(1);
  });
});
