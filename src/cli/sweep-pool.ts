import { Worker } from "node:worker_threads";
import type { PlannedRun } from "../sweep/load-sweep.js";
import { executeRun } from "../sweep/sweep-runs.js";

export interface PoolOptions {
  readonly outDir: string;
  readonly baseDir: string;
  readonly version: string;
  /** Worker threads; 1 runs everything in this thread. */
  readonly jobs: number;
  /** Called after each run, with how many are done. */
  readonly onRunDone: (done: number) => void;
}

/**
 * Runs the tasks, `jobs` at a time in worker threads. The order in which they finish does not
 * matter: each run writes its own folder, and aggregates sort runs by their place in the plan.
 */
export async function runPool(tasks: readonly PlannedRun[], options: PoolOptions): Promise<void> {
  const settings = { outDir: options.outDir, baseDir: options.baseDir, version: options.version };
  if (options.jobs <= 1 || tasks.length <= 1) {
    tasks.forEach((task, i) => {
      executeRun(task.run, task.scenario, settings);
      options.onRunDone(i + 1);
    });
    return;
  }
  const queue = [...tasks];
  let done = 0;
  const workers = Array.from(
    { length: Math.min(options.jobs, tasks.length) },
    () => new Worker(new URL("./sweep-worker.js", import.meta.url), { workerData: settings }),
  );
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let running: number | undefined;
            const next = (): void => {
              const task = queue.shift();
              running = task?.run.index;
              if (task === undefined) resolve();
              else worker.postMessage(task);
            };
            worker.on("message", (reply: RunReply) => {
              if (reply.error !== undefined) {
                reject(errorOf(reply));
                return;
              }
              options.onRunDone(++done);
              next();
            });
            worker.on("error", reject);
            // process.exit in a worker (from a user policy module) ends only that thread.
            worker.on("exit", (code) => {
              if (running === undefined) return;
              const error = new Error(
                `sweep run ${running}: its worker thread exited with code ${code} in the middle of the run (a user policy module calling process.exit?)`,
              );
              error.name = "PolicyError";
              reject(error);
            });
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** A worker's answer for a run: its index, and what went wrong if it failed. */
interface RunReply {
  readonly index: number;
  readonly error?: string;
  readonly name?: string;
  readonly code?: string;
  readonly path?: string;
  readonly syscall?: string;
}

/** The failure of a run in a worker, as the main thread reports it (`fail` in main.ts). */
function errorOf(reply: RunReply): Error {
  const error: NodeJS.ErrnoException = new Error(`sweep run ${reply.index}: ${reply.error ?? ""}`);
  if (reply.name === "PolicyError") error.name = reply.name;
  if (reply.code !== undefined) error.code = reply.code;
  if (reply.path !== undefined) error.path = reply.path;
  if (reply.syscall !== undefined) error.syscall = reply.syscall;
  return error;
}
