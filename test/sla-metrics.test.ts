import { describe, expect, it } from "vitest";
import { migrateVm } from "../src/compute/live-migration.js";
import { CloudMetrics } from "../src/output/cloud-metrics.js";
import { GiB, NIC, runningVm, testCloud, vmSpec } from "./cloud-fixture.js";

describe("Beloglazov & Buyya's SLA metrics", () => {
  it("SLATAH, PDM, SLAV and ESV of one migration and one host overloaded throughout", () => {
    const { sim, cloud } = testCloud();
    const metrics = new CloudMetrics(cloud);
    // VM a (1 vCPU, fully busy, 1 GiB) on host 0 migrates to host 1 at 100 s; five busy 1-vCPU
    // VMs demand 5 cores of host 2's 4 for the whole run.
    const a = runningVm(sim, cloud, 0, vmSpec("a", { memory: GiB }), 1);
    for (let i = 0; i < 5; i++) runningVm(sim, cloud, 2, vmSpec(`b${i}`), 1);
    sim.scheduleAt(100, () => migrateVm(cloud, a, 1));
    sim.run({ until: 1000 });
    const summary = metrics.summarize(1000);
    // An idle-RAM migration (dirty rate 0) sends 1 GiB once over the 125 MB/s NIC.
    const migration = GiB / NIC; // 8.589934592 s
    // Hosts that held VMs: 0 (until the migration ended), 1 (from its start), 2 (overloaded all
    // along): SLATAH = (0 + 0 + 1) / 3.
    expect(summary.sla.slatah).toBeCloseTo(1 / 3, 12);
    // VM a lost 10% of its 1 core during the migration, over 1,000 core-seconds demanded; the
    // five others lost nothing: PDM = (0.1 x 1 x migration / 1000) / 6.
    expect(summary.sla.pdm).toBeCloseTo((0.1 * migration) / 1000 / 6, 15);
    expect(summary.sla.slav).toBeCloseTo(summary.sla.slatah * summary.sla.pdm, 18);
    expect(summary.sla.esv).toBeCloseTo(summary.energyKWh * summary.sla.slav, 18);
  });
});
