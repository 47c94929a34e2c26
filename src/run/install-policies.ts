import type { Cloud } from "../compute/cloud.js";
import { ConsolidationMetrics } from "../output/consolidation-metrics.js";
import type { PoliciesSection } from "../scenario/policies-section.js";
import type { RandomStreams } from "../sim/random.js";
import { VjobRunner, type VjobRunnerOptions, type WakeRequest } from "../workload/vjob-runner.js";
import { ConsolidationLoop } from "./consolidation-loop.js";
import type { ConsolidationManager } from "./consolidation-manager.js";
import { DistributedManager } from "./distributed-manager.js";
import { HierarchicalManager } from "./hierarchical-manager.js";
import type { ConsolidationPolicy } from "../policies/consolidation/consolidation-policy.js";
import { makePolicy } from "./make-policy.js";
import { installSkyRelocation } from "./sky-relocation.js";
import { PowerManager } from "./power-manager.js";
import type { FaultTolerancePolicy } from "../policies/faulttolerance/fault-tolerance.js";
import type { PolicyObjects } from "../policies/policy-objects.js";
import { constrainedPlacement } from "../policies/constraints/constrained-placement.js";
import {
  type Constraint,
  appliesTo,
  forbidsLiveFlight,
  inQuarantine,
} from "../policies/constraints/placement-constraints.js";
import { VjobPlaces } from "../policies/constraints/vjob-places.js";
import { PowerCaps } from "../policies/constraints/power-caps.js";

/**
 * Makes the scenario's policies and wires them to the cloud: the vjob runner with the placement
 * and the fault tolerance, and the consolidation's control loop (none for "none").
 * A consolidation that schedules vjobs (a context switch) starts them itself: the runner then only
 * queues them.
 */
export function installPolicies(
  policies: PoliciesSection,
  cloud: Cloud,
  streams: RandomStreams,
  baseDir: string,
  boot: Pick<VjobRunnerOptions, "bootDelay" | "imageStore">,
  /** Policies given as objects (the library's), instead of the scenario's of their kinds. */
  objects: PolicyObjects = {},
  /** The scenario's placement constraints, resolved on the platform. */
  constraints: readonly Constraint[] = [],
): {
  readonly runner: VjobRunner;
  /** Where each vjob's VMs are (followed for the constraints). */
  readonly places: VjobPlaces;
  readonly decisions: ConsolidationMetrics;
  readonly manager: ConsolidationManager;
} {
  const faultTolerance =
    objects.faultTolerance ??
    makePolicy("faultTolerance", policies.faultTolerance, streams, baseDir);
  const { period, scope, demand, headroom, manager } = policies.consolidation;
  const consolidation =
    objects.consolidation ??
    makePolicy("consolidation", policies.consolidation, streams, baseDir, [
      "period",
      "scope",
      "demand",
      "headroom",
      "manager",
    ]);
  const controlled = consolidation.schedulesVjobs === true;
  const sky = objects.sky ?? makePolicy("sky", policies.sky, streams, baseDir, ["period"]);
  const places = new VjobPlaces();
  const chosen = objects.placement ?? makePolicy("placement", policies.placement, streams, baseDir);
  const placement =
    constraints.length === 0 ? chosen : constrainedPlacement(chosen, constraints, places);
  const power = new PowerManager(
    cloud,
    objects.power ?? makePolicy("power", policies.power, streams, baseDir),
    storageHosts(cloud, boot.imageStore, faultTolerance),
    new PowerCaps(constraints),
  );
  const planPower = power.planPower();
  const runner = new VjobRunner(cloud, streams, {
    ...boot,
    placement,
    // Only a policy that switches hosts off has hosts to wake.
    ...(planPower?.wakes === true
      ? { wake: (waiting: readonly WakeRequest[]) => power.wake(placement, waiting) }
      : {}),
    siteFor: (vms, homeSite, from) => sky.siteFor(cloud, { vms, homeSite, from }),
    faultTolerance,
    admission: controlled ? "controller" : "queue",
  });
  places.follow(runner);
  // Lonely constraints are about other vjobs' VMs on a host: places keeps a host index then.
  if (constraints.some((c) => c.type === "lonely")) places.trackHosts(cloud);
  // What every decision sees and may do, whoever schedules the vjobs.
  const seen = {
    scope,
    demand,
    headroom,
    ...(planPower === undefined ? {} : { power: planPower }),
    ...(constraints.length === 0
      ? {}
      : {
          constraints: {
            constraints,
            platform: cloud.platform,
            places,
            clock: cloud.sim,
            reservedOn: (host: number) => cloud.reservedOn(host),
          },
        }),
  };
  // A policy scheduling vjobs has one queue for the sky: one manager (validation refuses the
  // built-in context switch with another; a user module's is given one).
  const loop: ConsolidationManager = controlled
    ? new ConsolidationLoop(cloud, consolidation, period, {
        ...seen,
        vjobs: () => runner.pending().map((record) => record.vms),
        run: (vm, host) => {
          runner.bootQueued(vm, host);
        },
      })
    : managerOf(manager, cloud, consolidation, period, seen);
  const decisions = new ConsolidationMetrics(loop, consolidation.name, period);
  // A vjob flies by snapshot only if a constraint forbids its live migration, or while one of
  // its VMs is on a host in quarantine.
  installSkyRelocation(
    cloud,
    runner,
    sky,
    policies.sky.period,
    (vjob) =>
      constraints.some((c) => forbidsLiveFlight(c) && appliesTo(c, vjob)) ||
      places.vmsOf(vjob).some((vm) => inQuarantine(constraints, vm.host, cloud.sim.now)),
  );
  // "none" is no control loop at all, rather than one deciding nothing every period.
  if (objects.consolidation !== undefined || policies.consolidation.name !== "none") loop.start();
  return { runner, places, decisions, manager: loop };
}

/** The consolidation's managers: one loop per site or for the sky, group managers, or partitions. */
function managerOf(
  manager: PoliciesSection["consolidation"]["manager"],
  cloud: Cloud,
  policy: ConsolidationPolicy,
  period: number,
  seen: ConstructorParameters<typeof ConsolidationLoop>[3] & { scope: "site" | "sky" },
): ConsolidationManager {
  switch (manager.type) {
    case "centralised":
      return new ConsolidationLoop(cloud, policy, period, seen);
    case "hierarchical":
      return new HierarchicalManager(cloud, policy, period, manager.groupSize, seen);
    case "distributed":
      return new DistributedManager(cloud, policy, period, {
        scope: seen.scope,
        ...(seen.headroom === undefined ? {} : { headroom: seen.headroom }),
        ...(seen.constraints === undefined ? {} : { constraints: seen.constraints }),
      });
  }
}

/**
 * Hosts a power policy must not switch off: the image store and the snapshot stores (each site's
 * store as seen at the start, when every host is on), which hold images between transfers.
 */
function storageHosts(
  cloud: Cloud,
  imageStore: number | undefined,
  faultTolerance: FaultTolerancePolicy,
): Set<number> {
  const hosts = new Set<number>();
  if (imageStore !== undefined) hosts.add(imageStore);
  const snapshots = faultTolerance.snapshots;
  if (snapshots !== undefined) {
    for (const site of cloud.platform.sites) {
      const store = snapshots.store(cloud, site.id);
      if (store !== undefined) hosts.add(store);
    }
  }
  return hosts;
}
