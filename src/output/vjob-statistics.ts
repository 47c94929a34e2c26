import type { Cloud } from "../compute/cloud.js";
import type { VjobRecord } from "../workload/vjob-record.js";
import type { VjobRunner } from "../workload/vjob-runner.js";
import type { TableFile, TableSpec } from "./table-file.js";
import { Samples, type Spread, spread } from "./spread.js";

export interface VjobSummary {
  readonly submitted: number;
  readonly started: number;
  readonly finished: number;
  /** First start - submit of started vjobs, s. */
  readonly wait: Spread;
  /** end - submit of finished vjobs, s. */
  readonly turnaround: Spread;
  /**
   * end - first run of finished vjobs, s: from the moment all its VMs first ran to its end, what
   * checkpointing theory calls the completion time (no wait, no first boot).
   */
  readonly completion: Spread;
  /**
   * Bounded slowdown of finished vjobs: turnaround / max(run time of the last attempt, 10 s),
   * the usual measure of how much waiting, sharing and restarts stretched a job (1 = none).
   */
  readonly slowdown: Spread;
  /**
   * Turnaround / turnaround in the failure-free run (no failures, no fault tolerance), over the
   * vjobs finished in both; only when that run was asked for (output.failureFree).
   */
  readonly inflation?: Spread;
  /** VMs created. */
  readonly vms: number;
  /** Times vjobs started over from zero after losing a VM. */
  readonly restarts: number;
  /** Times vjobs were restored from a snapshot after losing a VM. */
  readonly restores: number;
  /** Times vjobs started again on another site than the one they ran on. */
  readonly crossSiteMoves: number;
  /** Work done and then lost (since the snapshot or start it went back to), core-seconds. */
  readonly lostCoreSeconds: number;
  readonly snapshots: {
    /** Snapshots stored. */
    readonly stored: number;
    /** Snapshots that failed (a VM or its store lost) or found no store up. */
    readonly failed: number;
    /** Seconds vjobs spent capturing (paused, for coordinated snapshots), summed. */
    readonly captureSeconds: number;
    /** Bytes of the stored images. */
    readonly bytes: number;
  };
}

/** What each vjob's record counts, summed over vjobs. */
const COUNTED = [
  "restarts",
  "restores",
  "crossSiteMoves",
  "lostCoreSeconds",
  "snapshots",
  "snapshotsFailed",
  "snapshotSeconds",
  "snapshotBytes",
] as const;
type Counts = Record<(typeof COUNTED)[number], number>;

/** Run times shorter than this count as this in the bounded slowdown, s. */
export const SLOWDOWN_BOUND = 10;

export const VJOB_COLUMNS = [
  "vjob",
  "submit",
  "start",
  "end",
  "vms",
  "hosts",
  "state",
  ...COUNTED,
  "inflation",
  "constraintViolationSeconds",
];

export const VJOBS_TABLE: TableSpec = {
  name: "jobs",
  columns: VJOB_COLUMNS,
  text: ["vjob", "hosts", "state"],
};

/**
 * Per-vjob rows and summary statistics, from the runner's signals: a vjob's row is written when
 * it finishes (the ones still running or waiting at the end, when the run ends), and only the
 * numbers the summary needs are kept, so memory does not grow with finished jobs' details.
 */
export class VjobStatistics {
  private submitted = 0;
  /** The counts of the vjobs finished so far. */
  private readonly finished = zeroCounts();
  private readonly waits = new Samples();
  /** Jobs seen starting (weakly held: finished jobs are forgotten). */
  private readonly started = new WeakSet<VjobRecord>();
  private readonly turnarounds = new Samples();
  private readonly completions = new Samples();
  private readonly slowdowns = new Samples();
  private readonly inflations = new Samples();

  constructor(
    private readonly runner: VjobRunner,
    private readonly cloud: Cloud,
    private readonly table?: TableFile,
    /** Turnaround of each vjob, by name, in the failure-free run. */
    private readonly failureFree?: ReadonlyMap<string, number>,
    /** Seconds a vjob's constraints were broken, taken when its row is written (if any). */
    private readonly violationSecondsOf?: (vjob: string) => number,
  ) {
    runner.vjobSubmitted.subscribe(() => {
      this.submitted++;
    });
    runner.vjobStarted.subscribe((r) => {
      // A job that starts over is counted (and its wait measured) at its first start only.
      if (this.started.has(r)) return;
      this.started.add(r);
      this.waits.push(r.firstStart - r.spec.submit);
    });
    runner.vjobFinished.subscribe((r) => {
      addCounts(this.finished, r);
      const turnaround = r.end - r.spec.submit;
      this.turnarounds.push(turnaround);
      this.completions.push(r.end - r.firstRun);
      this.slowdowns.push(turnaround / Math.max(r.end - r.start, SLOWDOWN_BOUND));
      const inflation = this.inflationOf(r);
      if (inflation !== undefined) this.inflations.push(inflation);
      this.write(r);
    });
  }

  summarize(): VjobSummary {
    const counts = { ...this.finished };
    for (const record of this.runner.pending()) addCounts(counts, record);
    return {
      submitted: this.submitted,
      started: this.waits.length,
      finished: this.turnarounds.length,
      wait: spread(this.waits.view()),
      turnaround: spread(this.turnarounds.view()),
      completion: spread(this.completions.view()),
      slowdown: spread(this.slowdowns.view()),
      ...(this.failureFree === undefined ? {} : { inflation: spread(this.inflations.view()) }),
      vms: this.cloud.vmsCreated,
      restarts: counts.restarts,
      restores: counts.restores,
      crossSiteMoves: counts.crossSiteMoves,
      lostCoreSeconds: counts.lostCoreSeconds,
      snapshots: {
        stored: counts.snapshots,
        failed: counts.snapshotsFailed,
        captureSeconds: counts.snapshotSeconds,
        bytes: counts.snapshotBytes,
      },
    };
  }

  /** Writes the rows of the vjobs not done at the end of the run. */
  writeUnfinished(): void {
    for (const record of this.runner.pending()) this.write(record);
  }

  private write(r: VjobRecord): void {
    if (this.table === undefined) return;
    const hosts = r.hosts.map((id) => this.cloud.platform.hosts[id]?.name ?? String(id));
    this.table.write([
      r.spec.name,
      r.spec.submit,
      cell(r.firstStart),
      cell(r.end),
      r.spec.vms.length,
      hosts.join(" "),
      r.state,
      ...COUNTED.map((field) => r[field]),
      this.inflationOf(r) ?? "",
      this.violationSecondsOf?.(r.spec.name) ?? "",
    ]);
  }

  private inflationOf(r: VjobRecord): number | undefined {
    const reference = this.failureFree?.get(r.spec.name);
    if (reference === undefined || r.state !== "done") return undefined;
    return (r.end - r.spec.submit) / reference;
  }
}

function zeroCounts(): Counts {
  return Object.fromEntries(COUNTED.map((field) => [field, 0])) as Counts;
}

function addCounts(sum: Counts, record: VjobRecord): void {
  for (const field of COUNTED) sum[field] += record[field];
}

/** Times not reached yet are empty cells. */
function cell(time: number): number | string {
  return Number.isNaN(time) ? "" : time;
}
