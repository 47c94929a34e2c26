import type { Platform } from "../platform/platform.js";
import type { RandomStreams } from "../sim/random.js";
import { randomVictims } from "./failure-processes.js";
import { type FailureTarget, type TargetKind, targetsOf } from "./failure-target.js";

export interface TargetSelection {
  readonly kind: TargetKind;
  readonly names?: readonly string[] | undefined;
  readonly sites?: readonly string[] | undefined;
  readonly random?: number | undefined;
}

/** The site a target belongs to (undefined for a link). */
function siteOf(platform: Platform, target: FailureTarget): string | undefined {
  if (target.kind === "link") return undefined;
  return platform.sites[platform.hosts[target.hosts[0] as number]?.site ?? -1]?.name;
}

/** The selected targets, in platform order; random victims from `failures/<process>/victims`. */
export function selectTargets(
  platform: Platform,
  selection: TargetSelection,
  streams: RandomStreams,
  process: string,
): FailureTarget[] {
  let targets = targetsOf(platform, selection.kind);
  const { names, sites } = selection;
  if (names !== undefined) targets = targets.filter((t) => names.includes(t.name));
  if (sites !== undefined) {
    targets = targets.filter((t) => sites.includes(siteOf(platform, t) ?? ""));
  }
  return selection.random === undefined
    ? targets
    : randomVictims(targets, selection.random, streams, process);
}

/** Names in a selection that the platform does not have, as "kind NAME" / "site NAME". */
export function unknownNames(platform: Platform, selection: TargetSelection): string[] {
  const known = new Set(targetsOf(platform, selection.kind).map((t) => t.name));
  const sites = new Set(platform.sites.map((s) => s.name));
  return [
    ...(selection.names ?? []).filter((n) => !known.has(n)).map((n) => `${selection.kind} ${n}`),
    ...(selection.sites ?? []).filter((n) => !sites.has(n)).map((n) => `site ${n}`),
  ];
}
