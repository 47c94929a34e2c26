import type { Cloud } from "../compute/cloud.js";
import type { VjobRecord, VjobRunner } from "../workload/vjob-runner.js";
import { type Spread, spread } from "./spread.js";

export interface VjobSummary {
  readonly submitted: number;
  readonly started: number;
  readonly finished: number;
  /** start - submit of started vjobs, s. */
  readonly wait: Spread;
  /** end - submit of finished vjobs, s. */
  readonly turnaround: Spread;
  /**
   * Bounded slowdown of finished vjobs: turnaround / max(run time, 10 s), the usual measure of
   * how much waiting and sharing stretched a job (1 = neither).
   */
  readonly slowdown: Spread;
  readonly vms: number;
}

/** Run times shorter than this count as this in the bounded slowdown, s. */
export const SLOWDOWN_BOUND = 10;

/** Per-vjob rows and summary statistics of a run, read from the runner and the cloud. */
export class VjobStatistics {
  constructor(
    private readonly runner: VjobRunner,
    private readonly cloud: Cloud,
  ) {}

  summarize(until: number): VjobSummary {
    const records = this.runner.records.filter((r) => r.spec.submit <= until);
    const started = records.filter((r) => !Number.isNaN(r.start));
    const finished = records.filter((r) => !Number.isNaN(r.end));
    return {
      submitted: records.length,
      started: started.length,
      finished: finished.length,
      wait: spread(started.map((r) => r.start - r.spec.submit)),
      turnaround: spread(finished.map((r) => r.end - r.spec.submit)),
      slowdown: spread(
        finished.map((r) => (r.end - r.spec.submit) / Math.max(r.end - r.start, SLOWDOWN_BOUND)),
      ),
      vms: this.cloud.vms.length,
    };
  }

  /** One row per vjob submitted by `until`, in submission order. */
  rows(until: number): (string | number)[][] {
    const hostName = (id: number): string => this.cloud.platform.hosts[id]?.name ?? String(id);
    return this.runner.records
      .filter((r) => r.spec.submit <= until)
      .map((r: VjobRecord) => [
        r.spec.name,
        r.spec.submit,
        cell(r.start),
        cell(r.end),
        r.spec.vms.length,
        r.hosts.map(hostName).join(" "),
        r.state,
      ]);
  }
}

export const VJOB_COLUMNS = ["vjob", "submit", "start", "end", "vms", "hosts", "state"];

/** Times not reached yet are empty cells. */
function cell(time: number): number | string {
  return Number.isNaN(time) ? "" : time;
}
