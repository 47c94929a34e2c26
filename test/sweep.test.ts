import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { loadSweep } from "../src/sweep/load-sweep.js";
import { planSweep } from "../src/sweep/plan.js";
import {
  collectResults,
  executeRun,
  isDone,
  plannedResults,
  runFolder,
  shardOf,
  writeAggregate,
} from "../src/sweep/sweep-runs.js";
import { ScenarioError } from "../src/scenario/index.js";
import { studentT975 } from "../src/sweep/student-t.js";

const SMALL = "test/fixtures/sweep/small-sweep.yaml";
const CLI = "dist/src/cli/main.js";

/** A scenario document of two jobs, to give a sweep block. */
const TWO_JOBS = {
  name: "x",
  duration: "1h",
  platform: { type: "synthetic" },
  workload: { type: "vjobs", arrivals: { type: "poisson", count: 2, interarrival: "1min" } },
};

/** What `act` throws (undefined if nothing). */
function thrown(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

function runAll(dir: string, runs = loadSweep(SMALL)): void {
  for (const { run, scenario } of runs) {
    executeRun(run, scenario, { outDir: dir, baseDir: "test/fixtures/sweep", version: "test" });
  }
}

describe("sweep plan", () => {
  it("is variants x parameter values x seeds, in that order", () => {
    const runs = loadSweep(SMALL).map((p) => p.run);
    expect(runs).toHaveLength(2 * 2 * 3);
    expect(runs.slice(0, 4).map((r) => [r.cell, r.seed])).toEqual([
      ["first-fit__workload.arrivals.interarrival=1min", 1],
      ["first-fit__workload.arrivals.interarrival=1min", 2],
      ["first-fit__workload.arrivals.interarrival=1min", 3],
      ["first-fit__workload.arrivals.interarrival=3min", 1],
    ]);
    expect(runs[11]?.cell).toBe("overcommit__workload.arrivals.interarrival=3min");
    const scenario = loadSweep(SMALL)[11]?.scenario;
    expect(scenario?.seed).toBe(3);
    expect(scenario?.workload).toMatchObject({ arrivals: { interarrival: 180 } });
    expect(scenario?.policies.placement).toMatchObject({ name: "first-fit", vcpusPerCore: 2 });
  });

  it("reports a bad value once per cell, naming the cell, before anything runs", () => {
    const document = {
      ...TWO_JOBS,
      sweep: { seeds: 2, parameters: { "workload.arrivals.count": [1, 0] } },
    };
    expect(planSweep(document, "f.yaml")).toHaveLength(4);
    const error = thrown(() => loadSweepOf(document));
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems).toEqual([
      {
        path: "[base__workload.arrivals.count=0] workload.arrivals.count",
        message: "expected a value >= 1, got 0",
      },
    ]);
  });

  it('says in its own words what a variant and a parameter path are (was zod\'s: "Invalid key in record", "expected record")', () => {
    const document = {
      ...TWO_JOBS,
      sweep: { parameters: { "a b": [1] }, variants: { "a/b": {}, v: null } },
    };
    const error = thrown(() => planSweep(document, "f.yaml"));
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems).toEqual([
      {
        path: 'sweep.parameters["a b"]',
        message:
          'expected a field path such as workload.arrivals.interarrival (names and list indexes joined by dots), or paths joined by +, got "a b"',
      },
      {
        path: 'sweep.variants["a/b"]',
        message: 'expected a string matching /^[A-Za-z0-9][A-Za-z0-9._-]*$/, got "a/b"',
      },
      { path: "sweep.variants.v", message: "expected a mapping, got null" },
    ]);
  });

  it("sets paths joined by + together, from lists of as many values (a scale)", () => {
    const document = {
      ...TWO_JOBS,
      sweep: {
        seeds: 1,
        parameters: {
          "platform.hostsPerSite+workload.arrivals.count": [
            [4, 40],
            [8, 80],
          ],
        },
      },
    };
    const runs = planSweep(document, "f.yaml");
    // Two cells, not 2 x 2: each list sets both fields.
    expect(runs.map((run) => run.cell)).toEqual([
      "base__platform.hostsPerSite_workload.arrivals.count=_4_40_",
      "base__platform.hostsPerSite_workload.arrivals.count=_8_80_",
    ]);
    expect(runs[1]?.document).toMatchObject({
      platform: { hostsPerSite: 8 },
      workload: { arrivals: { count: 80 } },
    });
    const bad = { ...document, sweep: { parameters: { "platform.hostsPerSite+x": [[4]] } } };
    expect(() => planSweep(bad, "f.yaml")).toThrow(
      "expected lists of 2 values (one per path), got [4]",
    );
  });

  it("uses Student's t for the confidence intervals", () => {
    expect(studentT975(2)).toBe(4.303); // 3 runs
    expect(studentT975(30)).toBe(2.042);
    expect(studentT975(1e9)).toBeCloseTo(1.96, 3);
  });
});

