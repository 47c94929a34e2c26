/**
 * The watchdog thread of `skysim run` and `sweep`: when a call into a user policy module has not
 * returned for `timeout` seconds, it says which one, flags it, and stops the JavaScript of the
 * main thread (through the inspector: nothing else interrupts a loop), whose exit handler then
 * ends the process with exit code 1.
 */
import { writeSync } from "node:fs";
import inspector from "node:inspector";
import { performance } from "node:perf_hooks";
import { workerData } from "node:worker_threads";

const { calls, flag, timeout } = workerData as {
  calls: SharedArrayBuffer;
  flag: SharedArrayBuffer;
  timeout: number;
};
const counters = new Int32Array(calls, 0, 2);
const text = new Uint8Array(calls, 8);
let watched = -1;
let since = performance.now();

setInterval(() => {
  const begun = Atomics.load(counters, 0);
  const ended = Atomics.load(counters, 1);
  if (begun === ended || begun !== watched) {
    watched = begun;
    since = performance.now();
    return;
  }
  if (performance.now() - since < timeout * 1000) return;
  const end = text.indexOf(0);
  const who = new TextDecoder().decode(text.subarray(0, end < 0 ? text.length : end));
  writeSync(
    2,
    `skysim: ${who} did not return within ${timeout} s (--policy-timeout); the run is stopped\n`,
  );
  Atomics.store(new Int32Array(flag), 0, 1);
  const session = new inspector.Session();
  session.connectToMainThread();
  session.post("Runtime.terminateExecution");
}, 250);
