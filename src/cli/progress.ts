import { performance } from "node:perf_hooks";
import process from "node:process";
import { UsageError } from "./usage-error.js";

/** Seconds between two plain progress lines when stderr is not a terminal (`--progress-every`). */
export const DEFAULT_PROGRESS_EVERY = 30;

/** The `--progress-every` given, checked: seconds >= 0. */
export function progressEveryOf(every: number): number {
  if (every >= 0 && Number.isFinite(every)) return every;
  throw new UsageError(`--progress-every: expected a number of seconds >= 0, got ${every}`);
}

/**
 * Where progress goes: on a terminal, one line redrawn in place; otherwise (Slurm, Kubernetes, CI
 * logs) a plain line each time `every` seconds of wall time have passed since the last one (or the
 * start), and the last one if any came before: a log shows how far a long run or sweep has come,
 * and a run shorter than `every` writes nothing.
 */
export function progressLine(every: number): (text: string, last: boolean) => void {
  if (process.stderr.isTTY) {
    return (text, last) => {
      process.stderr.write(`\r${text} ${last ? "\n" : ""}`);
    };
  }
  let shown = performance.now() / 1000;
  let any = false;
  return (text, last) => {
    const now = performance.now() / 1000;
    if (last ? !any : now - shown < every) return;
    shown = now;
    any = true;
    process.stderr.write(`skysim: ${text}\n`);
  };
}

/** A run's progress: share of its span simulated, events, events per second. */
export function runProgress(
  duration: number,
  every: number,
): (time: number, events: number) => void {
  const started = performance.now();
  const show = progressLine(every);
  return (time, events) => {
    const wall = (performance.now() - started) / 1000;
    const rate = wall > 0 ? events / wall : 0;
    show(
      `${((100 * time) / duration).toFixed(0).padStart(3)}% simulated (${time.toFixed(0)} s), ${events} events, ${rate.toFixed(0)} events/s`,
      time >= duration,
    );
  };
}

/** A sweep's progress: runs done of those to run, and the time left at the pace so far. */
export function sweepProgress(total: number, every: number): (done: number) => void {
  const started = performance.now();
  if (total === 0) return () => undefined;
  const show = progressLine(every);
  const bar = process.stderr.isTTY;
  return (done) => {
    const elapsed = (performance.now() - started) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
    const width = 30;
    const filled = Math.round((width * done) / total);
    const drawn = bar ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ` : "";
    show(`${drawn}${done}/${total} runs, ETA ${eta.toFixed(0)} s`, done === total);
  };
}
