import { fieldsOf } from "./fields-of.js";

/**
 * The Standard Workload Format (Feitelson's Parallel Workloads Archive): one job per line, 18
 * whitespace-separated fields, -1 for unknown, header lines starting with ";".
 */

export interface SwfJob {
  /** Field 1. */
  readonly id: number;
  /** Field 2, seconds from the start of the log. */
  readonly submit: number;
  /** Field 4, seconds. */
  readonly runTime: number;
  /** Field 8 (requested processors), or field 5 (allocated) when unknown. */
  readonly processors: number;
  /** Field 10 (requested memory, KB per processor), or 7 (used), in bytes; undefined if unknown. */
  readonly memoryPerProcessor: number | undefined;
  /** Field 11: 1 completed, 0 failed, 5 cancelled, -1 unknown. */
  readonly status: number;
  /** Field 12. */
  readonly user: number;
}

export interface SwfLog {
  readonly jobs: readonly SwfJob[];
  /** Lines that hold no runnable job (no run time or no processors), with why. */
  readonly skipped: readonly { readonly line: number; readonly reason: string }[];
}

/**
 * Parses an SWF log; throws `file, line N: ...` for a line that is not 18 numbers, saying how
 * many fields it has but never what they hold (a path may name a file that is not a log).
 */
export function parseSwf(file: string, text: string): SwfLog {
  const jobs: SwfJob[] = [];
  const skipped: { line: number; reason: string }[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === "" || content.startsWith(";")) return;
    const fields = content.split(/\s+/).map(Number);
    if (fields.length !== 18 || fields.some((f) => Number.isNaN(f))) {
      throw new Error(`${file}, line ${line}: expected 18 numbers, got ${fieldsOf(fields)}`);
    }
    const field = (n: number): number => fields[n - 1] as number;
    const processors = field(8) > 0 ? field(8) : field(5);
    const memoryKb = field(10) > 0 ? field(10) : field(7);
    if (!(field(4) > 0)) {
      skipped.push({ line, reason: `job ${field(1)} has no run time` });
      return;
    }
    if (!(processors > 0)) {
      skipped.push({ line, reason: `job ${field(1)} has no processor count` });
      return;
    }
    jobs.push({
      id: field(1),
      submit: field(2),
      runTime: field(4),
      processors,
      memoryPerProcessor: memoryKb > 0 ? memoryKb * 1024 : undefined,
      status: field(11),
      user: field(12),
    });
  });
  return { jobs, skipped };
}
