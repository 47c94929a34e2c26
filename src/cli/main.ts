#!/usr/bin/env node
import process from "node:process";
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { skysimVersion } from "./version.js";

/** Exit codes: 0 done, 1 internal error (a bug), 2 bad input (scenario file or arguments). */
const EXIT_BAD_INPUT = 2;

let debug = process.argv.includes("--debug");

/** The model's modules load only when a command needs them, so `skysim --help` starts fast. */
const scenarios = () => import("../scenario/index.js");

function fail(error: unknown): never {
  if (error instanceof Error && error.name === "ScenarioError") {
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_BAD_INPUT);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`skysim: internal error: ${message}\n`);
  if (debug && error instanceof Error && error.stack !== undefined) {
    process.stderr.write(`${error.stack}\n`);
  } else {
    process.stderr.write("(run again with --debug for the stack trace)\n");
  }
  process.exit(1);
}

const version = skysimVersion();

await yargs(hideBin(process.argv))
  .scriptName("skysim")
  .usage("$0 <command> [options]\n\nDeterministic simulator of federated IaaS clouds.")
  .version(version)
  .option("debug", { type: "boolean", describe: "print stack traces of internal errors" })
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
        .option("check", { type: "boolean", describe: "check model invariants after every event" }),
    async (argv) => {
      const started = performance.now();
      const { ScenarioError, loadScenarioFile } = await scenarios();
      const { runScenario } = await import("../run/run-scenario.js");
      const { formatDuration } = await import("../sim/units.js");
      const loaded = loadScenarioFile(argv.file);
      if (argv.seed !== undefined && !(Number.isInteger(argv.seed) && argv.seed >= 0)) {
        throw new ScenarioError("--seed", [
          { path: "seed", message: `expected an integer >= 0, got ${argv.seed}` },
        ]);
      }
      const scenario = argv.seed === undefined ? loaded : { ...loaded, seed: argv.seed };
      const outDir = argv.out ?? join("results", scenario.name, String(scenario.seed));
      const { summary, files } = runScenario(scenario, {
        outDir,
        version,
        check: argv.check === true,
      });
      const wall = (performance.now() - started) / 1000;
      const jobs = summary.jobs;
      process.stdout.write(
        [
          `${summary.scenario} (seed ${summary.seed}): ${formatDuration(summary.simulatedTime)} simulated, ${summary.events} events in ${wall.toFixed(2)} s`,
          `jobs: ${jobs.submitted} submitted, ${jobs.finished} finished, mean wait ${formatDuration(jobs.wait.mean, 3)}, p95 wait ${formatDuration(jobs.wait.p95, 3)}, utilization ${(100 * jobs.utilization).toFixed(1)}%`,
          ...files.map((file) => `wrote ${file}`),
          "",
        ].join("\n"),
      );
    },
  )
  .command(
    "validate <files..>",
    "check scenario files and report every problem",
    (y) => y.positional("files", { type: "string", array: true, demandOption: true }),
    async (argv) => {
      const { ScenarioError, loadScenarioFile } = await scenarios();
      const problems: string[] = [];
      for (const file of argv.files) {
        try {
          loadScenarioFile(file);
          process.stdout.write(`${file}: ok\n`);
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          problems.push(error.message);
        }
      }
      if (problems.length > 0) {
        process.stderr.write(`${problems.join("\n")}\n`);
        process.exit(EXIT_BAD_INPUT);
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
  .demandCommand(1, "name a command: run, validate or schema")
  .strict()
  .fail((message: string | undefined, error: Error | undefined) => {
    if (error !== undefined) throw error; // reaches .catch(fail) below
    process.stderr.write(`skysim: ${message ?? "bad arguments"} (see skysim --help)\n`);
    process.exit(EXIT_BAD_INPUT);
  })
  .help()
  .parseAsync()
  .catch(fail);
