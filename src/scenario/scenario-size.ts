import { getHeapStatistics } from "node:v8";
import { grid5000HostCount } from "../platform/grid5000.js";
import type { PlatformSection } from "./platform-section.js";
import type { Problem } from "./problems.js";
import type { Scenario } from "./schema.js";
import { MAX_PENDING_EVENTS } from "../sim/simulation.js";

/**
 * JavaScript heap a run holds per model object, measured on a synthetic platform (8-core hosts,
 * 1-vCPU VMs with injector loads, round-robin placement): 0.9 kB per host and 3.8 kB per running
 * VM once warmed up, 10,000 hosts and 100,000 VMs in 382 MB (see docs/robustness.md); rounded up
 * by about half for what a run allocates on the way (queues, flows, plans).
 */
export const HEAP_BYTES = {
  fixed: 64e6,
  perHost: 1.5e3,
  perLink: 0.3e3,
  perVm: 5.5e3,
  perJob: 0.5e3,
  /**
   * A time-series sample, scheduled from the start: an event pending in the queue, 62 B measured
   * (10 million events; typed arrays, outside the JavaScript heap but in the process all the same).
   */
  perSample: 64,
} as const;

/**
 * Of the events that may be pending at once, the share the time-series samples may take: the
 * model's own need the rest.
 */
const SAMPLES_SHARE = 0.5;

/** VMs of the largest day in data/planetlab (20110322). */
const LARGEST_PLANETLAB_DAY = 1516;

/** What a scenario makes, counted from its validated fields without building anything. */
export interface ScenarioSize {
  readonly hosts: number;
  readonly links: number;
  readonly jobs: number;
  readonly vms: number;
  /** Rows of timeseries.csv per site: samples every output.step over the duration. */
  readonly samples: number;
  /** Estimated peak heap of one run, bytes. */
  readonly bytes: number;
  /** The field that sets the largest part of the estimate. */
  readonly field: string;
}

export function scenarioSize(scenario: Scenario): ScenarioSize {
  const platform = platformCounts(scenario.platform);
  const workload = workloadCounts(scenario);
  const hostBytes = platform.hosts * HEAP_BYTES.perHost + platform.links * HEAP_BYTES.perLink;
  const vmBytes = workload.vms * HEAP_BYTES.perVm + workload.jobs * HEAP_BYTES.perJob;
  const samples = Math.floor(scenario.duration / scenario.output.step) + 1;
  const sampleBytes = samples * HEAP_BYTES.perSample;
  const parts: [number, string][] = [
    [hostBytes, platform.field],
    [vmBytes, workload.field],
    [sampleBytes, stepField(scenario)],
  ];
  const largest = parts.reduce((best, part) => (part[0] > best[0] ? part : best));
  return {
    hosts: platform.hosts,
    links: platform.links,
    jobs: workload.jobs,
    vms: workload.vms,
    samples,
    bytes: HEAP_BYTES.fixed + hostBytes + vmBytes + sampleBytes,
    field: largest[1],
  };
}

/** Which of duration and output.step makes the samples many: a step under a second, or the span. */
function stepField(scenario: Scenario): string {
  return scenario.output.step < 1 ? "output.step" : "duration";
}

/** The heap this process may grow to (V8's limit, set by node --max-old-space-size). */
export function heapLimit(): number {
  return getHeapStatistics().heap_size_limit;
}

/** A problem if the scenario's estimated size is over `limit` bytes. */
export function sizeProblem(scenario: Scenario, limit: number): Problem | undefined {
  const size = scenarioSize(scenario);
  const most = Math.floor(MAX_PENDING_EVENTS * SAMPLES_SHARE);
  if (size.samples > most) {
    return {
      path: stepField(scenario),
      message: `expected at most ${most} time-series samples (duration / output.step), got ${count(size.samples)}: a longer step or a shorter duration`,
    };
  }
  if (size.bytes <= limit) return undefined;
  return {
    path: size.field,
    message: `expected a scenario that fits in memory: ${count(size.hosts)} hosts, ${count(size.links)} links and ${count(size.vms)} VMs need about ${gigabytes(size.bytes)}, more than the ${gigabytes(limit)} allowed (make it smaller, or raise the limit: NODE_OPTIONS=--max-old-space-size=MB and --max-memory)`,
  };
}

function count(n: number): string {
  return n < 1e6 ? String(n) : n.toExponential(2);
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

interface Counts {
  readonly hosts: number;
  readonly links: number;
  readonly field: string;
}

function platformCounts(platform: PlatformSection | undefined): Counts {
  if (platform === undefined) return { hosts: 0, links: 0, field: "platform" };
  switch (platform.type) {
    case "grid5000-2011": {
      const hosts = grid5000HostCount(platform);
      return { hosts, links: hosts + 40, field: "platform.scale" };
    }
    case "synthetic": {
      const hosts = platform.sites * platform.hostsPerSite;
      const links = hosts + platform.sites + backboneLinks(platform.backbone.type, platform.sites);
      const field = platform.hostsPerSite >= platform.sites ? "hostsPerSite" : "sites";
      return { hosts, links, field: `platform.${field}` };
    }
    case "inline": {
      let hosts = 0;
      let largest = { hosts: 0, field: "platform.sites" };
      platform.sites.forEach((site, i) => {
        site.clusters.forEach((cluster, j) => {
          hosts += cluster.hosts;
          if (cluster.hosts > largest.hosts) {
            largest = { hosts: cluster.hosts, field: `platform.sites[${i}].clusters[${j}].hosts` };
          }
        });
      });
      const sites = platform.sites.length;
      const backbone =
        platform.backbone.type === "graph"
          ? platform.backbone.links.length
          : backboneLinks(platform.backbone.type, sites);
      return { hosts, links: hosts + sites + backbone, field: largest.field };
    }
  }
}

function backboneLinks(type: "shared" | "star" | "ring" | "mesh", sites: number): number {
  return type === "mesh" ? (sites * (sites - 1)) / 2 : sites;
}

function workloadCounts(scenario: Scenario): { jobs: number; vms: number; field: string } {
  const workload = scenario.workload;
  if (workload.type !== "vjobs") return { jobs: 0, vms: 0, field: "workload" };
  const arrivals = workload.arrivals;
  switch (arrivals.type) {
    case "list":
      return {
        jobs: arrivals.jobs.length,
        vms: arrivals.jobs.reduce((sum, job) => sum + job.vms, 0),
        field: "workload.arrivals.jobs",
      };
    case "poisson": {
      // "trace": as many as the largest shipped PlanetLab day has VMs.
      const count = arrivals.count === "trace" ? LARGEST_PLANETLAB_DAY : arrivals.count;
      return {
        jobs: count,
        vms: count * arrivals.vms,
        field: `workload.arrivals.${arrivals.vms > count ? "vms" : "count"}`,
      };
    }
    case "swf":
      // The log's jobs are counted once it is read (checkReferences); `limit` caps them.
      return {
        jobs: arrivals.limit ?? 0,
        vms: arrivals.limit ?? 0,
        field: "workload.arrivals.limit",
      };
  }
}
