import type { PowerState } from "../../compute/power-model.js";
import type { Constraint, PowerCapGroup } from "./placement-constraints.js";

/**
 * Whether a host in this power state counts against a power cap: it draws more than its standby
 * power (on, or booting, or switching off).
 */
export function countsAsOnline(state: PowerState): boolean {
  return state === "on" || state === "booting" || state === "switching-off";
}

/** One capped set of hosts, with the constraint it comes from (its place in the scenario). */
export interface PowerCap extends PowerCapGroup {
  readonly constraint: number;
}

/**
 * The scenario's maxOnline constraints over the platform's hosts: which caps each host is under,
 * and whether a host may come on given the states of the others. A host may be under several
 * caps (a site's and the whole platform's).
 */
export class PowerCaps {
  readonly caps: readonly PowerCap[];
  private readonly capsOf = new Map<number, number[]>();

  constructor(constraints: readonly Constraint[]) {
    this.caps = constraints.flatMap((constraint) =>
      constraint.caps.map((group) => ({ ...group, constraint: constraint.index })),
    );
    this.caps.forEach((cap, i) => {
      for (const host of cap.hosts) this.capsOf.set(host, [...(this.capsOf.get(host) ?? []), i]);
    });
  }

  get empty(): boolean {
    return this.caps.length === 0;
  }

  /** Indexes (in `caps`) of the caps the host is under. */
  of(host: number): readonly number[] {
    return this.capsOf.get(host) ?? [];
  }

  /** Hosts of cap `i` that count as online in the `states` given. */
  online(i: number, stateOf: (host: number) => PowerState): number {
    let count = 0;
    for (const host of this.caps[i]?.hosts ?? []) if (countsAsOnline(stateOf(host))) count++;
    return count;
  }

  /**
   * Whether the host may come on: under each of its caps, fewer than `max` other hosts count as
   * online, `extra[i]` hosts of cap i promised on besides (a look-ahead's boots).
   */
  mayComeOn(
    host: number,
    stateOf: (host: number) => PowerState,
    extra: ReadonlyMap<number, number> = new Map(),
  ): boolean {
    if (countsAsOnline(stateOf(host))) return true;
    return this.of(host).every(
      (i) => this.online(i, stateOf) + (extra.get(i) ?? 0) < (this.caps[i]?.max ?? 0),
    );
  }

  /**
   * Of the `candidates` that are off, in their order, those that may all come on together: each
   * taken only if its caps still have room after those taken before it.
   */
  bootable(candidates: readonly number[], stateOf: (host: number) => PowerState): number[] {
    // Each cap's count, taken once: the candidates taken add to it.
    const online = new Map<number, number>();
    const countOf = (i: number) => online.get(i) ?? this.online(i, stateOf);
    return candidates.filter((host) => {
      if (countsAsOnline(stateOf(host))) return true;
      const caps = this.of(host);
      if (!caps.every((i) => countOf(i) < (this.caps[i]?.max ?? 0))) return false;
      for (const i of caps) online.set(i, countOf(i) + 1);
      return true;
    });
  }

  /**
   * The hosts that start on: every host under no cap; under caps, the `pinned` ones (stores,
   * which stay on) first, then the others in id order while their caps have room.
   */
  startingOn(hosts: number, pinned: ReadonlySet<number>): Set<number> {
    const ids = Array.from({ length: hosts }, (_, id) => id);
    const capped = ids.filter((host) => this.of(host).length > 0);
    const order = [...capped.filter((h) => pinned.has(h)), ...capped.filter((h) => !pinned.has(h))];
    const on = new Set(ids.filter((host) => this.of(host).length === 0));
    const used = new Map<number, number>();
    for (const host of order) {
      const room = this.of(host).every((i) => (used.get(i) ?? 0) < (this.caps[i]?.max ?? 0));
      if (!room && !pinned.has(host)) continue;
      on.add(host);
      for (const i of this.of(host)) used.set(i, (used.get(i) ?? 0) + 1);
    }
    return on;
  }
}
