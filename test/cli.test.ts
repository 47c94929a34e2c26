import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { skysim as run } from "./run-cli.js";

const skysim = (...args: string[]) => run(args);

describe("skysim CLI", () => {
  it("prints help and version", () => {
    const help = skysim("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/skysim run <file>/);
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(skysim("--version").stdout.trim()).toBe(pkg.version);
  });

  it("runs a scenario into the folder given, and again identically", () => {
    const out = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    const first = skysim("run", "scenarios/quickstart.yaml", "--out", out, "--check");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^quickstart \(seed 42\): 1d simulated/);
    const summary = readFileSync(join(out, "summary.json"), "utf8");
    expect(JSON.parse(summary)).toMatchObject({ scenario: "quickstart", seed: 42 });
    skysim("run", "scenarios/quickstart.yaml", "--out", out);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(summary);
    // No temporary left; the wall time is in run-info.json, apart from the deterministic summary.
    expect(readdirSync(out).sort()).toEqual([
      "charts",
      "jobs.csv",
      "run-info.json",
      "summary.json",
      "timeline.csv",
      "timeseries.csv",
    ]);
    expect(readdirSync(join(out, "charts"))).toContain("report.html");
  });

  it("runs the demo queue", () => {
    const out = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    const result = skysim("run", "scenarios/demo-queue.yaml", "--out", out, "--check");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[1]).toMatch(/^jobs: \d+ submitted, \d+ finished, mean wait /);
    // The demo queue has no platform: no timeseries, so no charts.
    expect(readdirSync(out).sort()).toEqual(["jobs.csv", "run-info.json", "summary.json"]);
  });

  it("runs a vjobs scenario, finding the files it names next to it", () => {
    const out = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    const result = skysim("run", "test/fixtures/swf-vjobs.yaml", "--out", out, "--check");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[1]).toMatch(/^vjobs: 10 submitted, 10 finished, /);
    expect(readdirSync(out).sort()).toEqual([
      "charts",
      "jobs.csv",
      "run-info.json",
      "summary.json",
      "timeline.csv",
      "timeseries.csv",
    ]);
    expect(readdirSync(join(out, "charts"))).toContain("report.html");
    const bare = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    expect(skysim("run", "test/fixtures/swf-vjobs.yaml", "--out", bare, "--no-charts").status).toBe(
      0,
    );
    // Without charts, no timeline either (the report is what draws it).
    expect(readdirSync(bare).sort()).toEqual([
      "jobs.csv",
      "run-info.json",
      "summary.json",
      "timeseries.csv",
    ]);
  });

  it("refuses a scenario naming a site, host or file that does not exist, with exit 2", () => {
    const out = join(mkdtempSync(join(tmpdir(), "skysim-cli-")), "out");
    const result = skysim("run", "test/fixtures/vjobs-bad-references.yaml", "--out", out);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(2);
    expect(existsSync(out)).toBe(false);
  });

  it("overrides the seed from the command line", () => {
    const out = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    expect(skysim("run", "scenarios/quickstart.yaml", "--seed", "5", "--out", out).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))).toMatchObject({ seed: 5 });
  });

  it("replaces a folder's earlier run whole: its files this run does not write go (was: left, and linked from the new report)", () => {
    // A traced run with charts, then an untraced one into the same folder: events.csv is the
    // first run's alone, so it goes, and the new report does not link it; then a run without
    // charts: the charts and report of the second go too. A file of the user's stays.
    const out = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    writeFileSync(join(out, "notes.txt"), "mine");
    const files = () => readdirSync(out).sort();
    expect(
      skysim("run", "scenarios/quickstart.yaml", "--trace", "events", "--out", out).status,
    ).toBe(0);
    expect(files()).toContain("events.csv");
    expect(skysim("run", "scenarios/quickstart.yaml", "--seed", "3", "--out", out).status).toBe(0);
    const tables = ["jobs.csv", "run-info.json", "summary.json", "timeline.csv", "timeseries.csv"];
    expect(files()).toEqual(["charts", ...tables, "notes.txt"].sort());
    const report = readFileSync(join(out, "charts", "report.html"), "utf8");
    expect(report).toContain('href="../jobs.csv"');
    expect(report).not.toContain("events.csv");
    expect(skysim("run", "scenarios/quickstart.yaml", "--no-charts", "--out", out).status).toBe(0);
    expect(files()).toEqual([
      "jobs.csv",
      "notes.txt",
      "run-info.json",
      "summary.json",
      "timeseries.csv",
    ]);
  });

  it("reports every mistake of a bad scenario, one line each, exits 2 and writes nothing", () => {
    const parent = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    const out = join(parent, "run");
    const result = skysim("run", "test/fixtures/three-mistakes.yaml", "--out", out);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines.map((line) => line.split(": ").slice(0, 2).join(": "))).toEqual([
      "test/fixtures/three-mistakes.yaml: seed",
      "test/fixtures/three-mistakes.yaml: duration",
      "test/fixtures/three-mistakes.yaml: workload.servers",
    ]);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("validates several files and exits 2 if any is wrong", () => {
    const good = skysim("validate", "scenarios/quickstart.yaml");
    expect(good.status).toBe(0);
    expect(good.stdout).toBe("scenarios/quickstart.yaml: ok\n");
    const mixed = skysim(
      "validate",
      "scenarios/quickstart.yaml",
      "test/fixtures/three-mistakes.yaml",
    );
    expect(mixed.status).toBe(2);
    expect(mixed.stderr.trim().split("\n")).toHaveLength(3);
  });

  it("rejects unknown commands and bad options with exit code 2", () => {
    expect(skysim("fly").status).toBe(2);
    expect(skysim("run", "scenarios/quickstart.yaml", "--seed", "-3").status).toBe(2);
    // Past 2^53 a seed is not the one typed (...993 is read as ...992), and 1e300 could not be
    // written back into a scenario: refused like a scenario's seed (was: run, 1e+300 in summary).
    for (const seed of ["9007199254740993", "1e300"]) {
      const result = skysim("run", "scenarios/quickstart.yaml", "--seed", seed);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        /^--seed: seed: expected an integer from 0 to 9007199254740991, got /,
      );
    }
  });

  it("prints the JSON Schema", () => {
    const result = skysim("schema");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ title: "skysim scenario", type: "object" });
  });
});

