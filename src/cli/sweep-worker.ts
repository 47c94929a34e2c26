/** A worker thread of `skysim sweep`: runs the runs it is sent, one at a time. */
import { parentPort, workerData } from "node:worker_threads";
import type { PlannedRun } from "../sweep/load-sweep.js";
import { executeRun } from "../sweep/sweep-runs.js";

const options = workerData as { outDir: string; baseDir: string; version: string };
const port = parentPort;
if (port === null) throw new Error("sweep-worker runs as a worker thread");
port.on("message", (task: PlannedRun) => {
  try {
    executeRun(task.run, task.scenario, options);
    port.postMessage({ index: task.run.index });
  } catch (error) {
    const { code, path, syscall } = error as NodeJS.ErrnoException;
    port.postMessage({
      index: task.run.index,
      error: error instanceof Error ? error.message : String(error),
      // A user policy's misbehaviour is reported as such, not as a bug of skysim.
      ...(error instanceof Error ? { name: error.name } : {}),
      // And the machine's problems (a full disk) as the machine's.
      ...(error instanceof Error ? { code, path, syscall } : {}),
    });
  }
});
