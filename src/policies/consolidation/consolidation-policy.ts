import type { CloudView } from "../cloud-view.js";
import type { Assignment, Configuration } from "./configuration.js";

/** What a consolidation policy sees at a decision. */
export interface ConsolidationView {
  readonly now: number;
  /** Hosts up and the VMs a policy may reason about, numbered 0..n-1 for this decision. */
  readonly configuration: Configuration;
  /** VMs of the configuration with no host whose image is suspended (resume, not run). */
  readonly suspended: ReadonlySet<number>;
  /**
   * For a policy that schedules vjobs: their VMs (ids of the configuration), by priority (first
   * come, first served). Empty otherwise.
   */
  readonly vjobs: readonly (readonly number[])[];
  readonly cloud: CloudView;
  /** Watts a host draws when on at a CPU utilisation in [0, 1] (for power-aware policies). */
  readonly watts: (host: number, utilization: number) => number;
  /**
   * With placement constraints: what the engine will make of a target (the moves and starts that
   * would break a constraint undone, see keepConstraints), for a policy to judge its candidates
   * by. Absent: no constraint.
   */
  readonly keep?: (target: Assignment) => Assignment;
  /**
   * With placement constraints: whether the moves of these VMs (configuration ids) in `target`
   * stand, as `keep` would judge them; cheap enough to ask for each drain of a host. Absent: no
   * constraint.
   */
  readonly keepsMoves?: (target: Assignment, moved: readonly number[]) => boolean;
}

/** What the search behind a decision did, for the metrics (all optional: a heuristic has none). */
export interface DecisionWork {
  /** Search nodes explored. */
  readonly nodes: number;
  /** Whether the packing is proven to use the fewest hosts possible. */
  readonly provenOptimal?: boolean;
  readonly lowerBound?: number;
}

export interface ConsolidationDecision {
  /** Where every VM of the configuration should be; the engine plans and carries out the moves. */
  readonly target: Assignment;
  /** Simulated seconds the decision took to compute: the plan starts that much later. */
  readonly computeTime: number;
  readonly work?: DecisionWork;
}

/**
 * A periodic control loop's brain: given the configuration, where VMs should be. The engine turns
 * the target into a plan of pools of migrations (the same plan builder for every policy, so that
 * policies differ only in what they decide) and calls again one period later, once the plan is over.
 */
export interface ConsolidationPolicy {
  readonly name: string;
  /**
   * True for a policy that decides which vjobs run (a context switch): the engine then starts no
   * vjob itself, shows the policy every unfinished vjob's VMs (never-run ones with no host) and
   * carries out its runs, suspends and resumes.
   */
  readonly schedulesVjobs?: boolean;
  decide(view: ConsolidationView): ConsolidationDecision;
}
