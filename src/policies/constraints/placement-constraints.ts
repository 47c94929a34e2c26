import type { Platform } from "../../platform/platform.js";
import type { ConstraintSpec } from "../../scenario/constraints-section.js";
import type { Whereabouts } from "./vjob-places.js";

/** A constraint of the scenario, its names resolved on the platform. */
export interface Constraint {
  /** Its place in the scenario's `constraints` list. */
  readonly index: number;
  readonly type: ConstraintSpec["type"];
  /** "each": every vjob on its own; else the group of vjobs it holds together. */
  readonly vjobs: "each" | ReadonlySet<string>;
  /** spread: what the VMs must not share; among: what they must share. */
  readonly across: "host" | "site" | "cluster";
  /** split: the groups of vjobs kept apart (their union is `vjobs`). */
  readonly groups: readonly ReadonlySet<string>[];
  /** fence: the hosts allowed; ban: the hosts forbidden; quarantine: the hosts closed (ids). */
  readonly hosts: ReadonlySet<number>;
  readonly onViolation: "wait" | "allow";
  /** quarantine: when its hosts (`hosts`) are under maintenance, from (inclusive) until. */
  readonly window: { readonly from: number; readonly until: number };
  /** Kept at every instant, plans included (else once each plan is done); root always is. */
  readonly continuous: boolean;
  /**
   * maxOnline: the sets of hosts (`hosts`, per site or cluster if asked) of which at most `max`
   * are on at once, each named for the reports (a site's or a cluster's name, or those the
   * constraint gives, or "the platform").
   */
  readonly caps: readonly PowerCapGroup[];
  /** preserve: the cores each VM keeps (its CPU reservation); 0 for the others. */
  readonly cores: number;
}

/** Hosts of which a maxOnline constraint lets at most `max` be on at once. */
export interface PowerCapGroup {
  readonly name: string;
  readonly hosts: readonly number[];
  readonly max: number;
}

/** The constraints that name hosts, clusters or sites. */
export type PlaceSpec = Extract<
  ConstraintSpec,
  { type: "fence" | "ban" | "quarantine" | "maxOnline" }
>;

export function namesPlaces(spec: ConstraintSpec): spec is PlaceSpec {
  return (
    spec.type === "fence" ||
    spec.type === "ban" ||
    spec.type === "quarantine" ||
    spec.type === "maxOnline"
  );
}

/**
 * The host ids a fence, ban, quarantine or maxOnline names: its hosts, its clusters' and its
 * sites' (a maxOnline naming none: every host).
 */
function hostsNamed(spec: ConstraintSpec, platform: Platform): Set<number> {
  if (!namesPlaces(spec)) return new Set();
  const hosts = new Set<number>();
  const names = (list: readonly string[] | undefined) => new Set(list ?? []);
  const [byHost, byCluster, bySite] = [names(spec.hosts), names(spec.clusters), names(spec.sites)];
  const all = spec.type === "maxOnline" && byHost.size + byCluster.size + bySite.size === 0;
  for (const site of platform.sites) {
    for (const cluster of site.clusters) {
      for (const host of cluster.hosts) {
        const name = platform.hosts[host]?.name ?? "";
        if (all || byHost.has(name) || byCluster.has(cluster.name) || bySite.has(site.name)) {
          hosts.add(host);
        }
      }
    }
  }
  return hosts;
}

/** A maxOnline's capped sets: its hosts together, or those of each site (cluster) apart. */
function capGroupsOf(spec: ConstraintSpec, hosts: ReadonlySet<number>, platform: Platform) {
  if (spec.type !== "maxOnline") return [];
  // The hosts together are named by what the constraint names (the whole platform if nothing).
  const named = [...(spec.sites ?? []), ...(spec.clusters ?? []), ...(spec.hosts ?? [])];
  const whole = named.length === 0 ? "the platform" : named.join(", ");
  const groups = new Map<string, number[]>();
  for (const site of platform.sites) {
    for (const cluster of site.clusters) {
      const name = spec.per === "all" ? whole : spec.per === "site" ? site.name : cluster.name;
      const members = cluster.hosts.filter((host) => hosts.has(host));
      if (members.length > 0) groups.set(name, [...(groups.get(name) ?? []), ...members]);
    }
  }
  return [...groups].map(([name, members]) => ({
    name,
    hosts: members.sort((a, b) => a - b),
    max: spec.max,
  }));
}

/**
 * The scenario's constraints, resolved: names of replicated services (`services`: each one's
 * replicas) stand for all their replicas.
 */
