import { Cloud } from "../compute/cloud.js";
import { FailureInjector } from "../failures/failure-injector.js";
import { CloudMetrics } from "../output/cloud-metrics.js";
import { ConstraintMetrics } from "../output/constraint-metrics.js";
import { resolveConstraints } from "../policies/constraints/placement-constraints.js";
import { servicesOf } from "../workload/services.js";
import { ServiceAvailability } from "../output/service-availability.js";
import { FailureMetrics } from "../output/failure-metrics.js";
import { EVENTS_TABLE, traceEvents } from "../output/event-trace.js";
import { TIMESERIES_TABLE, sampleTimeseries } from "../output/timeseries.js";
import { TIMELINE_TABLE, VjobTimeline } from "../output/vjob-timeline.js";
import { VJOBS_TABLE, VjobStatistics } from "../output/vjob-statistics.js";
import { buildPlatform } from "../platform/build.js";
import { installPolicies } from "./install-policies.js";
import { withReservations } from "../policies/constraints/reservations.js";
import { platformSpecOf } from "../scenario/platform-section.js";
import type { Scenario } from "../scenario/schema.js";
import type { VjobsWorkload } from "../scenario/vjobs-section.js";
import { RandomStreams } from "../sim/random.js";
import { Simulation } from "../sim/simulation.js";
import { formatDuration } from "../sim/units.js";
import type { VjobRunner } from "../workload/vjob-runner.js";
import type { ConsolidationManager } from "./consolidation-manager.js";
import type { PolicyObjects } from "../policies/policy-objects.js";
import { hostEnergyModels } from "./host-energy.js";
import { installFailures } from "./install-failures.js";
import type { RunOutputs } from "./run-outputs.js";
import { vjobSpecsOf } from "./vjob-specs.js";
import type { PreparedRun } from "./workload-run.js";

export interface VjobsRun extends PreparedRun {
  readonly cloud: Cloud;
  readonly runner: VjobRunner;
  readonly metrics: CloudMetrics;
  readonly injector: FailureInjector;
  /** The consolidation's manager(s): its decisions and plans are signalled. */
  readonly manager: ConsolidationManager;
}

export interface VjobsRunOptions {
  readonly baseDir: string;
  readonly check: boolean;
  /** Where timeseries.csv, jobs.csv and (if traced) events.csv go; none: nothing written. */
  readonly outputs?: RunOutputs;
  /** Also write timeline.csv among the outputs. */
  readonly timeline?: boolean;
  /** Turnaround of each vjob in the failure-free run, by name, to report inflations. */
  readonly failureFree?: ReadonlyMap<string, number>;
  /** Policy objects in place of the scenario's of their kinds (its periods, scope... still hold). */
  readonly policies?: PolicyObjects;
}

/**
 * A `vjobs` scenario: its platform as a cloud, its vjobs submitted to a runner with the chosen
 * placement, observers for the summary and the tables. The scenario's references (platform
 * present, site and host names, SWF file) were checked when it was loaded.
 */
