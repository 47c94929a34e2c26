import type { Cloud } from "../compute/cloud.js";
import type { PowerState } from "../compute/power-model.js";
import type { Assignment, Configuration } from "../policies/consolidation/configuration.js";

/** What power management lets a consolidation plan do with hosts. */
export interface PlanPower {
  /** Whether hosts that are off may be booted for a target (they are in the configuration). */
  readonly wakes: boolean;
  /** Of these hosts that are off, those that may all be booted together (power caps). */
  readonly bootable: (off: readonly number[]) => number[];
  /** Whether an emptied host may be switched off (not a store, nothing moving through it). */
  mayPowerOff(host: number): boolean;
}

/** The power actions around a plan's pools: boots before them, switch-offs after. */
export interface PowerActions {
  /** Hosts that are off and receive VMs in the target: booted first, all together. */
  readonly boot: readonly number[];
  /** Hosts that hold VMs now and none in the target: switched off once the pools are over. */
  readonly switchOff: readonly number[];
  /** Expected seconds: the longest boot plus the longest shutdown (0 for none). */
  readonly seconds: number;
}

const NO_POWER_ACTIONS: PowerActions = { boot: [], switchOff: [], seconds: 0 };

export function powerActionsOf(
  cloud: Cloud,
  configuration: Configuration,
  target: Assignment,
  power: PlanPower | undefined,
): PowerActions {
  if (power === undefined) return NO_POWER_ACTIONS;
  const before = new Set<number>();
  const after = new Set<number>();
  configuration.vms.forEach((vm) => {
    if (vm.host !== undefined) before.add(vm.host);
    const to = target[vm.id];
    if (to !== undefined) after.add(to);
  });
  const boot = configuration.hosts
    .filter((host) => host.off === true && after.has(host.id))
    .map((host) => host.id);
  const switchOff = configuration.hosts
    .filter((host) => before.has(host.id) && !after.has(host.id) && power.mayPowerOff(host.id))
    .map((host) => host.id);
  const longest = (hosts: readonly number[], of: (host: number) => number): number =>
    hosts.reduce((max, host) => Math.max(max, of(host)), 0);
  return {
    boot,
    switchOff,
    seconds:
      longest(boot, (host) => cloud.energyOf(host).boot.seconds) +
      longest(switchOff, (host) => cloud.energyOf(host).shutdown.seconds),
  };
}

/**
 * Boots `hosts` (those still off) and calls `onDone` with how many it started, once each is on or
 * cannot be (crashed).
 */
export function bootAll(
  cloud: Cloud,
  hosts: readonly number[],
  onDone: (started: number) => void,
): void {
  awaitStates(cloud, hosts, (host) => cloud.powerOn(host), ["on", "down"], onDone);
}

/**
 * Switches off `hosts` that are still empty and on, and calls `onDone` with how many it started,
 * once each is off (or crashed).
 */
export function switchOffAll(
  cloud: Cloud,
  hosts: readonly number[],
  onDone: (started: number) => void,
): void {
  awaitStates(cloud, hosts, (host) => cloud.switchOff(host), ["off", "down"], onDone);
}

function awaitStates(
  cloud: Cloud,
  hosts: readonly number[],
  start: (host: number) => boolean,
  ends: readonly PowerState[],
  onDone: (started: number) => void,
): void {
  if (hosts.length === 0) {
    // Nothing to wait for: no event of its own, so a plan without power actions runs as before.
    onDone(0);
    return;
  }
  const waiting = new Set(hosts.filter((host) => start(host)));
  const started = waiting.size;
  const done = (): void => {
    onDone(started);
  };
  for (const host of waiting) if (ends.includes(cloud.powerState(host))) waiting.delete(host);
  if (waiting.size === 0) {
    cloud.sim.schedule(0, done);
    return;
  }
  const unsubscribe = cloud.hostPowerChanged.subscribe(({ host, to }) => {
    if (!waiting.has(host) || !ends.includes(to)) return;
    waiting.delete(host);
    if (waiting.size > 0) return;
    unsubscribe();
    cloud.sim.schedule(0, done);
  });
}
