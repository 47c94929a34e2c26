/**
 * Engine benchmark: the classic hold model (every dispatched event schedules one new event at an
 * exponential delay, so the number of pending events stays constant) at 1k, 100k and 1M pending
 * events, and a schedule-then-drain run of 10M events. Each run is a fresh Node process (runs in
 * one process slow each other down through the garbage collector's state); the table gives events
 * per second, median of the runs.
 *
 *   npm run bench:engine                       (all cases, 5 runs each)
 *   npm run bench:engine -- --runs 3 --case 100k
 */
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { median, option } from "./harness.js";
import { RandomStreams, Simulation, exponential } from "../src/sim/index.js";

interface Measure {
  events: number;
  seconds: number;
}

/** Hold model: `pending` events in the queue, at least `dispatches` events timed after warm-up. */
function hold(pending: number, dispatches: number): Measure {
  const sim = new Simulation();
  const rng = new RandomStreams(1).stream("bench/hold");
  const delay = exponential(1);
  const onEvent = (): void => {
    sim.schedule(delay.sample(rng), onEvent);
  };
  for (let i = 0; i < pending; i++) sim.schedule(delay.sample(rng), onEvent);
  // Each pending event fires at rate 1 (mean delay 1 s), so the queue dispatches `pending` events
  // per simulated second. Warm-up: at least a million events, for the JIT and the queue's shape.
  sim.run({ until: Math.max(2, 1_000_000 / pending) });
  const before = sim.dispatched;
  const start = performance.now();
  sim.run({ until: sim.now + dispatches / pending });
  const seconds = (performance.now() - start) / 1000;
  if (sim.pending !== pending) throw new Error(`hold model lost events: ${sim.pending}`);
  return { events: sim.dispatched - before, seconds };
}

/** Schedule `count` events at random times, then drain the queue. */
function scheduleThenDrain(count: number): Measure {
  const sim = new Simulation();
  const rng = new RandomStreams(1).stream("bench/drain");
  const noop = (): void => undefined;
  const start = performance.now();
  for (let i = 0; i < count; i++) sim.scheduleAt(rng.next() * 1e6, noop);
  sim.run();
  const seconds = (performance.now() - start) / 1000;
  if (sim.dispatched !== count) throw new Error("drain lost events");
  return { events: count, seconds };
}

const CASES: Record<string, () => Measure> = {
  "hold, 1k pending, 10M events": () => hold(1_000, 10_000_000),
  "hold, 100k pending, 10M events": () => hold(100_000, 10_000_000),
  "hold, 1M pending, 5M events": () => hold(1_000_000, 5_000_000),
  "schedule then drain, 10M events": () => scheduleThenDrain(10_000_000),
};

function main(): void {
  const child = option("--child");
  if (child !== undefined) {
    const run = CASES[child];
    if (run === undefined) throw new Error(`unknown case ${child}`);
    process.stdout.write(JSON.stringify(run()));
    return;
  }
  const runs = Number(option("--runs") ?? 5);
  const filter = option("--case") ?? "";
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const memory = (totalmem() / 2 ** 30).toFixed(0);
  console.log(
    `# engine benchmark: node ${process.version}, ${cpu}, ${cpus().length} cores, ${memory} GiB, median of ${runs} runs`,
  );
  console.log("| case | events/s (median) | min | max |");
  console.log("|---|---:|---:|---:|");
  const self = fileURLToPath(import.meta.url);
  for (const name of Object.keys(CASES).filter((n) => n.includes(filter))) {
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const output = execFileSync(process.execPath, [self, "--child", name], { encoding: "utf8" });
      const { events, seconds } = JSON.parse(output) as Measure;
      rates.push(events / seconds);
    }
    const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M`;
    console.log(
      `| ${name} | ${fmt(median(rates))} | ${fmt(Math.min(...rates))} | ${fmt(Math.max(...rates))} |`,
    );
  }
}

main();
