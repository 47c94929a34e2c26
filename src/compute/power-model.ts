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
