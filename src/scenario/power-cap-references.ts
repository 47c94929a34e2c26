import type { Platform } from "../platform/platform.js";
import type { Constraint } from "../policies/constraints/placement-constraints.js";
import { PowerCaps } from "../policies/constraints/power-caps.js";
import { storesOf } from "../policies/faulttolerance/snapshot-stores.js";
import type { PoliciesSection } from "./policies-section.js";
import type { Problem } from "./problems.js";
import type { VjobsWorkload } from "./vjobs-section.js";

/**
 * The hosts that stay on whatever the power policy: the image store, and Saline's snapshot store
 * on each site (named, or the site's first host); a power cap must leave room for them.
 */
export function storageHostsOf(
  policies: PoliciesSection,
  workload: VjobsWorkload,
  platform: Platform,
): Map<number, string> {
  const stores = new Map<number, string>();
  const image = platform.hosts.find((host) => host.name === workload.boot.imageStore);
  if (image !== undefined) stores.set(image.id, "the image store");
  if (policies.faultTolerance.name === "saline") {
    const named = policies.faultTolerance.stores;
    const names = Array.isArray(named) ? named.map(String) : undefined;
    if (names?.every((name) => platform.hosts.some((host) => host.name === name)) !== false) {
      for (const store of storesOf(platform, names)) {
        if (store !== undefined && !stores.has(store)) stores.set(store, "a snapshot store");
      }
    }
  }
  return stores;
}

/** A maxOnline whose caps hold more stores (which stay on) than they let be on. */
export function powerCapProblems(
  constraints: readonly Constraint[],
  stores: ReadonlyMap<number, string>,
  platform: Platform,
): Problem[] {
  return constraints.flatMap((constraint) =>
    constraint.caps.flatMap((cap) => {
      const held = cap.hosts.filter((host) => stores.has(host));
      if (held.length <= cap.max) return [];
      const which = held.map(
        (host) => `${platform.hosts[host]?.name ?? host} (${stores.get(host) ?? ""})`,
      );
      return [
        {
          path: `constraints[${constraint.index}].max`,
          message: `expected at least ${held.length} for ${cap.name}: its hosts ${which.join(", ")} stay on, got ${cap.max}`,
        },
      ];
    }),
  );
}

/**
 * Of the `candidates` (host ids, in order), those that may be on together under the power caps:
 * the stores count first in their caps; a candidate is kept while each of its caps has room, and
 * only if its `place` (host, site...) is not kept yet, so that the result counts the distinct
 * places the caps let a vjob use.
 */
export function usableUnderCaps(
  constraints: readonly Constraint[],
  stores: ReadonlySet<number>,
  candidates: readonly number[],
  place: (host: number) => string | number = (host) => host,
): number[] {
  const index = new PowerCaps(constraints);
  const caps = index.caps;
  const used = caps.map((cap) => cap.hosts.filter((host) => stores.has(host)).length);
  const capsOf = (host: number) => index.of(host);
  const places = new Set<string | number>();
  return candidates.filter((host) => {
    const at = place(host);
    if (places.has(at)) return false;
    const mine = capsOf(host);
    const free = stores.has(host) || mine.every((i) => (used[i] ?? 0) < (caps[i]?.max ?? 0));
    if (!free) return false;
    if (!stores.has(host)) for (const i of mine) used[i] = (used[i] ?? 0) + 1;
    places.add(at);
    return true;
  });
}