describe("progress without a terminal (Slurm, Kubernetes, CI logs)", () => {
  // The tests' stderr is a pipe, as in a batch job's log.
  it("prints a plain line each --progress-every seconds, and the last if any came before", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-progress-"));
    const lines = (every: string) =>
      skysim(
        "run",
        "scenarios/quickstart.yaml",
        "--out",
        join(dir, every),
        "--progress-every",
        every,
      )
        .stderr.trimEnd()
        .split("\n");
    // Every report (one per 1% of the day): 100 lines, from 1% to 100%.
    const all = lines("0");
    expect(all).toHaveLength(100);
    expect(all[0]).toMatch(/^skysim: {3}1% simulated \(864 s\), \d+ events, \d+ events\/s$/);
    expect(all[99]).toMatch(/^skysim: 100% simulated \(86400 s\), \d+ events/);
    // One a minute at most: a run of a few seconds writes none (and so no last one either).
    expect(lines("60")).toEqual([""]);
  });

  it("counts a sweep's runs, and refuses a negative interval with exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-progress-"));
    const sweep = skysim(
      "sweep",
      "scenarios/managers-vmplaces.ci.yaml",
      "--out",
      join(dir, "sweep"),
      "--progress-every",
      "0",
    );
    expect(sweep.status).toBe(0);
    const runs = sweep.stderr.trimEnd().split("\n");
    expect(runs).toHaveLength(12);
    expect(runs[11]).toMatch(/^skysim: 12\/12 runs, ETA 0 s$/);
    const bad = skysim("run", "scenarios/quickstart.yaml", "--progress-every", "-1");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--progress-every: expected a number of seconds >= 0, got -1");
  });
});

describe("skysim platform", () => {
  it("lists the presets", () => {
    const result = skysim("platform", "list");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^grid5000-2011 /m);
    expect(result.stdout).toMatch(/^synthetic /m);
    // A preset given to list was ignored: it says where it belongs.
    expect(skysim("platform", "list", "grid5000-2011")).toMatchObject({
      status: 2,
      stderr:
        "skysim: platform list: takes no preset or file (got grid5000-2011); use platform show grid5000-2011\n",
    });
  });

  it("shows the 11 sites of grid5000-2011 with their clusters", () => {
    const result = skysim("platform", "show", "grid5000-2011");
    expect(result.status).toBe(0);
    const rows = result.stdout.split("\n");
    expect(rows[0]).toBe(
      "grid5000-2011: 11 sites, 21 clusters, 1463 hosts, 8138 cores, 17.01TiB memory, 1486 links",
    );
    const clusterRows = rows.filter((row) => /^\S+\s+\S+\s+\d+\s+\d+\s+\S+Gf/.test(row));
    const sites = new Set(clusterRows.map((row) => row.split(/\s+/)[0]));
    expect([...sites]).toEqual([
      "rennes",
      "nancy",
      "lyon",
      "grenoble",
      "lille",
      "sophia",
      "toulouse",
      "bordeaux",
      "orsay",
      "luxembourg",
      "reims",
    ]);
    expect(clusterRows.map((row) => row.split(/\s+/)[1])).toContain("paradent");
    expect(clusterRows).toHaveLength(21);
  });

  it("shows a selection, and refuses an unknown site with exit code 2", () => {
    const result = skysim(
      "platform",
      "show",
      "grid5000-2011",
      "--sites",
      "rennes,lyon",
      "--scale",
      "0.5",
    );
    expect(result.stdout.split("\n")[0]).toMatch(/^grid5000-2011 x0.5: 2 sites, 6 clusters, /);
    const bad = skysim("platform", "show", "grid5000-2011", "--sites", "paris");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no site paris/);
  });

  it("shows the platform written in a scenario file", () => {
    const result = skysim("platform", "show", "test/fixtures/inline-platform.yaml");
    expect(result.status).toBe(0);
    // Hosts 4 + 2 + 3 = 9; cores 4 x 16 + 2 x 4 + 3 x 8 = 96; memory 4 x 64 + 2 x 8 + 3 x 32 =
    // 368 GiB; links: 9 NICs + 2 uplinks + 1 backbone link = 12.
    expect(result.stdout.split("\n")[0]).toBe(
      "two-sites: 2 sites, 3 clusters, 9 hosts, 96 cores, 368GiB memory, 12 links",
    );
    expect(result.stdout).toMatch(/east-west\s+125MB\/s\s+5ms/);
  });
});
