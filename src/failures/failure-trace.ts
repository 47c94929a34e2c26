import { parse } from "csv-parse/sync";
import type { Platform } from "../platform/platform.js";
import { parseDuration } from "../sim/units.js";
import { fieldsOf } from "../workload/fields-of.js";
import type { TraceEvent } from "./failure-processes.js";
import { type FailureTarget, type TargetKind, targetsOf } from "./failure-target.js";

const KINDS: readonly TargetKind[] = ["host", "cluster", "site", "link"];

/** Finds "kind:name" (or a bare host name) in the platform; undefined if there is none. */
export function findTarget(platform: Platform, reference: string): FailureTarget | undefined {
  const colon = reference.indexOf(":");
  const kind = (colon < 0 ? "host" : reference.slice(0, colon)) as TargetKind;
  const name = colon < 0 ? reference : reference.slice(colon + 1);
  if (!KINDS.includes(kind)) return undefined;
  return targetsOf(platform, kind).find((target) => target.name === name);
}

/**
 * A failure trace as CSV with a header `time,target,event`: time in seconds (or with a unit,
 * "2h"), target "host:NAME" (or just the host's name), "cluster:NAME", "site:NAME" or
 * "link:NAME", event `down`, `up` or `remove`. Sorted by time (stably). Throws naming the line.
 */
export function parseFailureCsv(file: string, text: string, platform: Platform): TraceEvent[] {
  const rows = parse<Record<string, string>>(text, {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  const events = rows.map((row, i): TraceEvent => {
    const where = `${file}, line ${i + 2}`;
    let time: number;
    try {
      time = parseDuration(row.time ?? "");
    } catch {
      throw new Error(`${where}: expected a time in column time, got something else`);
    }
    const target = findTarget(platform, row.target ?? "");
    if (target === undefined) {
      throw new Error(
        `${where}: expected a host, cluster, site or link of the platform in column target, got another name`,
      );
    }
    const event = row.event;
    if (event !== "down" && event !== "up" && event !== "remove") {
      throw new Error(`${where}: expected down, up or remove in column event, got something else`);
    }
    return { time, target, event };
  });
  return sortByTime(events);
}

/**
 * The Failure Trace Archive's tabular event format, reduced to its columns: `node_id event_type
 * start end` (whitespace-separated, `#` comments), event type 0 for an unavailability from start
 * to end (1, availability, is implied between them). Node n is the platform's host n; times are
 * seconds, shifted so that the earliest start is 0.
 */
export function parseFtaTrace(file: string, text: string, platform: Platform): TraceEvent[] {
  const hosts = targetsOf(platform, "host");
  const intervals: { host: FailureTarget; start: number; end: number }[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/\s+/).map(Number);
    const [node, type, start, end] = fields;
    if (fields.length !== 4 || fields.some((f) => Number.isNaN(f))) {
      throw new Error(
        `${file}, line ${i + 1}: expected node_id event_type start end, got ${fieldsOf(fields)}`,
      );
    }
    if (type !== 0) return;
    const host = hosts[node as number];
    if (host === undefined) {
      throw new Error(
        `${file}, line ${i + 1}: expected a node id below ${hosts.length}, got ${node}`,
      );
    }
    intervals.push({ host, start: start as number, end: end as number });
  });
  const origin = Math.min(...intervals.map((x) => x.start));
  const events: TraceEvent[] = intervals.flatMap(({ host, start, end }) => [
    { time: start - origin, target: host, event: "down" as const },
    ...(end > start ? [{ time: end - origin, target: host, event: "up" as const }] : []),
  ]);
  return sortByTime(events);
}

/** By time; events at the same time keep the trace's order. */
function sortByTime(events: readonly TraceEvent[]): TraceEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.time - b.event.time || a.index - b.index)
    .map(({ event }) => event);
}
