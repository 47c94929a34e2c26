import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildPlatform } from "../platform/build.js";
import type { Platform } from "../platform/platform.js";
import { parseFailureCsv, parseFtaTrace } from "../failures/failure-trace.js";
import { unknownNames } from "../failures/select-targets.js";
import { parseSwf } from "../workload/swf.js";
import type { FailuresSection } from "./failures-section.js";
import type { PolicyKind } from "../policies/policy-definition.js";
import { loadUserPolicy } from "../policies/user-module.js";
import type { PoliciesSection, PolicyChoice } from "./policies-section.js";
import { type PlatformSection, platformSpecOf } from "./platform-section.js";
import { type Problem, ScenarioError } from "./problems.js";
import { constraintProblems } from "./constraint-references.js";
import { type ScenarioRoots, outsideRoots } from "./scenario-roots.js";
import { storageHostsOf } from "./power-cap-references.js";
import type { Scenario } from "./schema.js";
import type { VjobsWorkload } from "./vjobs-section.js";

/**
 * What the schema cannot see: names that must exist in the platform, files named by the
 * scenario (relative to `baseDir`, its folder), which must be within `roots` (see ScenarioRoots).
 * Throws ScenarioError listing every problem.
 */
export function checkReferences(
  scenario: Scenario,
  file: string,
  baseDir: string,
  roots?: ScenarioRoots,
): void {
  const workload = scenario.workload;
  if (workload.type !== "vjobs") {
    const problems = [
      ...(scenario.failures.length > 0
        ? [
            {
              path: "failures",
              message: "expected no failures for a demo-queue workload (it has no platform)",
            },
          ]
        : []),
      ...(scenario.constraints.length > 0
        ? [
            {
              path: "constraints",
              message: "expected no constraints for a demo-queue workload (it has no VMs)",
            },
          ]
        : []),
    ];
    if (problems.length > 0) throw new ScenarioError(file, problems);
    return;
  }
  const problems: Problem[] = [];
  if (scenario.platform === undefined) {
    problems.push({
      path: "platform",
      message: "expected a platform for a vjobs workload, got nothing",
    });
  } else {
    const platform = platformOf(scenario.platform);
    if (typeof platform === "string") {
      throw new ScenarioError(file, [
        { path: "platform", message: `expected a platform whose names are distinct: ${platform}` },
      ]);
    }
    if (platform.hosts.length === 0) {
      throw new ScenarioError(file, [
        {
          path: "platform",
          message:
            "expected a platform with at least one host, got none (its sites, clusters or scale keep no host)",
        },
      ]);
    }
    problems.push(...platformReferences(workload, platform));
    problems.push(...failureReferences(scenario.failures, platform, baseDir, roots));
    problems.push(...storeReferences(scenario.policies, platform));
    problems.push(...managerProblems(scenario.policies));
    const stores = storageHostsOf(scenario.policies, workload, platform);
    problems.push(...constraintProblems(scenario.constraints, workload, platform, stores));
  }
  const arrivals = workload.arrivals;
  if (arrivals.type === "swf") {
    const named = { file: arrivals.file, baseDir, roots };
    const problem = fileProblem("workload.arrivals.file", "SWF log", named, (text) => {
      const log = parseSwf(arrivals.file, text);
      if (log.jobs.length === 0) throw new Error("none with jobs that can run");
    });
    if (problem !== undefined) problems.push(problem);
  }
  if (
    arrivals.type === "poisson" &&
    arrivals.count === "trace" &&
    workload.load.type !== "planetlab"
  ) {
    problems.push({
      path: "workload.arrivals.count",
      message: `expected a number of jobs, got "trace" with a ${workload.load.type} load (it counts the VMs of a planetlab load's day)`,
    });
  }
  problems.push(...policyReferences(scenario.policies, baseDir, roots));
  if (problems.length > 0) throw new ScenarioError(file, problems);
}

/**
 * The platform, or why it cannot be laid out: the schema reports duplicate names of an
 * inline platform by path, this catches a clash it cannot see (a backbone link named like an
 * uplink).
 */
function platformOf(section: PlatformSection): Platform | string {
  try {
    return buildPlatform(platformSpecOf(section));
  } catch (error) {
    if (error instanceof RangeError) return error.message;
    throw error;
  }
}

/**
 * User policy modules must load and export a definition of their kind. Loading runs a module's
 * code, so one outside the scenario's roots is refused unread, as its traces are.
 */
