import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { LoadPool, type Outcome } from "./fuzz/fuzz-pool.js";
import {
  MUTATION_CLASSES,
  type MutationClass,
  makeMutant,
  mutantSpec,
} from "./fuzz/scenario-mutants.js";
import { skysim } from "./run-cli.js";

/**
 * The scenario loader never crashes, hangs or answers badly, whatever the file: shipped scenarios
 * mutated in every way of issue 16's fuzz are each accepted, or rejected with one line per
 * problem naming the file and a field path (or a line and column). CI runs a slice; `npm run
 * fuzz` runs 10,000 mutants and writes the counts per class (SKYSIM_FUZZ_MUTANTS,
 * SKYSIM_FUZZ_REPORT). Each mutant loads in a worker thread with a 1 GiB heap and a time limit;
 * every CLI_EVERY-th one also goes through `skysim validate`, whose exit code and lines must agree,
 * and every RUN_EVERY-th accepted one (every 2nd in npm run fuzz: 381 of 10,000) through
 * `skysim run` for a simulated hour: it must end within a minute with exit 0, or exit 1 naming a
 * user policy module (the robustness fixtures throw on purpose), never an internal error.
 *
 * Memory: every `skysim validate` measures its peak resident set, and a rejected input's must stay
 * under 1 GiB. The loads in the pool share this process, whose own peak bounds them all.
 */

const MUTANTS = Number(process.env.SKYSIM_FUZZ_MUTANTS ?? 300);
const SEED = Number(process.env.SKYSIM_FUZZ_SEED ?? 16);
const CLI_EVERY = Number(process.env.SKYSIM_FUZZ_CLI_EVERY ?? 25);
/** Every RUN_EVERY-th accepted mutant is also run, for a simulated hour (issue 22). */
const RUN_EVERY = Number(process.env.SKYSIM_FUZZ_RUN_EVERY ?? 20);
/** A run of an accepted mutant longer than this (wall) is a hang. */
const RUN_LIMIT_MS = 60_000;
const REPORT = process.env.SKYSIM_FUZZ_REPORT;
const LIMITS = { heapMb: 1024, timeoutMs: 30_000 };
/** The most memory a rejected input may cost (issue 22), kB. */
const REJECTED_PEAK_KB = 1024 * 1024;

type Verdict = Outcome["outcome"] | "rejected-badly";

/** A corpus folder: the shipped scenarios with what they refer to, and the robustness fixtures. */
function corpusFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "skysim-fuzz-"));
  cpSync("scenarios", dir, { recursive: true, filter: (source) => !source.includes("expected") });
  cpSync("test/fixtures/inline-platform.yaml", join(dir, "inline-platform.yaml"));
  cpSync("test/fixtures/robustness", join(dir, "robustness"), { recursive: true });
  return dir;
}

/** A field path; a sweep's parameter path may join paths with "+". */
const FIELD =
  /^(?:[A-Za-z0-9_$][A-Za-z0-9_$+-]*|\["(?:[^"\\]|\\.)*"\]|\[\d+\])(?:\.[A-Za-z0-9_$][A-Za-z0-9_$+-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*: /;