export function resolveConstraints(
  specs: readonly ConstraintSpec[],
  platform: Platform,
  services: ReadonlyMap<string, readonly string[]> = new Map(),
): Constraint[] {
  const vjobsOf = (names: readonly string[]) =>
    new Set(names.flatMap((name) => services.get(name) ?? [name]));
  return specs.map((spec, index) => {
    const hosts = hostsNamed(spec, platform);
    // Root, quarantine and maxOnline are kept by refusing moves or boots: continuous by nature,
    // nothing to allow.
    const absolute =
      spec.type === "root" || spec.type === "quarantine" || spec.type === "maxOnline";
    return {
      index,
      type: spec.type,
      vjobs:
        spec.type === "split"
          ? vjobsOf(spec.groups.flat())
          : spec.type === "maxOnline"
            ? new Set<string>()
            : spec.type === "quarantine" || spec.vjobs === "each"
              ? "each"
              : vjobsOf(spec.vjobs),
      groups: spec.type === "split" ? spec.groups.map(vjobsOf) : [],
      across: spec.type === "spread" ? spec.across : spec.type === "among" ? spec.within : "host",
      hosts,
      onViolation: absolute ? "wait" : spec.onViolation,
      window:
        spec.type === "quarantine"
          ? { from: spec.from, until: spec.until ?? Infinity }
          : { from: 0, until: Infinity },
      continuous: absolute || spec.holds === "continuous",
      caps: capGroupsOf(spec, hosts, platform),
      cores: spec.type === "preserve" ? spec.cores : 0,
    };
  });
}

/** The host, its site or its cluster, as the constraint's `across` counts places. */
function placeOf(constraint: Constraint, platform: Platform, host: number): string {
  const at = platform.hosts[host];
  if (constraint.across === "site") return `site ${at?.site ?? -1}`;
  if (constraint.across === "cluster") return `cluster ${at?.site ?? -1} ${at?.cluster ?? ""}`;
  return `host ${host}`;
}

/** Whether a constraint holds over some vjobs' VMs. */
export function appliesTo(constraint: Constraint, vjob: string): boolean {
  return constraint.vjobs === "each" || constraint.vjobs.has(vjob);
}

/** Whether a quarantine keeps VMs from arriving on or leaving the host at time `now`. */
export function quarantined(constraint: Constraint, host: number, now: number): boolean {
  const { from, until } = constraint.window;
  return (
    constraint.type === "quarantine" && constraint.hosts.has(host) && now >= from && now < until
  );
}

/** Whether any of the constraints is a quarantine of the host (if any) at time `now`. */
export function inQuarantine(
  constraints: readonly Constraint[],
  host: number | undefined,
  now: number,
): boolean {
  return host !== undefined && constraints.some((c) => quarantined(c, host, now));
}

/**
 * Whether a VM may go to `host` at time `now`, given the hosts `taken` by the other VMs the
 * constraint holds together (its vjob's, or its group's), whether a VM of a vjob outside them
 * is on the host (`stranger`) and the cores its CPU reservations leave free (`unreserved`, if
 * known): a spread forbids a host (or a site) already taken, a gather every host but the one
 * taken, a fence every host it does not name, a ban every host it names, a lonely one a host
 * with a stranger, a quarantine its hosts while it lasts, a preserve a host without the cores
 * to reserve; a root constraint says nothing of where VMs start.
 */
export function admits(
  constraint: Constraint,
  platform: Platform,
  host: number,
  taken: Iterable<number>,
  at: { readonly stranger: boolean; readonly now: number; readonly unreserved?: number },
): boolean {
  switch (constraint.type) {
    // Beyond placement, reservations are kept by consolidations' packing (a VM packed with at
    // least its reserved cores) and measured by the CPU granted.
    case "preserve": {
      let free = at.unreserved ?? Infinity;
      for (const other of taken) if (other === host) free -= constraint.cores;
      return free >= constraint.cores;
    }
    // A power cap is about which hosts are on: a host that is off is no candidate anyway.
    case "maxOnline":
      return true;
    case "quarantine":
      return !quarantined(constraint, host, at.now);
    case "lonely":
      return !at.stranger;
    case "fence":
      return constraint.hosts.has(host);
    case "ban":
      return !constraint.hosts.has(host);
    case "root":
      return true;
    case "split": {
      for (const other of taken) if (other === host) return false;
      return true;
    }
    case "gather": {
      for (const other of taken) if (other !== host) return false;
      return true;
    }
    case "among": {
      const place = placeOf(constraint, platform, host);
      for (const other of taken) if (placeOf(constraint, platform, other) !== place) return false;
      return true;
    }
    case "spread": {
      const siteOf = (id: number) => platform.hosts[id]?.site;
      for (const other of taken) {
        if (constraint.across === "host" ? other === host : siteOf(other) === siteOf(host)) {
          return false;
        }
      }
      return true;
    }
  }
}

