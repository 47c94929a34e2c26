import { exponential, normal } from "../sim/distributions.js";
import type { RandomStream } from "../sim/random.js";
import type { EventId, Simulation } from "../sim/simulation.js";
import { PLANETLAB_INTERVAL, PLANETLAB_SAMPLES, type PlanetLabTrace } from "./planetlab.js";

/** What a load profile drives: one VM's CPU load, as a fraction of its vCPUs in [0, 1]. */
export interface LoadTarget {
  readonly sim: Simulation;
  /** The VM's own stream: profiles of different VMs never share draws. */
  readonly rng: RandomStream;
  setLoad(fraction: number): void;
}

/** How a VM's CPU demand changes over time. */
export interface LoadProfile {
  readonly description: string;
  /** Starts driving the target's load; the returned function stops it. */
  start(target: LoadTarget): () => void;
}

/** Always `fraction` of the VM's vCPUs busy. */
export function constantLoad(fraction: number): LoadProfile {
  requireFraction("constant load", fraction);
  return {
    description: `constant(${fraction})`,
    start: (target) => {
      target.setLoad(fraction);
      return () => undefined;
    },
  };
}

/**
 * VMPlaceS's load injector: at exponentially distributed intervals (mean `meanInterval` s), a new
 * load drawn from a Gaussian of mean `mean` and deviation `sd`, clipped to [0, 1]. The first
 * load is drawn at the start.
 */
export function injectorLoad(mean: number, sd: number, meanInterval: number): LoadProfile {
  const level = normal(mean, sd);
  const gap = exponential(meanInterval);
  return {
    description: `injector(mean ${mean}, sd ${sd}, every ${meanInterval} s on average)`,
    start: (target) => {
      let next: EventId | undefined;
      const change = (): void => {
        target.setLoad(Math.min(1, Math.max(0, level.sample(target.rng))));
        next = target.sim.schedule(gap.sample(target.rng), change);
      };
      change();
      return () => {
        if (next !== undefined) target.sim.cancel(next);
      };
    },
  };
}

/**
 * Replays VM `vm` of a PlanetLab day: sample k (percent) holds from k x 300 s to (k + 1) x 300 s
 * after the start; after the 288th sample the day starts over.
 */
export function planetLabLoad(trace: PlanetLabTrace, vm: number): LoadProfile {
  if (!(Number.isInteger(vm) && vm >= 0 && vm < trace.vms.length)) {
    throw new RangeError(`planetlab ${trace.day} has VMs 0 to ${trace.vms.length - 1}, not ${vm}`);
  }
  const offset = vm * PLANETLAB_SAMPLES;
  return {
    description: `planetlab ${trace.day} ${trace.vms[vm] ?? ""}`,
    start: (target) => {
      let next: EventId | undefined;
      let k = 0;
      const step = (): void => {
        target.setLoad((trace.percent[offset + k] ?? 0) / 100);
        k = (k + 1) % PLANETLAB_SAMPLES;
        next = target.sim.schedule(PLANETLAB_INTERVAL, step);
      };
      step();
      return () => {
        if (next !== undefined) target.sim.cancel(next);
      };
    },
  };
}

function requireFraction(what: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`${what}: expected a fraction in [0, 1], got ${value}`);
  }
}
