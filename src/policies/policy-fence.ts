import type { VmSpec } from "../compute/vm.js";
import { callBegins, callEnds } from "./policy-calls.js";
import type { CloudView } from "./cloud-view.js";
import type {
  ConsolidationDecision,
  ConsolidationView,
} from "./consolidation/consolidation-policy.js";
import type { FaultTolerancePolicy, SnapshotPolicy } from "./faulttolerance/fault-tolerance.js";
import type { Placement } from "./placement/placement.js";
import type { PolicyDefinition, PolicyKind } from "./policy-definition.js";
import type { SkyPolicy } from "./sky/sky-policy.js";
import type { PowerPolicy } from "./power/power-policy.js";

/**
 * A user policy module that misbehaved during a run: it threw (anything, not only an Error) or
 * returned a decision the engine cannot carry out. The message names the policy and its file.
 */
export class PolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PolicyError";
  }
}

/** "Error: text" for an Error, the value itself for anything else thrown. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message.split("\n", 1)[0] ?? ""}`;
  try {
    return `a thrown ${typeof thrown} ${String(thrown).slice(0, 200)}`;
  } catch {
    return `a thrown ${typeof thrown}`;
  }
}

type Check<T> = (value: T) => string | undefined;

/**
 * A user's definition behind a fence: what it makes, and every call the engine makes of it, throw
 * only PolicyErrors naming the module, and every decision is checked before the engine acts on it
 * (hosts and sites that exist and are up, RAM that fits, finite positive delays).
 */
export function fencedDefinition(
  definition: PolicyDefinition<unknown>,
  kind: PolicyKind,
  path: string,
): PolicyDefinition<unknown> {
  const who = `${kind} policy "${definition.name}" (${path})`;
  const guard = <T>(what: string, call: () => T, check?: Check<T>): T => {
    let value: T;
    callBegins(`${who}: ${what}`);
    try {
      value = call();
    } catch (thrown) {
      if (thrown instanceof PolicyError) throw thrown;
      throw new PolicyError(`${who}: ${what} threw ${describeThrown(thrown)}`, { cause: thrown });
    } finally {
      callEnds();
    }
    const problem = check?.(value);
    if (problem !== undefined) throw new PolicyError(`${who}: ${what} returned ${problem}`);
    return value;
  };
  return {
    kind: definition.kind,
    name: definition.name,
    description: definition.description,
    ...(definition.options === undefined ? {} : { options: definition.options }),
    create: (options, context) => {
      const made = guard("create()", () => definition.create(options, context), objectCheck);
      return fencePolicy(kind, made as object, definition.name, who, guard);
    },
  };
}

type Guard = <T>(what: string, call: () => T, check?: Check<T>) => T;

function objectCheck(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? undefined : `${shown(value)}, not an object`;
}

function fencePolicy(
  kind: PolicyKind,
  policy: object,
  fallbackName: string,
  who: string,
  guard: Guard,
): unknown {
  const method = (name: string): ((...args: unknown[]) => unknown) => {
    const fn = guard(`reading ${name}`, () => (policy as Record<string, unknown>)[name]);
    if (typeof fn !== "function") {
      throw new PolicyError(`${who}: expected create() to make an object with a method ${name}()`);
    }
    return (...args) => (fn as (...a: unknown[]) => unknown).apply(policy, args);
  };
  const field = (name: string): unknown =>
    guard(`reading ${name}`, () => (policy as Record<string, unknown>)[name]);
  const named = field("name");
  const name = typeof named === "string" ? named : fallbackName;
  switch (kind) {
    case "placement": {
      const place = method("place");
      return {
        name,
        place: (view, vms, homeSite) =>
          guard(
            "place()",
            () => place(view, vms, homeSite) as number[] | undefined,
            placementCheck(view, vms),
          ),
      } satisfies Placement;
    }
    case "consolidation": {
      const decide = method("decide");
      return {
        name,
        ...(field("schedulesVjobs") === true ? { schedulesVjobs: true } : {}),
        decide: (view) =>
          guard("decide()", () => decide(view) as ConsolidationDecision, decisionCheck(view)),
      } satisfies { name: string; decide(view: ConsolidationView): ConsolidationDecision };
    }
    case "faultTolerance": {
      const detectionDelay = method("detectionDelay");
      const snapshots = field("snapshots");
      return {
        name,
        detectionDelay: (time) =>
          guard("detectionDelay()", () => detectionDelay(time) as number, positiveCheck),
        snapshots:
          snapshots === undefined || snapshots === null
            ? undefined
            : fenceSnapshots(snapshots as SnapshotPolicy, guard),
      } satisfies FaultTolerancePolicy;
    }
    case "power": {
      const switchOff = method("switchOff");
      const idleFor = field("idleFor");
      if (!(
        idleFor === undefined ||
        (typeof idleFor === "number" && idleFor >= 0 && idleFor < Infinity)
      )) {
        throw new PolicyError(
          `${who}: expected idleFor to be undefined or a finite number of seconds >= 0, got ${shown(idleFor)}`,
        );
      }
      return {
        name,
        idleFor,
        wakeOnDemand: field("wakeOnDemand") !== false,
        switchOff: (view, host) =>
          guard("switchOff()", () => switchOff(view, host) as boolean, booleanCheck),
      } satisfies PowerPolicy;
    }
    case "sky": {
      const siteFor = method("siteFor");
      return {
        name,
        relocation: field("relocation") as SkyPolicy["relocation"],
        siteFor: (view, request) =>
          guard("siteFor()", () => siteFor(view, request) as number | undefined, siteCheck(view)),
      } satisfies SkyPolicy;
    }
  }
}