function policyReferences(
  policies: PoliciesSection,
  baseDir: string,
  roots: ScenarioRoots,
): Problem[] {
  return (Object.entries(policies) as [PolicyKind, PolicyChoice][]).flatMap(([kind, choice]) => {
    if (choice.module === undefined) return [];
    const outside = outsideRoots(resolve(baseDir, choice.module), choice.module, roots);
    if (outside !== undefined) return [{ path: `policies.${kind}.module`, message: outside }];
    try {
      loadUserPolicy(choice.module, kind, baseDir);
      return [];
    } catch (error) {
      return [{ path: `policies.${kind}.module`, message: (error as Error).message }];
    }
  });
}

/** A context switch runs one queue for the sky: group managers or partitions cannot share it. */
function managerProblems(policies: PoliciesSection): Problem[] {
  const { manager, objective } = policies.consolidation as PoliciesSection["consolidation"] & {
    objective?: unknown;
  };
  if (objective !== "context-switch" || manager.type === "centralised") return [];
  return [
    {
      path: "policies.consolidation.manager.type",
      message: `expected centralised for a context switch (one queue for the sky), got ${manager.type}`,
    },
  ];
}

/** Saline's snapshot stores must be hosts of the platform, at most one per site. */
function storeReferences(policies: PoliciesSection, platform: Platform): Problem[] {
  const stores = policies.faultTolerance.stores;
  if (!Array.isArray(stores)) return [];
  const sites = new Set<number>();
  return stores.flatMap((name: unknown, i) => {
    const host = platform.hosts.find((h) => h.name === name);
    const path = `policies.faultTolerance.stores.${i}`;
    if (host === undefined) {
      return [{ path, message: `expected a host of the platform, got ${JSON.stringify(name)}` }];
    }
    if (sites.has(host.site)) {
      const site = platform.sites[host.site]?.name ?? String(host.site);
      return [
        { path, message: `expected at most one store per site, got a second one on ${site}` },
      ];
    }
    sites.add(host.site);
    return [];
  });
}

function platformReferences(workload: VjobsWorkload, platform: Platform): Problem[] {
  const problems: Problem[] = [];
  const sites = platform.sites.map((site) => site.name);
  const checkSite = (path: string, name: string | undefined): void => {
    if (name === undefined || sites.includes(name)) return;
    problems.push({
      path,
      message: `expected a site of the platform (${sites.join(", ")}), got ${JSON.stringify(name)}`,
    });
  };
  const arrivals = workload.arrivals;
  if (arrivals.type === "list") {
    arrivals.jobs.forEach((job, i) => {
      checkSite(`workload.arrivals.jobs[${i}].homeSite`, job.homeSite);
    });
  } else if (arrivals.type === "poisson") {
    checkSite("workload.arrivals.homeSite", arrivals.homeSite);
  }
  const store = workload.boot.imageStore;
  if (store !== undefined && !platform.hosts.some((host) => host.name === store)) {
    problems.push({
      path: "workload.boot.imageStore",
      message: `expected a host of the platform, got ${JSON.stringify(store)}`,
    });
  }
  return problems;
}

function failureReferences(
  failures: FailuresSection,
  platform: Platform,
  baseDir: string,
  roots: ScenarioRoots,
): Problem[] {
  const problems: Problem[] = [];
  failures.forEach((spec, i) => {
    if (spec.type === "trace") {
      const named = { file: spec.file, baseDir, roots };
      const problem = fileProblem(`failures[${i}].file`, "failure trace", named, (text) => {
        (spec.format === "csv" ? parseFailureCsv : parseFtaTrace)(spec.file, text, platform);
      });
      if (problem !== undefined) problems.push(problem);
      return;
    }
    for (const name of unknownNames(platform, spec.targets)) {
      problems.push({
        path: `failures[${i}].targets`,
        message: `expected names of the platform, got ${JSON.stringify(name)}`,
      });
    }
  });
  return problems;
}

/**
 * Reads a file the scenario names (relative to its folder) and hands its text to `use` (a parser);
 * what went wrong, as a problem at `path`: outside the scenario's roots (then it is not read),
 * unreadable, or refused by `use`.
 */
function fileProblem(
  path: string,
  what: string,
  named: { readonly file: string; readonly baseDir: string; readonly roots: ScenarioRoots },
  use: (text: string) => void,
): Problem | undefined {
  const full = join(named.baseDir, named.file);
  const outside = outsideRoots(full, named.file, named.roots);
  if (outside !== undefined) return { path, message: outside };
  try {
    use(readFileSync(full, "utf8"));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code !== undefined
          ? "an unreadable file"
          : (error as Error).message;
    return { path, message: `expected a readable ${what}, got ${reason}` };
  }
}
