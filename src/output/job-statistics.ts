import type { DemoQueue, JobEvent } from "../workload/demo-queue.js";
import { type Spread, spread } from "./spread.js";

export interface JobRow {
  readonly job: number;
  readonly submit: number;
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly server: number | undefined;
}

export interface JobSummary {
  readonly submitted: number;
  readonly started: number;
  readonly finished: number;
  readonly unfinished: number;
  /** Waiting time (start - submit) of started jobs, seconds. */
  readonly wait: Spread;
  /** Response time (end - submit) of finished jobs, seconds. */
  readonly response: Spread;
  /** Busy slot-seconds over (slots x horizon). */
  readonly utilization: number;
}

/** Observer of the demo workload's signals: per-job rows and the summary statistics. */
export class JobStatistics {
  private readonly rows: {
    job: number;
    submit: number;
    start?: number;
    end?: number;
    server?: number;
  }[] = [];
  private busySeconds = 0;

  constructor(queue: DemoQueue) {
    queue.jobArrived.subscribe((e) => {
      this.rows.push({ job: e.job.id, submit: e.time });
    });
    queue.jobStarted.subscribe((e) => {
      const row = this.rowOf(e);
      row.start = e.time;
      row.server = e.server;
    });
    queue.jobFinished.subscribe((e) => {
      const row = this.rowOf(e);
      row.end = e.time;
      this.busySeconds += e.time - (row.start ?? e.time);
    });
  }

  /** Rows in arrival order. */
  jobRows(): readonly JobRow[] {
    return this.rows.map((r) => ({
      job: r.job,
      submit: r.submit,
      start: r.start,
      end: r.end,
      server: r.server,
    }));
  }

  /** The summary at time `horizon`, counting jobs still running as busy up to it. */
  summarize(horizon: number, servers: number): JobSummary {
    let busy = this.busySeconds;
    const waits: number[] = [];
    const responses: number[] = [];
    for (const row of this.rows) {
      if (row.start === undefined) continue;
      waits.push(row.start - row.submit);
      if (row.end === undefined) busy += horizon - row.start;
      else responses.push(row.end - row.submit);
    }
    return {
      submitted: this.rows.length,
      started: waits.length,
      finished: responses.length,
      unfinished: this.rows.length - responses.length,
      wait: spread(waits),
      response: spread(responses),
      utilization: horizon > 0 ? busy / (servers * horizon) : 0,
    };
  }

  private rowOf(e: JobEvent): (typeof this.rows)[number] {
    const row = this.rows[e.job.id];
    if (row === undefined) throw new Error(`job ${e.job.id} ${e.time}s: no arrival seen`);
    return row;
  }
}
