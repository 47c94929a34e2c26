#!/usr/bin/env node
import process from "node:process";
import { performance } from "node:perf_hooks";
import { dirname, join } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { UsageError } from "./usage-error.js";
import { environmentProblem } from "./environment-error.js";
import { skysimVersion } from "../package-files.js";
import { DEFAULT_PROGRESS_EVERY, progressEveryOf, runProgress } from "./progress.js";
import { UnitError, parseSize } from "../sim/units.js";

/**
 * Exit codes: 0 done; 1 a run that failed (a user policy module that threw, decided what cannot be
 * done, never returned or called process.exit) or an internal error (a bug); 2 bad input
 * (scenario file or arguments); 3 an experiment ran but did not reproduce its expected results.
 */
const EXIT_FAILED = 1;
const EXIT_BAD_INPUT = 2;
const EXIT_NOT_REPRODUCED = 3;

let debug = process.argv.includes("--debug");

/** The model's modules load only when a command needs them, so `skysim --help` starts fast. */
const scenarios = () => import("../scenario/index.js");

/**
 * Ends the process with `code` once everything written to stdout and stderr has gone out (a pipe
 * that is full queues writes, and process.exit would drop them). Any exit before a command has
 * settled (a user policy module calling process.exit, say) is reported and made a failure, never
 * a silent success.
 */
let settled = false;
function exit(code: number): void {
  if (settled) return;
  settled = true;
  process.exitCode = code;
  const pending = [process.stdout, process.stderr].filter((stream) => stream.writableLength > 0);
  if (pending.length === 0) process.exit(code);
  let left = pending.length;
  for (const stream of pending) {
    stream.once("drain", () => {
      left -= 1;
      if (left === 0) process.exit(code);
    });
  }
}
/** Whether the policy watchdog stopped the run (it has said so itself). */
let stoppedByWatchdog = (): boolean => false;
process.on("exit", (code) => {
  if (stoppedByWatchdog()) {
    process.exitCode = EXIT_FAILED;
    return;
  }
  if (settled) return;
  process.stderr.write(
    `skysim: the command was cut short by a call of process.exit(${code}) (from a user policy module?); its results are incomplete\n`,
  );
  process.exitCode = EXIT_FAILED;
});

function fail(error: unknown): void {
  if (error instanceof Error && error.name === "ScenarioError") {
    process.stderr.write(`${error.message}\n`);
    exit(EXIT_BAD_INPUT);
    return;
  }
  if (error instanceof UsageError || (error instanceof Error && error.name === "ResultFileError")) {
    process.stderr.write(`skysim: ${error.message}\n`);
    exit(EXIT_BAD_INPUT);
    return;
  }
  const environment = environmentProblem(error);
  if (environment !== undefined) {
    process.stderr.write(`skysim: ${environment}\n`);
    exit(EXIT_BAD_INPUT);
    return;
  }
  if (error instanceof Error && error.name === "PolicyError") {
    process.stderr.write(`skysim: ${error.message}\n`);
    exit(EXIT_FAILED);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`skysim: internal error: ${message}\n`);
  if (debug && error instanceof Error && error.stack !== undefined) {
    process.stderr.write(`${error.stack}\n`);
  } else {
    process.stderr.write("(run again with --debug for the stack trace)\n");
  }
  exit(EXIT_FAILED);
}

const version = skysimVersion();

/**
 * Starts the policy watchdog if a scenario runs a user policy module: a call into it that never
 * returns stops the run with exit code 1 (in this thread; sweep worker threads are not watched).
 */
async function watchUserModules(
  scenarios: readonly { readonly policies: Record<string, { readonly module?: string }> }[],
  timeout: number,
): Promise<void> {
  if (!(timeout > 0 && Number.isFinite(timeout))) {
    throw new UsageError(`--policy-timeout: expected a number of seconds > 0, got ${timeout}`);
  }
  const usesModules = scenarios.some((scenario) =>
    Object.values(scenario.policies).some((choice) => choice.module !== undefined),
  );
  if (!usesModules) return;
  const { startPolicyWatchdog } = await import("./policy-watchdog.js");
  stoppedByWatchdog = startPolicyWatchdog(timeout);
}

