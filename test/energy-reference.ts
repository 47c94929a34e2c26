import type { Cloud } from "../src/compute/cloud.js";
import { wattsIn } from "../src/compute/power-model.js";

/** Every host's power now, from its state and utilisation, summed. */
function totalWatts(cloud: Cloud): number {
  return cloud.platform.hosts.reduce(
    (sum, host) =>
      sum +
      wattsIn(cloud.energyOf(host.id), cloud.powerState(host.id), cloud.cpu.utilization(host.id)),
    0,
  );
}

/**
 * The slow twin of CloudMetrics' energy: after every event (an invariant hook, so the simulation
 * must have its checks enabled), the power of every host recomputed from scratch, held constant
 * until the next event. Returns the energy up to a time, kWh.
 */
export function energyReference(cloud: Cloud): (until: number) => number {
  const { sim } = cloud;
  let joules = 0;
  let last = sim.now;
  let watts = totalWatts(cloud);
  sim.addInvariant("energy reference", () => {
    joules += watts * (sim.now - last);
    last = sim.now;
    watts = totalWatts(cloud);
    return undefined;
  });
  return (until) => (joules + watts * (until - last)) / 3.6e6;
}
