/**
 * Electrical power of a host as a function of its CPU utilisation. Figures by default from the
 * team's Grid'5000 data (shared/data/grid5000, `energy_watts`): a taurus node (Lyon, 2x E5-2630)
 * as published in Batsim's energy platform, 95 W idle and 190.7 W at full load; or a SPECpower
 * table of 11 points (0%, 10%, ..., 100%) as CloudSim uses.
 */
export interface PowerModel {
  readonly description: string;
  /** Watts at utilisation u in [0, 1] of a host that is on. */
  watts(utilization: number): number;
}

export const TAURUS_WATTS = { idle: 95, full: 190.7 } as const;

/** Linear between idle and full load. */
export function linearPower(idle: number, full: number): PowerModel {
  return {
    description: `linear ${idle} W idle, ${full} W full`,
    watts: (u) => idle + (full - idle) * clamp(u),
  };
}

/** Linear interpolation in a SPECpower table of watts at 0%, 10%, ..., 100% load. */
export function specPower(table: readonly number[]): PowerModel {
  if (table.length !== 11) {
    throw new RangeError(`a SPECpower table has 11 points (0% to 100%), got ${table.length}`);
  }
  return {
    description: `SPECpower table ${table.join(" ")} W`,
    watts: (u) => {
      const x = clamp(u) * 10;
      const i = Math.min(9, Math.floor(x));
      const low = table[i] as number;
      const high = table[i + 1] as number;
      return low + (high - low) * (x - i);
    },
  };
}

function clamp(u: number): number {
  return Math.min(1, Math.max(0, u));
}

/** A power transition of a host: how long it takes and the energy it draws meanwhile. */
export interface PowerTransition {
  readonly seconds: number;
  readonly joules: number;
}

/**
 * Everything a host draws: by its CPU utilisation when on, a constant when off or crashed (the
 * BMC and PSU standby), and each transition's energy spread evenly over its duration.
 */
export interface HostEnergyModel {
  readonly power: PowerModel;
  readonly offWatts: number;
  readonly boot: PowerTransition;
  readonly shutdown: PowerTransition;
}

/**
 * A Grid'5000 taurus node as published by Batsim (the team's data, `energy_watts.taurus`): off at
 * 9.75 W, booting 151.5 s for 18,966 J, shutting down 6.1 s for 616 J.
 */
export const TAURUS_POWER_STATES = {
  off: 9.75,
  boot: { seconds: 151.5, joules: 18966 },
  shutdown: { seconds: 6.1, joules: 616 },
} as const;

/** A taurus node in every state: linear 95 W to 190.7 W when on. */
export const TAURUS_ENERGY: HostEnergyModel = {
  power: linearPower(TAURUS_WATTS.idle, TAURUS_WATTS.full),
  offWatts: TAURUS_POWER_STATES.off,
  boot: TAURUS_POWER_STATES.boot,
  shutdown: TAURUS_POWER_STATES.shutdown,
};

/** The five power states of a host; `down` is crashed (or removed, or not joined yet). */
export type PowerState = "on" | "switching-off" | "off" | "booting" | "down";
export const POWER_STATES: readonly PowerState[] = [
  "on",
  "switching-off",
  "off",
  "booting",
  "down",
];

/** Watts a host draws in `state` at CPU utilisation `utilization` (used only when on). */
export function wattsIn(model: HostEnergyModel, state: PowerState, utilization: number): number {
  switch (state) {
    case "on":
      return model.power.watts(utilization);
    case "booting":
      return model.boot.seconds > 0 ? model.boot.joules / model.boot.seconds : model.offWatts;
    case "switching-off":
      return model.shutdown.seconds > 0
        ? model.shutdown.joules / model.shutdown.seconds
        : model.offWatts;
    case "off":
    case "down":
      return model.offWatts;
  }
}
