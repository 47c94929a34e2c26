import type { PowerPolicy } from "./power-policy.js";

/** No host is ever switched off (skysim's behaviour before power management). */
export function alwaysOn(): PowerPolicy {
  return { name: "always-on", idleFor: undefined, switchOff: () => false, wakeOnDemand: true };
}
