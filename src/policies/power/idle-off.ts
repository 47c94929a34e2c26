import type { PowerPolicy, PowerView } from "./power-policy.js";

/**
 * Switches off a host that has been empty for `idleFor`, unless its site would then have fewer
 * than `spare` empty hosts on (kept to start new vjobs without waiting for a boot).
 */
export function idleOff(idleFor: number, spare: number): PowerPolicy {
  return {
    name: "idle-off",
    idleFor,
    wakeOnDemand: true,
    switchOff: (view, host) => emptyHostsOn(view, host) >= spare,
  };
}

/** Empty hosts that are on in `host`'s site, `host` not counted. */
function emptyHostsOn(view: PowerView, host: number): number {
  const { platform } = view;
  const site = platform.sites[platform.hosts[host]?.site ?? -1];
  let count = 0;
  for (const cluster of site?.clusters ?? []) {
    for (const other of cluster.hosts) {
      const memory = platform.hosts[other]?.memory ?? 0;
      if (other !== host && view.powerState(other) === "on" && view.freeMemory(other) === memory) {
        count++;
      }
    }
  }
  return count;
}
