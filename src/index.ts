/**
 * skysim as a library: `import { loadScenarioFile, runScenario } from "skysim"`. Scenarios are
 * loaded and validated as the CLI does, run to their end in memory (or into a folder) with a typed
 * summary, or stepped from the caller's loop; policy modules are typed with the definitions below.
 * Everything else is internal and may change.
 */
export {
  type LoadOptions,
  checkedScenario,
  loadScenarioFile,
  validateScenario,
} from "./scenario/load.js";
export type { Scenario, ScenarioInput } from "./scenario/schema.js";
export { type Problem, ScenarioError } from "./scenario/problems.js";
export {
  type RunOptions,
  type RunResult,
  type Summary,
  prepareRun,
  runScenario,
  scenarioHash,
} from "./run/run-scenario.js";
export type { PreparedRun, WorkloadSummary } from "./run/workload-run.js";
export { type StepOptions, SteppedRun } from "./run/stepped-run.js";
export type { Decision } from "./run/consolidation-loop.js";
export type { PlanOutcome } from "./run/plan-executor.js";
export type { CloudSummary } from "./output/cloud-metrics.js";
export type { ConsolidationSummary } from "./output/consolidation-metrics.js";
export type { FailureSummary } from "./output/failure-metrics.js";
export type { JobSummary } from "./output/job-statistics.js";
export type { VjobSummary } from "./output/vjob-statistics.js";
export type { ConstraintSummary } from "./output/constraint-metrics.js";
export type { ServiceSummary } from "./output/service-availability.js";
export type { PolicyContext, PolicyDefinition, PolicyKind } from "./policies/policy-definition.js";
export type { PolicyObjects } from "./policies/policy-objects.js";
export type { CloudView } from "./policies/cloud-view.js";
export type {
  ConsolidationDecision,
  ConsolidationPolicy,
  ConsolidationView,
  DecisionWork,
} from "./policies/consolidation/consolidation-policy.js";
export type {
  Assignment,
  Configuration,
  HostCapacity,
  VmDemand,
} from "./policies/consolidation/configuration.js";
export type { Placement } from "./policies/placement/placement.js";
export type { FaultTolerancePolicy } from "./policies/faulttolerance/fault-tolerance.js";
export type { SkyPolicy } from "./policies/sky/sky-policy.js";
export type { PowerPolicy } from "./policies/power/power-policy.js";
export type { Platform, Host, Site, Cluster } from "./platform/platform.js";
// Types the ones above refer to (read from a run or handed to a policy; not built by users).
export type { PowerSummary } from "./output/cloud-metrics.js";
export type { SlaSummary } from "./output/sla-metrics.js";
export type { Spread } from "./output/spread.js";
export type { SiteTotalsView } from "./compute/site-totals.js";
export type { Vm, VmSpec } from "./compute/vm.js";
export type { ReconfigurationPlan } from "./policies/consolidation/entropy/plan.js";
export type { PowerActions } from "./run/power-plan.js";
export type { WorkloadOutputs } from "./run/workload-run.js";
export type { RunOutputs } from "./run/run-outputs.js";
export type { TargetKind } from "./failures/failure-target.js";
export type { SnapshotPolicy } from "./policies/faulttolerance/fault-tolerance.js";
export type { Relocation, SkyRequest } from "./policies/sky/sky-policy.js";
export type { PowerView } from "./policies/power/power-policy.js";
export type { LinkSpec } from "./network/network.js";
export type { Simulation } from "./sim/simulation.js";
export type { RandomStream } from "./sim/random.js";
export type { FailureTarget } from "./failures/failure-target.js";
export type { VmState } from "./compute/vm.js";
export type { PowerState } from "./compute/power-model.js";
export type { PlanAction, PlanPool } from "./policies/consolidation/entropy/plan-actions.js";
export type { TableFile, TableSpec } from "./output/table-file.js";
export type {
  Action,
  EventId,
  Invariant,
  RunOutcome,
  RunOptions as SimulationRunOptions,
} from "./sim/simulation.js";
export type { CsvCell } from "./output/csv-file.js";
