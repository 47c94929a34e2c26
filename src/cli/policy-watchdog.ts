import { Worker } from "node:worker_threads";
import { POLICY_CALLS } from "../policies/policy-calls.js";

/**
 * Starts the watchdog thread (policy-watchdog-worker.ts) over the calls into user policy modules
 * made in this thread; returns whether it stopped a run (read it in the process's exit handler).
 */
export function startPolicyWatchdog(timeout: number): () => boolean {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(new URL("./policy-watchdog-worker.js", import.meta.url), {
    workerData: { calls: POLICY_CALLS, flag, timeout },
  });
  // It must not keep the process alive once the command is done.
  worker.unref();
  return () => Atomics.load(new Int32Array(flag), 0) === 1;
}
