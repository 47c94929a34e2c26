/**
 * Engine benchmark: the classic hold model (every dispatched event schedules one new event at an
 * exponential delay, so the number of pending events stays constant) at 1k, 100k and 1M pending
 * events, and a schedule-then-drain run of 10M events. Prints events per second, median of 5 runs.
 *
 *   npm run bench:engine            (all sizes)
 *   npm run bench:engine -- --runs 3
 */
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import process, { argv } from "node:process";
import { RandomStreams, Simulation, exponential } from "../src/sim/index.js";

interface Result {
  name: string;
  events: number;
  seconds: number[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Hold model: `pending` events in the queue, `dispatches` events dispatched after warm-up. */
function hold(pending: number, dispatches: number): { events: number; seconds: number } {
  const sim = new Simulation();
  const rng = new RandomStreams(1).stream("bench/hold");
  const delay = exponential(1);
  const onEvent = (): void => {
    sim.schedule(delay.sample(rng), onEvent);
  };
  for (let i = 0; i < pending; i++) sim.schedule(delay.sample(rng), onEvent);
  // Warm-up: let the JIT settle and the queue reach its steady shape.
  // Each pending event fires at rate 1 (mean delay 1 s), so the queue dispatches `pending` events
  // per simulated second.
  sim.run({ until: Math.max(2, 1_000_000 / pending) });
  const before = sim.dispatched;
  const start = performance.now();
  let done = 0;
  // Run in slices of simulated time until enough events have been dispatched.
  const slice = dispatches / pending / 10;
  while (done < dispatches) {
    sim.run({ until: sim.now + slice });
    done = sim.dispatched - before;
  }
  const seconds = (performance.now() - start) / 1000;
  if (sim.pending !== pending) throw new Error(`hold model lost events: ${sim.pending}`);
  return { events: done, seconds };
}

/** Schedule `count` events at random times, then drain the queue. */
function scheduleThenDrain(count: number): { events: number; seconds: number } {
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

function main(): void {
  const runsFlag = argv.indexOf("--runs");
  const runs = runsFlag >= 0 ? Number(argv[runsFlag + 1]) : 5;
  const cases: [string, () => { events: number; seconds: number }][] = [
    ["hold, 1k pending, 10M events", () => hold(1_000, 10_000_000)],
    ["hold, 100k pending, 10M events", () => hold(100_000, 10_000_000)],
    ["hold, 1M pending, 5M events", () => hold(1_000_000, 5_000_000)],
    ["schedule then drain, 10M events", () => scheduleThenDrain(10_000_000)],
  ];
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(
    `# engine benchmark: node ${process.version}, ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, median of ${runs} runs`,
  );
  console.log("| case | events/s (median) | min | max |");
  console.log("|---|---:|---:|---:|");
  for (const [name, run] of cases) {
    const result: Result = { name, events: 0, seconds: [] };
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const { events, seconds } = run();
      result.events = events;
      result.seconds.push(seconds);
      rates.push(events / seconds);
    }
    const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M`;
    console.log(
      `| ${name} | ${fmt(median(rates))} | ${fmt(Math.min(...rates))} | ${fmt(Math.max(...rates))} |`,
    );
  }
}

main();
