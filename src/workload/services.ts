/**
 * Replicated services: a listed job with `replicas: n` stands for n vjobs alike, `<name>-0` to
 * `<name>-(n-1)`, each failing and restored on its own; the service is up while one of them runs.
 * Constraints may name the service for all its replicas (a group).
 */

/** What the workload's jobs say of their replicas. */
interface ListedJob {
  readonly name: string;
  readonly replicas?: number | undefined;
}

/** The name of a service's i-th replica. */
export function replicaName(service: string, i: number): string {
  return `${service}-${i}`;
}

/** The vjob names a listed job stands for: its own, or its replicas'. */
export function vjobNamesOf(job: ListedJob): string[] {
  return job.replicas === undefined
    ? [job.name]
    : Array.from({ length: job.replicas }, (_, i) => replicaName(job.name, i));
}

/** Each replicated job's name and its replicas' names, in the order listed. */
export function servicesOf(jobs: readonly ListedJob[]): Map<string, string[]> {
  return new Map(
    jobs.flatMap((job) => (job.replicas === undefined ? [] : [[job.name, vjobNamesOf(job)]])),
  );
}
