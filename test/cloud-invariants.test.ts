import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bootVm } from "../src/compute/boot.js";
import { HostDown, MemoryOvercommit } from "../src/compute/cloud.js";
import { migrateVm } from "../src/compute/live-migration.js";
import { snapshotVms } from "../src/compute/snapshot.js";
import { resumeVm, suspendVm } from "../src/compute/suspend-resume.js";
import { CloudMetrics } from "../src/output/cloud-metrics.js";
import { GiB, testCloud, vmSpec } from "./cloud-fixture.js";
import { energyReference } from "./energy-reference.js";

const ACTIONS = [
  "boot",
  "migrate",
  "suspend",
  "resume",
  "fail",
  "stop",
  "snapshot",
  "link",
  "crash",
  "repair",
  "switchOff",
  "powerOn",
  "load",
] as const;

describe("cloud invariants under random operations", () => {
  it("every VM holds RAM on exactly one host (two while migrating, none when it has no live image), no host is over-committed or holds a VM unless on, the per-site totals equal a scan at every step, and energy is the integral of power", () => {
    const step = fc.record({
      at: fc.double({ min: 0, max: 60, noNaN: true }),
      action: fc.constantFrom<(typeof ACTIONS)[number]>(...ACTIONS),
      vm: fc.nat(7),
      host: fc.nat(3),
      load: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        // 4 hosts of 16 GiB; 8 VMs of 3 to 10 GiB: they cannot all fit, so RAM is contended.
        const { sim, cloud } = testCloud();
        const vms = Array.from({ length: 8 }, (_, i) =>
          cloud.createVm(vmSpec(`vm${i}`, { memory: (3 + i) * GiB, dirtyRate: 5e7 })),
        );
        vms.forEach((vm) => {
          cloud.setLoad(vm, 1);
        });
        const metrics = new CloudMetrics(cloud);
        const reference = energyReference(cloud);
        // Half the VMs start booting at once, one per host, so that the random steps find VMs
        // running (crashes, migrations and load changes then hit hosts that hold some).
        vms.slice(0, 4).forEach((vm, host) => {
          bootVm(cloud, vm, host, { delay: 1 });
        });
        for (const { at, action, vm: v, host, load } of steps) {
          const vm = vms[v];
          if (vm === undefined) continue;
          sim.scheduleAt(at, () => {
            try {
              if (action === "boot" && vm.state === "waiting")
                bootVm(cloud, vm, host, { delay: 1 });
              if (action === "migrate" && vm.state === "running" && vm.host !== host) {
                migrateVm(cloud, vm, host);
              }
              if (action === "suspend" && vm.state === "running") suspendVm(cloud, vm);
              if (action === "resume" && vm.state === "suspended") resumeVm(cloud, vm, { host });
              if (action === "fail") cloud.failVm(vm, "chaos");
              if (
                action === "stop" &&
                ["waiting", "running", "suspended", "failed"].includes(vm.state)
              ) {
                cloud.stopVm(vm);
              }
              if (action === "snapshot" && vm.state === "running")
                snapshotVms(cloud, [vm], { store: host });
              if (action === "crash") cloud.crashHost(host, "chaos");
              if (action === "repair") cloud.bringHostUp(host, "repaired");
              if (action === "switchOff") cloud.switchOff(host);
              if (action === "powerOn") cloud.powerOn(host);
              if (action === "load") cloud.setLoad(vm, load * vm.spec.vcpus);
              if (action === "link") {
                const link = cloud.platform.hosts[host]?.link as number;
                cloud.network.setLinkUp(link, !cloud.network.isLinkUp(link));
              }
            } catch (error) {
              // Refused for lack of RAM or a host down: nothing must have changed (the invariants
              // say so).
              if (!(error instanceof MemoryOvercommit || error instanceof HostDown)) throw error;
            }
            // After every step, not only at the end: the per-site totals kept change by change
            // must equal a scan at any moment.
            expect(cloud.checkInvariants()).toBeUndefined();
          });
        }
        sim.run({ until: 1000 });
        expect(cloud.checkInvariants()).toBeUndefined();
        const energy = metrics.summarize(1000).energyKWh;
        expect(Math.abs(energy - reference(1000))).toBeLessThanOrEqual(1e-9 * reference(1000));
      }),
      { numRuns: 300 },
    );
  });
});
