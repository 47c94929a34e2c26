import type { ConsolidationManager } from "../run/consolidation-manager.js";
import { Samples, type Spread, spread } from "./spread.js";

export interface ConsolidationSummary {
  readonly policy: string;
  /** Seconds between decisions. */
  readonly period: number;
  readonly decisions: number;
  /** Search nodes explored over all decisions (0 for heuristics that do not search). */
  readonly solverNodes: number;
  /** Simulated seconds charged for computing decisions. */
  readonly chargedSeconds: number;
  /** Simulated seconds of decisions' messages (monitoring reports in, orders out). */
  readonly messageSeconds: number;
  /** Decisions whose packing was proven optimal, among those that report it. */
  readonly provenOptimal: number;
  readonly plans: {
    /** Plans with at least one action, carried out. */
    readonly executed: number;
    /** Actions planned, by kind; bypass migrations through a pivot count twice. */
    readonly actions: Readonly<Record<string, number>>;
    readonly started: number;
    /** Actions dropped because the cloud had changed when their pool came. */
    readonly skipped: number;
    /** Sum of the plans' costs (bytes they move). */
    readonly costBytes: number;
    /** Sum of the plans' expected durations, s. */
    readonly expectedSeconds: number;
    /** How long plans really took, s. */
    readonly seconds: Spread;
  };
}

/** Counts what a consolidation loop decided and how its plans went. */
export class ConsolidationMetrics {
  private decisions = 0;
  private nodes = 0;
  private charged = 0;
  private messages = 0;
  private proven = 0;
  private executed = 0;
  private readonly actions: Record<string, number> = {};
  private started = 0;
  private skipped = 0;
  private cost = 0;
  private expected = 0;
  private readonly durations = new Samples();

  constructor(
    loop: ConsolidationManager,
    private readonly policy: string,
    private readonly period: number,
  ) {
    loop.decided.subscribe(({ computeTime, messageTime, work, plan, power }) => {
      this.decisions++;
      this.charged += computeTime;
      this.messages += messageTime;
      this.nodes += work?.nodes ?? 0;
      if (work?.provenOptimal === true) this.proven++;
      const powered = power.boot.length + power.switchOff.length;
      if (plan.pools.length > 0 || powered > 0) this.executed++;
      for (const pool of plan.pools) {
        for (const action of pool) this.actions[action.kind] = (this.actions[action.kind] ?? 0) + 1;
      }
      if (power.boot.length > 0) this.actions.boot = (this.actions.boot ?? 0) + power.boot.length;
      if (power.switchOff.length > 0) {
        this.actions.switchOff = (this.actions.switchOff ?? 0) + power.switchOff.length;
      }
      this.cost += plan.cost;
      this.expected += plan.duration + power.seconds;
    });
    loop.switched.subscribe((outcome) => {
      this.started += outcome.started;
      this.skipped += outcome.skipped;
      this.durations.push(outcome.end - outcome.start);
    });
  }

  summarize(): ConsolidationSummary {
    return {
      policy: this.policy,
      period: this.period,
      decisions: this.decisions,
      solverNodes: this.nodes,
      chargedSeconds: this.charged,
      messageSeconds: this.messages,
      provenOptimal: this.proven,
      plans: {
        executed: this.executed,
        actions: Object.fromEntries(
          Object.entries(this.actions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        ),
        started: this.started,
        skipped: this.skipped,
        costBytes: this.cost,
        expectedSeconds: this.expected,
        seconds: spread(this.durations.view()),
      },
    };
  }
}