function fenceSnapshots(snapshots: SnapshotPolicy, guard: Guard): SnapshotPolicy {
  return {
    mode: snapshots.mode,
    diskDelta: snapshots.diskDelta,
    reconfigureSameSite: snapshots.reconfigureSameSite,
    reconfigureOtherSite: snapshots.reconfigureOtherSite,
    period: (cost) => guard("snapshots.period()", () => snapshots.period(cost), positiveCheck),
    store: (view, site) =>
      guard("snapshots.store()", () => snapshots.store(view, site), hostCheck(view)),
  };
}

function shown(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object" && value !== null) return "an object";
  if (typeof value === "string") return JSON.stringify(value.slice(0, 60));
  return String(value);
}

function booleanCheck(value: boolean): string | undefined {
  return typeof value === "boolean" ? undefined : `${shown(value)}, not true or false`;
}

function positiveCheck(value: number): string | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? undefined
    : `${shown(value)}, not a finite number of seconds > 0`;
}

function siteCheck(view: CloudView): Check<number | undefined> {
  return (site) =>
    site === undefined || (Number.isInteger(site) && site >= 0 && site < view.platform.sites.length)
      ? undefined
      : `${shown(site)}, not undefined or a site index (0..${view.platform.sites.length - 1})`;
}

function hostCheck(view: CloudView): Check<number | undefined> {
  return (host) =>
    host === undefined || isHost(view, host)
      ? undefined
      : `${shown(host)}, not undefined or a host id (0..${view.platform.hosts.length - 1})`;
}

function isHost(view: CloudView, host: unknown): host is number {
  return (
    Number.isInteger(host) && (host as number) >= 0 && (host as number) < view.platform.hosts.length
  );
}

function placementCheck(view: CloudView, vms: readonly VmSpec[]): Check<number[] | undefined> {
  return (hosts) => {
    if (hosts === undefined) return undefined;
    if (!Array.isArray(hosts) || hosts.length !== vms.length) {
      return `${shown(hosts)}, not undefined or a list of ${vms.length} host ids (one per VM)`;
    }
    const memory = new Map<number, number>();
    for (const [i, host] of hosts.entries()) {
      if (!isHost(view, host)) return `host ${shown(host)} for VM ${i}, not a host id`;
      if (!view.isHostUp(host)) return `host ${host} for VM ${i}, which is down`;
      memory.set(host, (memory.get(host) ?? 0) + (vms[i]?.memory ?? 0));
    }
    for (const [host, bytes] of memory) {
      if (bytes > view.freeMemory(host)) {
        return `host ${host} for ${bytes} bytes of VMs, more than its ${view.freeMemory(host)} bytes of free RAM`;
      }
    }
    return undefined;
  };
}

function decisionCheck(view: ConsolidationView): Check<ConsolidationDecision> {
  return (decision) => {
    if (typeof decision !== "object" || (decision as unknown) === null) {
      return `${shown(decision)}, not { target, computeTime }`;
    }
    const { target, computeTime } = decision;
    const { hosts, vms } = view.configuration;
    if (!Array.isArray(target) || target.length !== vms.length) {
      return `a target of ${shown(target)}, not a list of ${vms.length} host ids (one per VM)`;
    }
    if (!(typeof computeTime === "number" && Number.isFinite(computeTime) && computeTime >= 0)) {
      return `a computeTime of ${shown(computeTime)}, not a finite number of seconds >= 0`;
    }
    const capacity = new Map(hosts.map((host) => [host.id, host.memory]));
    for (const [i, host] of target.entries()) {
      if (host === undefined) continue;
      const left = capacity.get(host as number);
      if (left === undefined)
        return `target[${i}] = ${shown(host)}, not a host of the configuration`;
      capacity.set(host as number, left - (vms[i]?.memory ?? 0));
    }
    for (const [host, left] of capacity) {
      if (left < 0) return `a target that puts more RAM on host ${host} than it has`;
    }
    return undefined;
  };
}
