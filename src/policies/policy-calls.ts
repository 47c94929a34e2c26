/**
 * What a watchdog thread sees of the calls into user policy modules, in memory shared with it:
 * calls begun and ended (a call is in progress while they differ) and, as UTF-8, which policy
 * and method the last one begun is. The model never reads it: it only lets the CLI stop a run
 * whose user module never returns (a loop that cannot be interrupted from inside the thread).
 */
export const POLICY_CALLS = new SharedArrayBuffer(8 + 1024);

const counters = new Int32Array(POLICY_CALLS, 0, 2);
const text = new Uint8Array(POLICY_CALLS, 8);
const encoder = new TextEncoder();
let lastWho = "";

export function callBegins(who: string): void {
  if (who !== lastWho) {
    const bytes = encoder.encode(who).subarray(0, text.length - 1);
    text.fill(0);
    text.set(bytes);
    lastWho = who;
  }
  Atomics.add(counters, 0, 1);
}

export function callEnds(): void {
  Atomics.add(counters, 1, 1);
}