export function prepareVjobs(
  scenario: Scenario,
  workload: VjobsWorkload,
  options: VjobsRunOptions,
): VjobsRun {
  if (scenario.platform === undefined) throw new Error("a vjobs scenario needs a platform");
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const platform = buildPlatform(platformSpecOf(scenario.platform));
  const cloud = new Cloud(sim, platform, {
    sharing: scenario.network.sharing,
    energyOf: hostEnergyModels(scenario.energy, platform),
  });
  const imageStore = platform.hosts.find((h) => h.name === workload.boot.imageStore)?.id;
  const services =
    workload.arrivals.type === "list"
      ? servicesOf(workload.arrivals.jobs)
      : new Map<string, string[]>();
  const constraints = resolveConstraints(scenario.constraints, platform, services);
  const { runner, places, decisions, manager } = installPolicies(
    scenario.policies,
    cloud,
    streams,
    options.baseDir,
    {
      bootDelay: workload.boot.delay,
      ...(imageStore === undefined ? {} : { imageStore }),
    },
    options.policies,
    constraints,
  );
  const kept =
    constraints.length === 0
      ? undefined
      : new ConstraintMetrics(cloud, runner, places, constraints);
  const availability =
    services.size === 0 ? undefined : new ServiceAvailability(cloud, runner, services);
  const metrics = new CloudMetrics(cloud);
  const injector = new FailureInjector(cloud);
  const failures = new FailureMetrics(cloud, injector);
  const { outputs } = options;
  const statistics = new VjobStatistics(
    runner,
    cloud,
    outputs?.table(VJOBS_TABLE),
    options.failureFree,
    kept === undefined ? undefined : (vjob) => kept.takeViolationSeconds(vjob),
  );
  const timeline =
    outputs !== undefined && options.timeline === true
      ? new VjobTimeline(cloud, runner, injector, outputs.table(TIMELINE_TABLE))
      : undefined;
  if (outputs !== undefined) {
    const step = scenario.output.step;
    sampleTimeseries(cloud, metrics, step, scenario.duration, outputs.table(TIMESERIES_TABLE));
    if (scenario.output.trace === "events") {
      traceEvents(cloud, runner, injector, outputs.table(EVENTS_TABLE), kept);
    }
  }
  installFailures(scenario.failures, platform, injector, streams, options.baseDir);
  runner.submitAll(
    withReservations(
      vjobSpecsOf(workload, platform, options.baseDir, streams, scenario.seed),
      constraints,
    ),
  );
  if (options.check) sim.addInvariant("cloud", () => cloud.checkInvariants());
  if (options.check && kept !== undefined) {
    kept.followPlans(manager);
    sim.addInvariant("constraints kept", () => kept.brokenWhereKept());
  }
  return {
    sim,
    cloud,
    runner,
    metrics,
    injector,
    manager,
    finish: (until) => {
      const vjobs = statistics.summarize();
      const infrastructure = metrics.summarize(until);
      const lost = failures.summarize(until);
      const consolidated = decisions.summarize();
      const constrained = kept?.summarize(until);
      const served = availability?.summarize(until);
      statistics.writeUnfinished();
      timeline?.finish(until);
      return {
        summary: {
          vjobs,
          cloud: infrastructure,
          consolidation: consolidated,
          failures: lost,
          ...(constrained === undefined ? {} : { constraints: constrained }),
          ...(served === undefined ? {} : { services: served }),
        },
        headline: [
          `vjobs: ${vjobs.submitted} submitted, ${vjobs.finished} finished, mean wait ${formatDuration(vjobs.wait.mean, 3)}, mean turnaround ${formatDuration(vjobs.turnaround.mean, 3)}, ${vjobs.vms} VMs`,
          `cloud: ${infrastructure.activeHostHours.toFixed(1)} active host-hours, ${infrastructure.energyKWh.toFixed(1)} kWh, violation ${formatDuration(infrastructure.violationHostSeconds, 3)} host-time, ${infrastructure.migrations.completed} migrations`,
          ...(consolidated.decisions === 0
            ? []
            : [
                `consolidation: ${consolidated.policy}, ${consolidated.decisions} decisions, ${consolidated.plans.executed} plans, ${consolidated.solverNodes} solver nodes, ${formatDuration(consolidated.chargedSeconds, 3)} computing`,
              ]),
          ...(scenario.failures.length === 0
            ? []
            : [
                `failures: ${Object.entries(lost.failures)
                  .filter(([, n]) => n > 0)
                  .map(([kind, n]) => `${n} ${kind}`)
                  .join(
                    ", ",
                  )}; ${lost.vmsLost} VMs lost, ${vjobs.restarts} restarts, ${vjobs.restores} restores, ${(vjobs.lostCoreSeconds / 3600).toFixed(1)} core-hours lost`,
              ]),
          ...(constrained === undefined
            ? []
            : [
                `constraints: ${constrained
                  .map(
                    (c) =>
                      `#${c.constraint} ${c.type} ${c.violations} violations (${formatDuration(c.violationSeconds, 3)})`,
                  )
                  .join(", ")}`,
              ]),
          ...(served === undefined
            ? []
            : [
                `services: ${served.count} replicated, availability ${(100 * served.availability).toFixed(3)}% (least ${(100 * served.minAvailability).toFixed(3)}%), all replicas up ${(100 * served.allUp).toFixed(1)}%, ${served.outages} outages (${formatDuration(served.downSeconds, 3)} down)`,
              ]),
          ...(vjobs.snapshots.stored + vjobs.snapshots.failed === 0
            ? []
            : [
                `snapshots: ${vjobs.snapshots.stored} stored (${(vjobs.snapshots.bytes / 1e9).toFixed(1)} GB), ${vjobs.snapshots.failed} failed or skipped, ${formatDuration(vjobs.snapshots.captureSeconds, 3)} capturing; ${vjobs.crossSiteMoves} cross-site moves, ${(infrastructure.backboneBytes / 1e9).toFixed(1)} GB on the backbone`,
              ]),
        ].join("\n"),
      };
    },
  };
}
