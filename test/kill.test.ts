import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { CLI, skysim } from "./run-cli.js";

/**
 * Outputs survive kills: a run or a sweep killed with SIGKILL at any moment leaves every final
 * file either absent, as it was, or whole (byte for byte what an uninterrupted run writes), and a
 * sweep resumed after kills ends byte-identical to an uninterrupted one. Outputs do not depend on
 * the time zone, the locale or the number of worker threads either.
 */

const RUN = "scenarios/quickstart.yaml";
const SWEEP = "test/fixtures/sweep/slower-sweep.yaml";
/** Not deterministic by design (wall time, date): it only has to be whole JSON. */
const NON_DETERMINISTIC = "run-info.json";

function folder(name: string): string {
  return mkdtempSync(join(tmpdir(), `skysim-${name}-`));
}

/** Every final file under `dir` (hidden temporaries excluded), relative, sorted. */
function finalFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** Every final file of `dir` is one of `reference`'s, whole; returns how many there are. */
function expectWholeFiles(dir: string, reference: string): number {
  const known = new Set(finalFiles(reference));
  const files = finalFiles(dir);
  for (const file of files) {
    expect(known.has(file), `${file} is not a file an uninterrupted run writes`).toBe(true);
    const text = readFileSync(join(dir, file), "utf8");
    if (file.endsWith(NON_DETERMINISTIC)) {
      expect(() => JSON.parse(text) as unknown, `${file} is whole JSON`).not.toThrow();
    } else {
      // A sweep's comparison report is titled with its folder's name.
      const expected = readFileSync(join(reference, file), "utf8").replaceAll(
        basename(reference),
        basename(dir),
      );
      // A boolean, not the texts: a difference would print megabytes of inlined Vega.
      expect(text === expected, `${file} is whole and as an uninterrupted run writes it`).toBe(
        true,
      );
    }
  }
  return files.length;
}

function expectSameFiles(dir: string, reference: string): void {
  expect(finalFiles(dir)).toEqual(finalFiles(reference));
  expect(expectWholeFiles(dir, reference)).toBe(finalFiles(reference).length);
}

/** Starts `skysim args`, kills it with SIGKILL after `delay` ms (if still running). */
async function killedAfter(args: readonly string[], delay: number): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { stdio: "ignore" });
  const exited = new Promise((done) => child.on("exit", done));
  await new Promise((done) => setTimeout(done, delay));
  child.kill("SIGKILL");
  await exited;
}

/** Wall time of one uninterrupted command, ms: kill moments are spread over it. */
function timed(args: readonly string[]): number {
  const started = performance.now();
  const result = skysim(args);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return performance.now() - started;
}

/**
 * Ten kill moments over [0, span]: one drawn in each tenth (stratified, so the start, the middle
 * and the commit at the end are all hit), from a fixed seed so a failure can be replayed.
 */
function killMoments(span: number, seed: string): number[] {
  const random = seedrandom(seed);
  return Array.from({ length: 10 }, (_, i) => ((i + random()) * span) / 10);
}

describe("a run killed at any moment", () => {
  const reference = folder("run-reference");
  const wall = timed(["run", RUN, "--out", reference]);

  it("leaves a new output folder with whole files only (10 kills)", async () => {
    const left: number[] = [];
    // Up to twice the reference's wall time: a machine busier now than then still reaches the end.
    for (const moment of killMoments(wall * 2, "run-fresh")) {
      const out = folder("run-killed");
      await killedAfter(["run", RUN, "--out", out], moment);
      left.push(expectWholeFiles(out, reference));
    }
    // The moments cover the run: some kills came before any file was final, some after.
    expect(Math.min(...left)).toBe(0);
    expect(Math.max(...left)).toBeGreaterThan(0);
  });

  it("leaves the previous results of the folder intact and whole (10 kills)", async () => {
    const out = folder("run-previous");
    timed(["run", RUN, "--out", out]);
    for (const moment of killMoments(wall * 1.2, "run-previous")) {
      await killedAfter(["run", RUN, "--out", out], moment);
      expectSameFiles(out, reference);
    }
  });
});

describe("a sweep killed at any moment", () => {
  it("keeps whole files only, and resumed ends byte-identical to an uninterrupted one (10 kills)", async () => {
    const reference = folder("sweep-reference");
    const wall = timed(["sweep", SWEEP, "--out", reference, "--jobs", "1"]);
    const out = folder("sweep-killed");
    const moments = killMoments(wall, "sweep");
    for (const [i, moment] of moments.entries()) {
      // Alternating 1 and 2 threads: a resumed sweep may use another --jobs.
      await killedAfter(["sweep", SWEEP, "--out", out, "--jobs", String(1 + (i % 2))], moment);
      expectWholeFiles(out, reference);
    }
    const resumed = skysim(["sweep", SWEEP, "--out", out, "--jobs", "2"]);
    expect(resumed.status).toBe(0);
    expectSameFiles(out, reference);
    expect(readFileSync(join(out, "aggregate.csv"), "utf8")).toBe(
      readFileSync(join(reference, "aggregate.csv"), "utf8"),
    );
  });
});

describe("outputs independent of the machine's settings", () => {
  it("are byte-identical under another time zone and locale", () => {
    const here = folder("env-here");
    const there = folder("env-there");
    expect(skysim(["run", RUN, "--out", here]).status).toBe(0);
    const env = {
      ...process.env,
      TZ: "Pacific/Chatham",
      LANG: "de_DE.UTF-8",
      LC_ALL: "de_DE.UTF-8",
    };
    expect(skysim(["run", RUN, "--out", there], { env }).status).toBe(0);
    expectSameFiles(there, here);
  });

  it("are byte-identical with another number of sweep threads", () => {
    const one = folder("jobs-1");
    const two = folder("jobs-2");
    expect(skysim(["sweep", resolve(SWEEP), "--out", one, "--jobs", "1"]).status).toBe(0);
    expect(skysim(["sweep", resolve(SWEEP), "--out", two, "--jobs", "2"]).status).toBe(0);
    expectSameFiles(two, one);
  });
});