/** --max-memory as bytes ("8GiB", "512MB" or a number of bytes); undefined: Node's heap limit. */
function maxMemoryOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const bytes = parseSize(text);
    if (bytes > 0) return bytes;
  } catch (error) {
    if (!(error instanceof UnitError)) throw error;
  }
  throw new UsageError(`--max-memory: expected a size such as 8GiB, got "${text}"`);
}

await yargs(hideBin(process.argv))
  .scriptName("skysim")
  .usage("$0 <command> [options]\n\nDeterministic simulator of federated IaaS clouds.")
  .version(version)
  .option("debug", { type: "boolean", describe: "print stack traces of internal errors" })
  .option("policy-timeout", {
    type: "number",
    default: 60,
    describe:
      "seconds a call into a user policy module may take before the run is stopped (exit 1)",
  })
  .option("progress-every", {
    type: "number",
    default: DEFAULT_PROGRESS_EVERY,
    describe:
      "when stderr is not a terminal (Slurm, CI logs), seconds between two progress lines of run and sweep",
  })
  .option("allow-outside", {
    type: "boolean",
    describe:
      "let scenarios read files (extends, traces, policy modules) outside their own folder's tree and skysim's scenarios/ and data/",
  })
  .option("max-memory", {
    type: "string",
    describe:
      "refuse scenarios whose run is estimated to need more memory than this (e.g. 8GiB) [default: Node's heap limit]",
  })
  .middleware((argv) => {
    debug = argv.debug === true;
  })
  .command(
    "run <file>",
    "run a scenario file and write its results",
    (y) =>
      y
        .positional("file", {
          type: "string",
          demandOption: true,
          describe: "scenario (YAML or JSON)",
        })
        .option("seed", { type: "number", describe: "override the scenario's seed" })
        .option("out", {
          type: "string",
          describe: "output folder [default: results/<name>/<seed>]",
        })
        .option("check", { type: "boolean", describe: "check model invariants after every event" })
        .option("charts", {
          type: "boolean",
          describe: "write charts/ and report.html (--no-charts: not) [default: output.charts]",
        })
        .option("trace", {
          choices: ["none", "events"] as const,
          describe: "events: also write events.csv [default: the scenario's output.trace]",
        }),
    async (argv) => {
      const started = performance.now();
      const { ScenarioError, loadScenarioFile } = await scenarios();
      const { runScenario } = await import("../run/run-scenario.js");
      const { formatDuration } = await import("../sim/units.js");
      const loaded = loadScenarioFile(argv.file, {
        maxMemory: maxMemoryOf(argv.maxMemory),
        allowOutside: argv.allowOutside,
      });
      await watchUserModules([loaded], argv.policyTimeout);
      // The scenario's own bound (a safe integer): a seed past it is not the one written.
      if (argv.seed !== undefined && !(Number.isSafeInteger(argv.seed) && argv.seed >= 0)) {
        throw new ScenarioError("--seed", [
          {
            path: "seed",
            message: `expected an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${argv.seed}`,
          },
        ]);
      }
      const seeded = argv.seed === undefined ? loaded : { ...loaded, seed: argv.seed };
      const scenario =
        argv.trace === undefined
          ? seeded
          : { ...seeded, output: { ...seeded.output, trace: argv.trace } };
      const outDir = argv.out ?? join("results", scenario.name, String(scenario.seed));
      const charts = argv.charts ?? scenario.output.charts;
      const {
        summary,
        headline,
        files: written,
        writeSummary,
        abort,
      } = runScenario(scenario, {
        outDir,
        version,
        check: argv.check === true,
        baseDir: dirname(argv.file),
        onProgress: runProgress(scenario.duration, progressEveryOf(argv.progressEvery)),
        timeline: charts,
        summaryLast: true,
      });
      const files = [...written];
      const { writeRunFiles } = await import("./run-files.js");
      let wall: number;
      try {
        const more = await writeRunFiles(
          outDir,
          scenario,
          { summary, headline, written },
          charts,
          started,
        );
        files.push(...more.paths);
        wall = more.wall;
        // The completion mark, after every other file.
        if (writeSummary !== undefined) files.push(writeSummary(files));
      } catch (error) {
        abort?.();
        throw error;
      }
      process.stdout.write(
        [
          `${summary.scenario} (seed ${summary.seed}): ${formatDuration(summary.simulatedTime)} simulated, ${summary.events} events in ${wall.toFixed(2)} s`,
          headline,
          ...files.map((file) => `wrote ${file}`),
          "",
        ].join("\n"),
      );
    },
  )
  .command(
    "validate <files..>",
    "check scenario files and report every problem (every run of a sweep block too)",
    (y) => y.positional("files", { type: "string", array: true, demandOption: true }),
    async (argv) => {
      const { ScenarioError } = await scenarios();
      const { checkScenarioFile } = await import("../sweep/load-sweep.js");
      const problems: string[] = [];
      for (const file of argv.files) {
        try {
          const options = {
            maxMemory: maxMemoryOf(argv.maxMemory),
            allowOutside: argv.allowOutside,
          };
          checkScenarioFile(file, options);
          process.stdout.write(`${file}: ok\n`);
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          problems.push(error.message);
        }
      }
      if (problems.length > 0) {
        process.stderr.write(`${problems.join("\n")}\n`);
        exit(EXIT_BAD_INPUT);
      }
    },
  )
  .command(
    "schema",
    "print the JSON Schema of scenario files (skysim schema > skysim.schema.json)",
    (y) => y,
    async () => {
      const { scenarioJsonSchema } = await scenarios();
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    },
  )
  .command(
    "platform <action> [source]",
    "list the platform presets, or show what a preset or a scenario's platform holds",
    (y) =>
      y
        .positional("action", { choices: ["list", "show"] as const, demandOption: true })
        .positional("source", { type: "string", describe: "a preset name or a scenario file" })
        .option("sites", { type: "string", describe: "comma-separated sites to keep (presets)" })
        .option("clusters", {
          type: "string",
          describe: "comma-separated clusters to keep (presets)",
        })
        .option("scale", { type: "number", describe: "factor on node counts (presets)" }),
    async (argv) => {
      const { PLATFORM_PRESETS } = await import("../platform/presets.js");
      if (argv.action === "list") {
        if (argv.source !== undefined) {
          throw new UsageError(
            `platform list: takes no preset or file (got ${argv.source}); use platform show ${argv.source}`,
          );
        }
        for (const preset of PLATFORM_PRESETS) {
          process.stdout.write(`${preset.name.padEnd(16)}${preset.description}\n`);
        }
        return;
      }
      const { buildPlatform } = await import("../platform/build.js");
      const { describePlatform } = await import("../platform/describe.js");
      const source = argv.source;
      if (source === undefined)
        throw new UsageError("platform show: name a preset or a scenario file");
      const preset = PLATFORM_PRESETS.find((p) => p.name === source);
      let spec;
      if (preset !== undefined) {
        const list = (text: string | undefined) => text?.split(",").filter((s) => s !== "");
        try {
          spec = preset.build({
            sites: list(argv.sites),
            clusters: list(argv.clusters),
            scale: argv.scale,
          });
        } catch (error) {
          if (error instanceof RangeError)
            throw new UsageError(`platform show ${source}: ${error.message}`);
          throw error;
        }
      } else {
        const { ScenarioError, loadScenarioFile, platformSpecOf } = await scenarios();
        const scenario = loadScenarioFile(source, { allowOutside: argv.allowOutside });
        if (scenario.platform === undefined) {
          throw new ScenarioError(source, [
            { path: "platform", message: "expected a platform section, got nothing" },
          ]);
        }
        spec = platformSpecOf(scenario.platform);
      }
      process.stdout.write(`${describePlatform(buildPlatform(spec)).join("\n")}\n`);
    },
  )
  .command(
    "sweep <file>",
    "run a scenario's sweep (variants x parameter values x seeds), resuming what is done",
    (y) =>
      y
        .positional("file", {
          type: "string",
          demandOption: true,
          describe: "scenario with a sweep block",
        })
        .option("jobs", { type: "number", describe: "worker threads [default: the core count]" })
        .option("shard", { type: "string", describe: "i/n: run only the i-th of n slices" })
        .option("out", {
          type: "string",
          describe: "folder [default: results/<name>, where the notebooks look]",
        }),
    async (argv) => {
      const { sweepCommand } = await import("./sweep-commands.js");
      await sweepCommand({
        ...argv,
        version,
        maxMemory: maxMemoryOf(argv.maxMemory),
        allowOutside: argv.allowOutside,
        progressEvery: progressEveryOf(argv.progressEvery),
        watch: (scenarios) => watchUserModules(scenarios, argv.policyTimeout),
      });
    },
  )
  .command(
    "merge <dirs..>",
    "aggregate the runs of several sweep folders (shards) into one",
    (y) =>
      y
        .positional("dirs", { type: "string", array: true, demandOption: true })
        .option("out", {
          type: "string",
          describe: "folder of the aggregate [default: the first]",
        })
        .option("format", {
          choices: ["csv", "parquet", "both"] as const,
          default: "csv" as const,
          describe:
            "runs and aggregate tables as CSV, Parquet or both (as the sweep's output.format)",
        }),
    async (argv) => {
      const { mergeCommand } = await import("./sweep-commands.js");
      await mergeCommand(argv);
    },
  )
  .command(
    "compare <dirs..>",
    "print each sweep's headline metrics side by side, a column per cell (mean ± 95% CI)",
    (y) =>
      y
        .positional("dirs", { type: "string", array: true, demandOption: true })
        .option("metrics", { type: "string", describe: "comma-separated metric paths" })
        .option("out", {
          type: "string",
          describe: "folder to write the comparison charts to [default: none, only the table]",
        }),
    async (argv) => {
      const { compareCommand } = await import("./sweep-commands.js");
      await compareCommand(argv);
    },
  )
  .command(
    "reproduce <name>",
    "run an experiment at CI size and compare its summary.json with the expected one",
    (y) =>
      y
        .positional("name", {
          type: "string",
          demandOption: true,
          describe: "experiment (a scenario with scenarios/expected/<name>.json)",
        })
        .option("out", { type: "string", describe: "folder [default: results/reproduce/<name>]" })
        .option("update", {
          type: "boolean",
          describe: "rewrite the expected summary with this run's (after a deliberate change)",
        }),
    async (argv) => {
      const { experimentNames, reproduce } = await import("../run/reproduce.js");
      const { packageFile } = await import("../package-files.js");
      const scenariosDir = packageFile("scenarios");
      const names = experimentNames(scenariosDir);
      if (!names.includes(argv.name)) {
        throw new UsageError(
          `reproduce: no experiment named ${argv.name} (known: ${names.join(", ")})`,
        );
      }
      const result = reproduce(argv.name, {
        scenariosDir,
        outDir: argv.out ?? join("results", "reproduce", argv.name),
        version,
        ...(argv.update === true ? { update: true } : {}),
      });
      if (argv.update === true) {
        process.stdout.write(`${argv.name}: wrote ${result.expectedFile}\n`);
        return;
      }
      if (result.identical) {
        process.stdout.write(
          `${argv.name}: reproduced: ${result.file} gives ${result.expectedFile} byte for byte\n`,
        );
        return;
      }
      process.stdout.write(
        `${argv.name}: NOT reproduced: ${result.differences.length} field(s) of ${result.expectedFile} differ\n`,
      );
      for (const { path, expected, got } of result.differences) {
        process.stdout.write(
          `  ${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}\n`,
        );
      }
      exit(EXIT_NOT_REPRODUCED);
    },
  )
  .demandCommand(
    1,
    "name a command: run, validate, schema, platform, sweep, merge, compare or reproduce",
  )
  .strict()
  .exitProcess(false)
  .fail((message: string | undefined, error: Error | undefined) => {
    if (error !== undefined) throw error; // reaches fail() below
    process.stderr.write(`skysim: ${message ?? "bad arguments"} (see skysim --help)\n`);
    exit(EXIT_BAD_INPUT);
  })
  .help()
  .parseAsync()
  .then(() => {
    exit(0);
  }, fail);