/**
 * A continuous gather or among: kept while its VMs live-migrate only if they move within their
 * host, site or cluster (a migrating VM occupies both its hosts; no order of moves helps).
 */
export function keptOnlyInPlace(constraint: Constraint): boolean {
  return constraint.continuous && (constraint.type === "gather" || constraint.type === "among");
}

/** Whether a constraint on a vjob keeps it from flying to another site by live migration. */
export function forbidsLiveFlight(constraint: Constraint): boolean {
  return constraint.type === "root" || keptOnlyInPlace(constraint);
}

/** The vjobs a split keeps apart from `vjob`: those of the other groups. */
export function apartFrom(constraint: Constraint, vjob: string): string[] {
  return constraint.groups.filter((group) => !group.has(vjob)).flatMap((group) => [...group]);
}

/**
 * The vjobs whose VMs a constraint on `vjob` holds together: the vjob alone for `each`, else its
 * group (a split's: all its groups).
 */
export function membersOf(constraint: Constraint, vjob: string): string[] {
  return constraint.vjobs === "each" ? [vjob] : [...constraint.vjobs];
}

/** Whether a split holds: no host occupied by VMs of two of its groups (`occupied` per group). */
function splitHolds(occupiedByGroup: readonly (readonly (readonly number[])[])[]): boolean {
  const groupOf = new Map<number, number>();
  for (const [g, occupied] of occupiedByGroup.entries()) {
    for (const host of occupied.flat()) {
      const seen = groupOf.get(host);
      if (seen !== undefined && seen !== g) return false;
      groupOf.set(host, g);
    }
  }
  return true;
}

/**
 * Whether a constraint holds over its `members`' VMs, the VMs where `where` says (a VM migrating
 * occupies its source and its destination; each VM's hosts are one entry): spread, no host (site)
 * occupied by two VMs; gather, one host for all; among, one site (cluster); split, no host
 * occupied by two groups; lonely, no host of theirs holding another vjob's VM; root, no VM
 * migrating; fence and ban, every host occupied admitted.
 */
export function holds(
  constraint: Constraint,
  platform: Platform,
  members: readonly string[],
  where: Whereabouts,
): boolean {
  const occupiedOf = (vjob: string) => where.occupied(vjob);
  if (constraint.type === "split") {
    return splitHolds(constraint.groups.map((group) => [...group].flatMap(occupiedOf)));
  }
  // A quarantine is about moves, not places: placement, consolidations and plans keep it, and
  // ConstraintMetrics watches its hosts' arrivals and departures. A maxOnline is about hosts
  // (PowerCaps): it holds over no vjob.
  // A preserve is about what a host's cores are reserved for, by every vjob: placement and the
  // consolidations' packing keep it, ConstraintMetrics measures the CPU granted.
  if (
    constraint.type === "quarantine" ||
    constraint.type === "maxOnline" ||
    constraint.type === "preserve"
  ) {
    return true;
  }
  const occupied = members.flatMap(occupiedOf);
  if (constraint.type === "lonely") {
    const own = new Set(members);
    return [...new Set(occupied.flat())].every((host) =>
      [...where.vjobsOn(host)].every((vjob) => own.has(vjob)),
    );
  }
  if (constraint.type === "root") return occupied.every((hosts) => hosts.length <= 1);
  if (constraint.type === "gather") return new Set(occupied.flat()).size <= 1;
  if (constraint.type === "among") {
    return new Set(occupied.flat().map((host) => placeOf(constraint, platform, host))).size <= 1;
  }
  if (constraint.type !== "spread") {
    return occupied.every((hosts) =>
      hosts.every((host) => admits(constraint, platform, host, [], { stranger: false, now: 0 })),
    );
  }
  const seen = new Set<number>();
  for (const hosts of occupied) {
    const places = new Set(
      hosts.map((host) =>
        constraint.across === "host" ? host : (platform.hosts[host]?.site ?? -1),
      ),
    );
    for (const place of places) {
      if (seen.has(place)) return false;
      seen.add(place);
    }
  }
  return true;
}
