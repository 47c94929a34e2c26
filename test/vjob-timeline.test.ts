import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { group } from "d3-array";
import { describe, expect, it } from "vitest";
import { runScenario } from "../src/run/run-scenario.js";
import { loadScenarioFile } from "../src/scenario/load.js";
import { SALINE_FIXTURES, salineScenario } from "./saline-fixture.js";

interface Row {
  subject: string;
  site: string;
  what: string;
  start: number;
  end: number;
  value: string;
}

function timelineOf(dir: string): Row[] {
  return parse<Record<string, string>>(readFileSync(join(dir, "timeline.csv"), "utf8"), {
    columns: true,
  }).map((row) => ({
    subject: row.subject ?? "",
    site: row.site ?? "",
    what: row.what ?? "",
    start: Number(row.start),
    end: Number(row.end),
    value: row.value ?? "",
  }));
}

describe("the vjobs' timeline (timeline.csv)", () => {
  it("follows a vjob through a site outage and its restore elsewhere, as test/saline computes", () => {
    // The scenario of test/saline.test.ts (test/saline-fixture.ts): three sites of 4 hosts, 3
    // one-VM vjobs (4 vCPUs, 16 core-hours) submitted at 0 on s0, booting 60 s; Saline every
    // 1,800 s to a remote store; s0 down from 2 h to 10 h (the run ends at 8 h).
    const scenario = salineScenario(
      { name: "saline", period: 1800, store: "remote" },
      "site-outage.csv",
      3,
    );
    const dir = mkdtempSync(join(tmpdir(), "skysim-timeline-"));
    const { summary } = runScenario(scenario, {
      outDir: dir,
      baseDir: SALINE_FIXTURES,
      timeline: true,
    });
    const rows = timelineOf(dir);
    const j0 = rows
      .filter((row) => row.subject === "j0" && !row.what.startsWith("snapshot"))
      .map(({ site, what, start, end, value }) => [site, what, start, end, value]);
    // Queued and placed at once on s0, booting 60 s, running until s0 goes down at 7,200 s. The
    // loss is noticed at 7,230 s (heartbeats): restored from the capture of 5,540-5,580 s, the
    // 1,620 s run since on 4 cores lost (6,480 core-s), on s1 (moved); the restore (fetch 9.6 s,
    // read 40 s, reconfigure 30 s) ends at 7,309.6 s; done at 16,469.6 s (test/saline).
    expect(j0.length).toBe(10);
    expect(j0.slice(0, 4)).toEqual([
      ["s0", "queued", 0, 0, ""],
      ["s0", "booting", 0, 60, ""],
      ["s0", "running", 60, 7200, ""],
      ["s0", "failed", 7200, 7200, ""],
    ]);
    // Rows are written as they end: the queued segment after the restore's rows.
    expect(j0[4]).toEqual(["s0", "restored", 7230, 7230, ""]);
    expect(j0[5]?.slice(0, 4)).toEqual(["s0", "lost work", 7230, 7230]);
    expect(Number(j0[5]?.[4])).toBeCloseTo(4 * (7200 - 5580), 6);
    expect(j0[6]).toEqual(["s1", "queued", 7200, 7230, ""]);
    expect(j0[7]).toEqual(["s1", "moved", 7230, 7230, ""]);
    expect(j0[8]?.slice(0, 3)).toEqual(["s1", "restoring", 7230]);
    expect(Number(j0[8]?.[3])).toBeCloseTo(7309.6, 6);
    expect(j0[9]?.slice(0, 2)).toEqual(["s1", "running"]);
    expect(Number(j0[9]?.[3])).toBeCloseTo(7309.6 + 9000 + 4 * 40, 6);
    // Snapshots: 3 on s0 before the outage (captures from 1,860, 3,700, 5,540 s), 4 on s1 after.
    const snapshots = rows.filter((row) => row.subject === "j0" && row.what === "snapshot");
    expect(snapshots.map((row) => [row.site, row.start])).toEqual([
      ["s0", 1860],
      ["s0", 3700],
      ["s0", 5540],
      ...[1, 2, 3, 4].map((i): [string, unknown] => [
        "s1",
        expect.closeTo(7309.6 + i * 1800 + (i - 1) * 40, 6) as unknown,
      ]),
    ]);
    // s0's outage runs to the end of the run; the lost work adds up to the summary's.
    expect(
      rows.filter((row) => row.what === "site down").map((r) => [r.subject, r.start, r.end]),
    ).toEqual([["s0", 7200, 28800]]);
    const lost = rows
      .filter((row) => row.what === "lost work")
      .reduce((sum, row) => sum + Number(row.value), 0);
    expect(lost).toBeCloseTo(summary.vjobs?.lostCoreSeconds ?? Number.NaN, 6);
  });

  it("adds up the quick start's lost work, restores and restarts as its summary counts them", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-timeline-"));
    const scenario = loadScenarioFile("scenarios/quickstart.yaml");
    const { summary } = runScenario(scenario, {
      outDir: dir,
      baseDir: "scenarios",
      timeline: true,
    });
    const rows = timelineOf(dir);
    const count = (what: string) => rows.filter((row) => row.what === what).length;
    const lost = rows
      .filter((row) => row.what === "lost work")
      .reduce((sum, row) => sum + Number(row.value), 0);
    expect(lost).toBeCloseTo(summary.vjobs?.lostCoreSeconds ?? Number.NaN, 3);
    expect(count("restored")).toBe(summary.vjobs?.restores);
    expect(count("restarted")).toBe(summary.vjobs?.restarts);
    expect(count("host down")).toBe(summary.failures?.failures.host);
    expect(count("migration")).toBe(summary.cloud?.migrations.completed);
    // Segments never go back in time, and a vjob's segments follow one another without a gap.
    const segments = rows.filter((row) =>
      ["queued", "booting", "restoring", "running"].includes(row.what),
    );
    for (const row of segments) expect(row.end).toBeGreaterThanOrEqual(row.start);
    for (const list of group(segments, (row) => row.subject).values()) {
      const sorted = [...list].sort((a, b) => a.start - b.start || a.end - b.end);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.start).toBe(sorted[i - 1]?.end);
    }
  });
});
