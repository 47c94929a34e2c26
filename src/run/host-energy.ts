import {
  type HostEnergyModel,
  type PowerModel,
  linearPower,
  specPower,
} from "../compute/power-model.js";
import type { Platform } from "../platform/platform.js";
import type { HostEnergySpec } from "../scenario/output-section.js";
import type { Scenario } from "../scenario/schema.js";

function modelOf(spec: HostEnergySpec): HostEnergyModel {
  const power: PowerModel =
    spec.type === "linear" ? linearPower(spec.idle, spec.full) : specPower(spec.watts);
  return {
    power,
    offWatts: spec.off,
    boot: { seconds: spec.boot.duration, joules: spec.boot.energy },
    shutdown: { seconds: spec.shutdown.duration, joules: spec.shutdown.energy },
  };
}

/** Each host's energy model: its cluster's, if the scenario gives one, else the scenario's. */
export function hostEnergyModels(
  energy: Scenario["energy"],
  platform: Platform,
): (host: number) => HostEnergyModel {
  const fallback = modelOf(energy);
  const byCluster = new Map(
    Object.entries(energy.clusters ?? {}).map(([cluster, spec]) => [cluster, modelOf(spec)]),
  );
  const models = platform.hosts.map((host) => byCluster.get(host.cluster) ?? fallback);
  return (host) => models[host] ?? fallback;
}
