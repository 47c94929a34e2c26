import { describe, expect, it } from "vitest";
import { prepareRun } from "../src/run/run-scenario.js";
import type { VjobsRun } from "../src/run/vjobs-run.js";
import type { VjobRecord } from "../src/workload/vjob-record.js";
import { SALINE_FIXTURES, salineScenario } from "./saline-fixture.js";

/*
 * The platform and vjobs of salineScenario (test/saline-fixture.ts). Saline snapshots every 1,800 s of running: the capture pauses the VM while 4e9 B go to its
 * disk, 4e9 / 1e8 = 40 s; captures start at 60 + 1800 = 1860, 1900 + 1800 = 3700, 5540, 7380.
 */
const CAPTURE = 4e9 / 1e8;

function runOf(faultTolerance: object, trace: string, jobs: number): VjobRecord[] {
  const scenario = salineScenario(faultTolerance, trace, jobs);
  const run = prepareRun(scenario, { check: true, baseDir: SALINE_FIXTURES }) as VjobsRun;
  const records: VjobRecord[] = [];
  run.runner.vjobFinished.subscribe((record) => records.push(record));
  run.sim.run({ until: scenario.duration });
  return [...records, ...run.runner.pending()].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1));
}

const siteOf = (record: VjobRecord): string | undefined => record.hosts[0]?.toString();

describe("Saline on a site outage (site s0 down from 2 h to 10 h)", () => {
  const SALINE = { name: "saline", period: 1800 };

  it("with a remote store, every vjob of the site resumes on another site from its snapshot", () => {
    const records = runOf({ ...SALINE, store: "remote" }, "site-outage.csv", 3);
    // Captures 1,860-1,900, 3,700-3,740, 5,540-5,580 s, each then copied to s1's store (three
    // copies of 4e9 B share s0's uplink: 1.25e9 / 3 B/s, 9.6 s): all stored before the outage at
    // 7,200 s. The vjobs go back to the capture at 5,540 s and lose their running since:
    // 5,580 -> 7,200 = 1,620 s on 4 cores = 6,480 core-s each.
    for (const record of records) {
      expect(record.restores).toBe(1);
      expect(record.restarts).toBe(0);
      expect(record.crossSiteMoves).toBe(1);
      expect(record.lostCoreSeconds).toBeCloseTo(4 * (7200 - 5580), 6);
      expect(record.state).toBe("done");
    }
    // Restored on s1 (hosts 4, 5, 6): the home site is down, first-fit spills in id order.
    expect(records.map(siteOf)).toEqual(["4", "5", "6"]);
    // Noticed at 7,230 s (heartbeats every 10 s, 30 s timeout; the last beat at 7,200 s). The
    // restore fetches 4e9 B from s1's store (s1h0, 3 fetches sharing its NIC: 9.6 s), reads 40 s
    // from disk, reconfigures 30 s (another site): running at 7,309.6 s with the work left at
    // 5,540 s: 57,600 - 4 x (5,540 - 60 - 2 x 40) = 36,000 core-s, 9,000 s on 4 cores, plus
    // 9,000 / 1,800 - 1 = 4 captures of 40 s (to s2's store now: s0's is down, s1 is its own
    // site): it ends at 7,309.6 + 9,000 + 160 = 16,469.6 s.
    for (const record of records) expect(record.end).toBeCloseTo(7309.6 + 9000 + 4 * CAPTURE, 6);
  });

  it("with the store on the failed site, they restart from zero", () => {
    const records = runOf({ ...SALINE, store: "local" }, "site-outage.csv", 3);
    // s0's store (s0h0) is down when the loss is noticed: the vjobs start over, losing all their
    // running: 7,200 - 60 - 3 captures of 40 s = 7,020 s on 4 cores = 28,080 core-s.
    for (const record of records) {
      expect(record.restores).toBe(0);
      expect(record.restarts).toBe(1);
      expect(record.crossSiteMoves).toBe(1);
      expect(record.lostCoreSeconds).toBeCloseTo(4 * (7200 - 60 - 3 * CAPTURE), 6);
    }
  });

  it("without fault tolerance, they restart from zero", () => {
    const records = runOf({ name: "none" }, "site-outage.csv", 3);
    // No captures: 7,200 - 60 = 7,140 s on 4 cores lost.
    for (const record of records) {
      expect(record.restores).toBe(0);
      expect(record.restarts).toBe(1);
      expect(record.lostCoreSeconds).toBeCloseTo(4 * (7200 - 60), 6);
      expect(record.snapshots).toBe(0);
    }
  });
});

describe("a snapshot in flight when its host crashes", () => {
  it("is discarded, and the vjob goes back to the previous one", () => {
    // One vjob on s0h0; its second capture runs 3,700 -> 3,740 s, then its copy of 4e9 B to s1's
    // store at 1.25e9 B/s takes 3.2 s, to 3,743.2 s. s0h0 crashes at 3,742 s: the copy fails and
    // the vjob goes back to the first snapshot (captured from 1,860 s), losing its running
    // since: 1,900 -> 3,700 and 3,740 -> 3,742, 1,802 s on 4 cores = 7,208 core-s.
    const [record] = runOf({ name: "saline", period: 1800 }, "in-flight.csv", 1);
    expect(record?.restores).toBe(1);
    expect(record?.lostCoreSeconds).toBeCloseTo(4 * (3700 - 1900 + (3742 - 3740)), 6);
    expect(record?.snapshotsFailed).toBe(1);
    // Restored on s0h1 (host 1, same site): noticed at 3,770 s (last beat 3,740 s + 30 s), 3.2 s
    // fetch, 40 s read, 1 s reconfiguration: running at 3,814.2 s with 57,600 - 4 x 1,800 =
    // 50,400 core-s left: 12,600 s plus 12,600 / 1,800 - 1 = 6 captures, ends at 16,654.2 s.
    expect(record?.hosts).toEqual([1]);
    expect(record?.end).toBeCloseTo(3814.2 + 12_600 + 6 * CAPTURE, 6);
  });
});

describe("Saline's options", () => {
  it("a live capture keeps the VM working: the image is its state when the capture began", () => {
    // The same crash as above, live: no pause, so by 3,742 s the VM has run 3,742 - 60 s, and
    // the first image holds its state at 1,860 s (when the capture began): the vjob loses
    // 3,742 - 1,860 = 1,882 s on 4 cores = 7,528 core-s.
    const [record] = runOf({ name: "saline", period: 1800, mode: "live" }, "in-flight.csv", 1);
    expect(record?.restores).toBe(1);
    expect(record?.lostCoreSeconds).toBeCloseTo(4 * (3742 - 1860), 6);
  });

  it("takes its period from Young's formula and the vjob's capture cost", () => {
    // No failures (an empty trace). C = 40 s, M = 1 h: Young's period sqrt(2 x 40 x 3,600) = 536.66 s of running between
    // captures; 14,400 s of running hold floor(14,400 / 536.66) = 26 of them, each stored.
    const [record] = runOf(
      { name: "saline", period: { formula: "young", mtbf: "1h" } },
      "no-failure.csv",
      1,
    );
    expect(Math.floor(14_400 / Math.sqrt(2 * 40 * 3600))).toBe(26);
    expect(record?.snapshots).toBe(26);
    expect(record?.snapshotSeconds).toBeCloseTo(26 * CAPTURE, 6);
    // Without failures, the vjob ends after its work and its pauses: 60 + 14,400 + 26 x 40 s.
    expect(record?.end).toBeCloseTo(60 + 14_400 + 26 * CAPTURE, 6);
  });
});
