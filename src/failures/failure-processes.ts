import type { Distribution } from "../sim/distributions.js";
import type { RandomStreams } from "../sim/random.js";
import type { FailureInjector } from "./failure-injector.js";
import type { FailureTarget } from "./failure-target.js";

/**
 * Each target alternates up-times and down-times drawn from its own stream
 * (`failures/<process>/<target>`): it fails after an up-time, is repaired after a down-time, and
 * so on. Without down-times a failure is a removal.
 */
export function renewalFailures(
  injector: FailureInjector,
  targets: readonly FailureTarget[],
  upTime: Distribution,
  downTime: Distribution | undefined,
  streams: RandomStreams,
  process: string,
): void {
  const sim = injector.sim;
  for (const target of targets) {
    const rng = streams.stream(`failures/${process}/${target.name}`);
    const fail = (): void => {
      if (downTime === undefined) {
        injector.down(target, "removal");
        return;
      }
      injector.down(target);
      sim.schedule(downTime.sample(rng), repair);
    };
    const repair = (): void => {
      injector.up(target);
      sim.schedule(upTime.sample(rng), fail);
    };
    sim.schedule(upTime.sample(rng), fail);
  }
}

/** Volatility: the targets are absent at the start and join at times drawn from `joinTime`. */
export function joiningHosts(
  injector: FailureInjector,
  targets: readonly FailureTarget[],
  joinTime: Distribution,
  streams: RandomStreams,
  process: string,
): void {
  for (const target of targets) {
    injector.down(target, "absent");
    const rng = streams.stream(`failures/${process}/${target.name}`);
    injector.sim.schedule(joinTime.sample(rng), () => {
      injector.up(target, "joined");
    });
  }
}

export interface TraceEvent {
  readonly time: number;
  readonly target: FailureTarget;
  readonly event: "down" | "up" | "remove";
}

/** Replays failure events at exactly their times (ties in the trace's order). */
export function replayFailures(injector: FailureInjector, events: readonly TraceEvent[]): void {
  for (const { time, target, event } of events) {
    injector.sim.scheduleAt(time, () => {
      if (event === "up") injector.up(target);
      else injector.down(target, event === "remove" ? "removal" : "failure");
    });
  }
}

/** `count` targets drawn without replacement from a named stream, in their platform order. */
export function randomVictims(
  targets: readonly FailureTarget[],
  count: number,
  streams: RandomStreams,
  process: string,
): FailureTarget[] {
  const rng = streams.stream(`failures/${process}/victims`);
  const indices = targets.map((_, i) => i);
  const n = Math.min(count, indices.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.next() * (indices.length - i));
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return indices
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => targets[i] as FailureTarget);
}