/** A sweep cell's name before a path: `[variant__path=value] `. */
const CELL = /^\[[^\]]*\] /;
const PLACE = /^(?:\(file\)|\(root\)|\(syntax\)|line \d+, column \d+|extends): /;
const INTERNAL =
  /internal error|Cannot read prop|is not a function|is not iterable|Maximum call stack|undefined \(reading|RangeError|TypeError|ReferenceError|SyntaxError| {4}at /;

/**
 * Runs an accepted mutant for a simulated hour (a scenario beside it extends it); why the run is
 * bad (a crash, a hang, an internal error), or undefined.
 */
function badRun(
  dir: string,
  entry: string,
  i: number,
  peaks: Record<string, number>,
): string | undefined {
  const wrapper = join(dir, `run-${i}.yaml`);
  writeFileSync(
    wrapper,
    `extends: ${entry}\nname: fuzz-run\nduration: 1h\noutput: { charts: false }\n`,
  );
  const out = mkdtempSync(join(tmpdir(), "skysim-fuzz-run-"));
  const result = skysim(["run", wrapper, "--out", out], { timeout: RUN_LIMIT_MS, measure: true });
  peaks.run = Math.max(peaks.run ?? 0, result.peakRssKb ?? 0);
  rmSync(out, { recursive: true, force: true });
  rmSync(wrapper, { force: true });
  if (result.signal !== null) return `killed by ${result.signal} (a hang past 60 s?)`;
  if (result.status === 0) return undefined;
  const policy = /^skysim: [a-zA-Z]+ policy "/.test(result.stderr);
  if (result.status === 1 && policy && !INTERNAL.test(result.stderr)) return undefined;
  return `exit ${result.status}: ${result.stderr.slice(0, 300)}`;
}

/** Why a rejection's text is bad (a line without a known file and a path), or undefined. */
export function badRejection(text: string, files: readonly string[]): string | undefined {
  for (const line of text.split("\n")) {
    const file = files.find((name) => line.startsWith(`${name}: `));
    if (file === undefined) return `no file of the scenario: ${line}`;
    const rest = line.slice(file.length + 2).replace(CELL, "");
    if (!PLACE.test(rest) && !FIELD.test(rest)) return `no field path: ${line}`;
    if (INTERNAL.test(rest)) return `internal text: ${line}`;
  }
  return undefined;
}

describe("the scenario loader under fuzzing", () => {
  const pool = new LoadPool(LIMITS);
  afterAll(async () => {
    await pool.close();
  });

  // A guard against a hang of the whole fuzz, not a speed goal: about 5 ms a mutant here.
  const timeout = 120_000 + MUTANTS * 50;
  it(
    `accepts or cleanly rejects ${MUTANTS} mutants of the shipped scenarios`,
    { timeout },
    async () => {
      const dir = corpusFolder();
      const corpus = readdirSync(dir)
        .filter((name) => name.endsWith(".yaml"))
        .sort()
        .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
      const counts = Object.fromEntries(MUTATION_CLASSES.map((kind) => [kind, {}])) as Record<
        MutationClass,
        Partial<Record<Verdict, number>>
      >;
      const failures: string[] = [];
      const runs = { accepted: 0, run: 0 };
      /** Peak resident set sizes, kB: of validate on rejected and accepted inputs, of runs. */
      const peaks: Record<string, number> = {};
      const specs = fc.sample(mutantSpec, { numRuns: MUTANTS, seed: SEED });
      for (const [i, spec] of specs.entries()) {
        const mutant = makeMutant(corpus, spec, String(i));
        for (const file of mutant.files) writeFileSync(join(dir, file.name), file.content);
        for (const fifo of mutant.fifos) execFileSync("mkfifo", [join(dir, fifo)]);
        const entry = join(dir, mutant.entry);
        const outcome = await pool.load(entry);
        const known = [
          ...mutant.files.map((f) => join(dir, f.name)),
          ...corpus.map((c) => join(dir, c.name)),
        ];
        const bad = outcome.outcome === "rejected" ? badRejection(outcome.text, known) : undefined;
        const verdict: Verdict = bad === undefined ? outcome.outcome : "rejected-badly";
        const byKind = counts[mutant.kind];
        byKind[verdict] = (byKind[verdict] ?? 0) + 1;
        if (verdict !== "accepted" && verdict !== "rejected") {
          failures.push(
            `#${i} ${mutant.kind} of ${corpus[spec.base % corpus.length]?.name}: ${verdict}: ${bad ?? ("text" in outcome ? outcome.text : "")}`,
          );
        } else {
          if (verdict === "accepted" && runs.accepted++ % RUN_EVERY === 0) {
            runs.run++;
            const badly = badRun(dir, entry, i, peaks);
            if (badly !== undefined) failures.push(`#${i} ${mutant.kind}: run: ${badly}`);
          }
          if (i % CLI_EVERY === 0) {
            // The CLI agrees: exit 0 and "ok", or exit 2 and the very lines of the loader.
            const cli = skysim(["validate", entry], {
              timeout: LIMITS.timeoutMs * 2,
              measure: true,
            });
            peaks[verdict] = Math.max(peaks[verdict] ?? 0, cli.peakRssKb ?? Infinity);
            expect(cli.status, `#${i} ${mutant.kind}: ${cli.stderr}`).toBe(
              verdict === "accepted" ? 0 : 2,
            );
            if (outcome.outcome === "rejected") expect(cli.stderr).toBe(`${outcome.text}\n`);
          }
        }
        for (const file of [...mutant.files.map((f) => f.name), ...mutant.fifos]) {
          rmSync(join(dir, file), { force: true });
        }
      }
      peaks.fuzzProcess = process.resourceUsage().maxRSS;
      if (REPORT !== undefined) {
        mkdirSync(REPORT, { recursive: true });
        writeFileSync(
          join(REPORT, "fuzz-counts.json"),
          `${JSON.stringify({ mutants: MUTANTS, seed: SEED, counts, runs, peaks, failures }, null, 2)}\n`,
        );
      }
      expect(failures).toEqual([]);
      // Every class was tried, and the fuzz is not only rejections: valid mutants get through.
      for (const kind of MUTATION_CLASSES)
        expect(Object.keys(counts[kind]).length).toBeGreaterThan(0);
      const accepted = MUTATION_CLASSES.reduce(
        (sum, kind) => sum + (counts[kind].accepted ?? 0),
        0,
      );
      expect(accepted).toBeGreaterThan(0);
      // Accepted mutants were run too (1 in 20 by default: 2 of the 25 accepted of 300, seed 16).
      expect(runs.run).toBeGreaterThan(0);
      // No rejected input costs 1 GiB: neither through the CLI, measured one by one, nor in the
      // pool, whose loads this whole process's peak bounds.
      expect(peaks.rejected).toBeGreaterThan(0);
      expect(peaks.rejected).toBeLessThan(REJECTED_PEAK_KB);
      expect(peaks.fuzzProcess).toBeLessThan(REJECTED_PEAK_KB);
    },
  );
});
