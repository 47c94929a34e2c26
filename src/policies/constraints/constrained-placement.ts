import type { VmSpec } from "../../compute/vm.js";
import type { CloudView } from "../cloud-view.js";
import type { Placement } from "../placement/placement.js";
import {
  type Constraint,
  admits,
  apartFrom,
  appliesTo,
  membersOf,
} from "./placement-constraints.js";
import type { VjobPlaces } from "./vjob-places.js";

/** The view seen through, with the set's constraints as `admits` (the view's own methods kept). */
function withAdmits(
  view: CloudView,
  admit: (host: number, chosen: readonly number[]) => boolean,
): CloudView {
  return Object.assign(Object.create(view) as CloudView, { admits: admit });
}

/**
 * The placement honouring the scenario's constraints: the vjob's VMs go only where every
 * constraint on it admits them (after its earlier VMs, and the VMs of the vjobs it is grouped
 * with). If there is no such placement, the constraints that `allow` a violation are dropped and
 * the placement tried again; those that `wait` keep the vjob waiting.
 */
export function constrainedPlacement(
  base: Placement,
  constraints: readonly Constraint[],
  places: VjobPlaces,
): Placement {
  return {
    name: base.name,
    place(view: CloudView, vms: readonly VmSpec[], homeSite: number | undefined) {
      const vjob = places.vjobOf(vms);
      // The vjob's constraints, and every lonely one: a lonely vjob's hosts are closed to others.
      const mine =
        vjob === undefined
          ? []
          : constraints.filter((c) => appliesTo(c, vjob) || c.type === "lonely");
      if (vjob === undefined || mine.length === 0) return base.place(view, vms, homeSite);
      /** Whether a VM of the vjob on the host would share it against a lonely constraint. */
      const stranger = (c: Constraint, host: number) =>
        [...places.vjobsOn(host)].some(
          (other) =>
            other !== vjob &&
            ((appliesTo(c, vjob) && !membersOf(c, vjob).includes(other)) ||
              (appliesTo(c, other) && !membersOf(c, other).includes(vjob))),
        );
      const under = (kept: readonly Constraint[]) => {
        // The hosts the rest of each constraint's group occupies (a split's: the other groups').
        const others = kept.map((c) =>
          c.vjobs === "each"
            ? []
            : (c.type === "split"
                ? apartFrom(c, vjob)
                : [...c.vjobs].filter((v) => v !== vjob)
              ).flatMap((v) => places.hostsOf(v)),
        );
        // A gathered vjob (or one kept in one site or cluster) whose first VM's host leaves no
        // room for the others tries again without that host, until one does or none is left.
        const gathered = kept.some((c) => c.type === "gather" || c.type === "among");
        const tried = new Set<number>();
        // The host the first VM took, seen when the next VMs are asked about.
        const firsts: number[] = [];
        const admit = (host: number, chosen: readonly number[]) => {
          if (chosen.length === 0 && tried.has(host)) return false;
          if (chosen.length > 0 && chosen[0] !== undefined) firsts[0] = chosen[0];
          // A split keeps the vjob's own VMs together at will: only the other groups count. The
          // reservations of VMs placed already are the host's; those chosen here are not yet.
          const reserved = view.reservedOn?.(host);
          const cores = view.platform.hosts[host]?.cores ?? 0;
          const unreserved = reserved === undefined ? {} : { unreserved: cores - reserved };
          return kept.every((c, i) =>
            admits(
              c,
              view.platform,
              host,
              c.type === "split"
                ? (others[i] ?? [])
                : c.type === "preserve"
                  ? chosen
                  : [...chosen, ...(others[i] ?? [])],
              {
                stranger: c.type === "lonely" && stranger(c, host),
                now: view.sim.now,
                ...unreserved,
              },
            ),
          );
        };
        for (;;) {
          firsts.length = 0;
          const hosts = base.place(withAdmits(view, admit), vms, homeSite);
          const first = firsts[0];
          if (hosts !== undefined || !gathered || first === undefined) return hosts;
          tried.add(first);
        }
      };
      const hosts = under(mine);
      if (hosts !== undefined) return hosts;
      const waiting = mine.filter((c) => c.onViolation === "wait");
      if (waiting.length === mine.length) return undefined;
      return waiting.length === 0 ? base.place(view, vms, homeSite) : under(waiting);
    },
  };
}