/** loadSweep on a document instead of a file (JSON is YAML too). */
function loadSweepOf(document: unknown) {
  const file = join(mkdtempSync(join(tmpdir(), "skysim-sweepdoc-")), "s.json");
  writeFileSync(file, JSON.stringify(document));
  return loadSweep(file);
}

describe("sweep results", () => {
  it("run whole, or as 3 shards then merged, give identical aggregates", () => {
    const whole = mkdtempSync(join(tmpdir(), "skysim-whole-"));
    runAll(whole);
    const wholeFiles = writeAggregate(whole, plannedResults(whole, loadSweep(SMALL)));

    const planned = loadSweep(SMALL);
    const shards = [1, 2, 3].map((i) => {
      const dir = mkdtempSync(join(tmpdir(), `skysim-shard${i}-`));
      const mine = shardOf(planned, i, 3);
      expect(mine).toHaveLength(4);
      runAll(dir, mine);
      return dir;
    });
    const merged = mkdtempSync(join(tmpdir(), "skysim-merged-"));
    const mergedFiles = writeAggregate(merged, collectResults(shards));
    for (const [i, file] of wholeFiles.entries()) {
      expect(readFileSync(mergedFiles[i] as string, "utf8")).toBe(readFileSync(file, "utf8"));
    }
    const aggregate = readFileSync(join(whole, "aggregate.csv"), "utf8").split("\n");
    // 4 cells, each with the same metrics; a row gives runs, mean, sd and the 95% CI.
    const energy = aggregate.filter((line) => line.includes(",cloud.energyKWh,"));
    expect(energy).toHaveLength(4);
    // cell, variant, parameters (JSON), then a column per parameter: its value as written.
    expect(aggregate[0]).toBe(
      "cell,variant,parameters,workload.arrivals.interarrival,metric,runs,mean,sd,ci95Low,ci95High",
    );
    expect(energy[0]).toMatch(/^first-fit__[^,]*,first-fit,"(""|[^"])*",1min,cloud\.energyKWh,3,/);
    const runsHeader = readFileSync(join(whole, "runs.csv"), "utf8").split("\n")[0];
    expect(runsHeader).toMatch(/^run,cell,variant,workload\.arrivals\.interarrival,seed,cloud\./);
    const [, , , , , runs, mean, sd, low, high] = (energy[0] as string).split(
      /,(?=(?:[^"]*"[^"]*")*[^"]*$)/,
    );
    expect(Number(runs)).toBe(3);
    // Half-width t(0.975, 2) x sd / sqrt(3).
    expect(Number(high) - Number(mean)).toBeCloseTo((4.303 * Number(sd)) / Math.sqrt(3), 9);
    expect(Number(mean) - Number(low)).toBeCloseTo((4.303 * Number(sd)) / Math.sqrt(3), 9);

    // skysim compare prints the sweep side by side: a column per cell (its short label: the
    // variant and the interarrival), a row per metric asked for; and draws the comparison.
    const compared = spawnSync(
      process.execPath,
      [CLI, "compare", whole, "--metrics", "cloud.energyKWh", "--out", merged],
      { encoding: "utf8" },
    );
    expect(compared.status).toBe(0);
    const [folder, header, , runCounts, energyRow] = compared.stdout.split("\n");
    expect(folder).toBe(whole);
    expect(header?.split("|").map((cell) => cell.trim())).toEqual([
      "metric",
      "first-fit, 1min",
      "first-fit, 3min",
      "overcommit, 1min",
      "overcommit, 3min",
    ]);
    expect(runCounts).toMatch(/^runs +\| +3 \| +3 \| +3 \| +3$/);
    expect(energyRow).toMatch(
      /^cloud\.energyKWh \(kWh\) \|( +[\d.]+ ± [\d.]+ \|){3} +[\d.]+ ± [\d.]+$/,
    );
    expect(readdirSync(join(merged, "comparison"))).toContain("compare-cloud-energyKWh.svg");
    // Without --out, the table only: nothing is written into the folders compared.
    const before = readdirSync(whole).sort();
    const tableOnly = spawnSync(
      process.execPath,
      [CLI, "compare", whole, "--metrics", "cloud.energyKWh"],
      { encoding: "utf8" },
    );
    expect(tableOnly.status).toBe(0);
    expect(tableOnly.stdout).not.toContain("wrote ");
    expect(readdirSync(whole).sort()).toEqual(before);
  });

  it("counts a run as done only if it was made from the scenario planned now", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-stale-"));
    const [first] = loadSweep(SMALL);
    if (first === undefined) throw new Error("empty sweep");
    expect(isDone(dir, first.run, first.scenario)).toBe(false);
    runAll(dir, [first]);
    expect(isDone(dir, first.run, first.scenario)).toBe(true);
    // The same cell edited since (another duration): its run is stale and must run again.
    const edited = { ...first.scenario, duration: first.scenario.duration + 1 };
    expect(isDone(dir, first.run, edited)).toBe(false);
  });

  it("aggregates only the runs of the sweep planned now (was: an earlier version's 12 runs, for a sweep of 6)", () => {
    // A sweep run, then edited (one interarrival instead of two) and run again into the same
    // folder: its 6 runs take places 0 to 5 of the plan, which the earlier version's runs held.
    const dir = mkdtempSync(join(tmpdir(), "skysim-versions-"));
    const file = join(dir, "s.yaml");
    writeFileSync(file, readFileSync(SMALL, "utf8"));
    const out = join(dir, "out");
    const sweep = () =>
      spawnSync(process.execPath, [CLI, "sweep", file, "--out", out], { encoding: "utf8" });
    expect(sweep().status).toBe(0);
    writeFileSync(file, readFileSync(file, "utf8").replace("[1min, 3min]", "[5min]"));
    const second = sweep();
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(
      `12 finished run(s) in ${out} are not of this sweep (of an earlier version of it?), left out of its aggregate: ${join(out, "first-fit__workload.arrivals.interarrival=1min", "1")}, `,
    );
    const runs = parse<Record<string, string>>(readFileSync(join(out, "runs.csv"), "utf8"), {
      columns: true,
    });
    expect(runs.map((run) => run["workload.arrivals.interarrival"])).toEqual(Array(6).fill("5min"));
    // merge cannot tell which version a place of the plan belongs to: it names the clash.
    expect(() => collectResults([out])).toThrow(
      `${join(out, "first-fit__workload.arrivals.interarrival=5min", "1")}: expected a run of the sweep of ${join(out, "first-fit__workload.arrivals.interarrival=1min", "1")}, got another run 0 (a different cell, seed or scenario)`,
    );
    const merge = spawnSync(process.execPath, [CLI, "merge", out, "--out", join(dir, "m")], {
      encoding: "utf8",
    });
    expect(merge.status).toBe(2);
    // A comparison of one metric into the sweep's folder replaces its comparison charts whole.
    expect(readdirSync(join(out, "comparison")).length).toBeGreaterThan(3);
    const compared = spawnSync(
      process.execPath,
      [CLI, "compare", out, "--metrics", "cloud.energyKWh", "--out", out],
      { encoding: "utf8" },
    );
    expect(compared.status).toBe(0);
    expect(readdirSync(join(out, "comparison")).sort()).toEqual([
      "compare-cloud-energyKWh.svg",
      "compare-cloud-energyKWh.vl.json",
      "report.html",
    ]);
    expect(merge.stderr).toMatch(
      /^skysim: \S+: expected a run of the sweep of \S+, got another run 0 /,
    );
  });

  it("an interrupted sweep resumes without rerunning finished runs, and ends as if whole", async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
    const file = "test/fixtures/sweep/slower-sweep.yaml";
    const dir = mkdtempSync(join(tmpdir(), "skysim-kill-"));
    const summaries = (): string[] =>
      loadSweep(file)
        .map((p) => join(runFolder(dir, p.run), "summary.json"))
        .filter((path) => existsSync(path));
    // Killed (SIGKILL: no chance to tidy up) once two runs are done.
    const child = spawn(process.execPath, [CLI, "sweep", file, "--out", dir, "--jobs", "1"]);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (summaries().length >= 2) {
          clearInterval(poll);
          child.kill("SIGKILL");
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => child.on("exit", resolve));
    const finished = summaries();
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.length).toBeLessThan(12);
    const before = new Map(finished.map((path) => [path, statSync(path).mtimeMs]));

    const again = spawnSync(process.execPath, [CLI, "sweep", file, "--out", dir, "--jobs", "2"], {
      encoding: "utf8",
    });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(
      `${finished.length} already done, ${12 - finished.length} to run`,
    );
    for (const [path, mtime] of before) expect(statSync(path).mtimeMs).toBe(mtime);
    expect(summaries()).toHaveLength(12);
    // No temporary file left anywhere, and the aggregate equals an uninterrupted sweep's.
    const leftovers = readdirSync(dir, { recursive: true }).filter((f) =>
      String(f).endsWith(".partial"),
    );
    expect(leftovers).toEqual([]);
    const whole = mkdtempSync(join(tmpdir(), "skysim-uninterrupted-"));
    expect(
      spawnSync(process.execPath, [CLI, "sweep", file, "--out", whole, "--jobs", "1"]).status,
    ).toBe(0);
    expect(readFileSync(join(dir, "aggregate.csv"), "utf8")).toBe(
      readFileSync(join(whole, "aggregate.csv"), "utf8"),
    );
  });
});
