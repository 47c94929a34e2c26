import { vjobNamesOf } from "../workload/services.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Platform } from "../platform/platform.js";
import type { VjobsWorkload } from "../scenario/vjobs-section.js";
import type { RandomStreams } from "../sim/random.js";
import {
  type LoadProfile,
  constantLoad,
  injectorLoad,
  planetLabLoad,
} from "../workload/load-profiles.js";
import { PLANETLAB_DAYS, type PlanetLabDay, planetLabDay } from "../workload/planetlab.js";
import { parseSwf } from "../workload/swf.js";
import type { VjobSpec, WorkAmount } from "../workload/vjob.js";
import {
  type LoadChooser,
  type VjobTemplate,
  type VmTemplate,
  poissonVjobs,
  swfVjobs,
  vjobOf,
} from "../workload/vjob-arrivals.js";

type JobShape = {
  readonly vms: number;
  readonly work?: { readonly flops: number } | { readonly coreSeconds: number } | undefined;
  readonly duration?: number | undefined;
  readonly homeSite?: string | undefined;
};

/**
 * Load profiles in VM order: the n-th VM asked for (jobs in order, their VMs in order) replays
 * PlanetLab VM firstVm + n, modulo the day's VMs; other profiles are the same for every VM.
 */
function loadChooser(spec: VjobsWorkload["load"], seed: number): LoadChooser {
  switch (spec.type) {
    case "constant":
      return () => constantLoad(spec.fraction);
    case "injector": {
      const profile = injectorLoad(spec.mean, spec.sd, spec.interval);
      return () => profile;
    }
    case "planetlab": {
      const trace = planetLabDay(dayOf(spec.day, seed));
      let next = spec.firstVm;
      return (): LoadProfile => planetLabLoad(trace, next++ % trace.vms.length);
    }
  }
}

function templateOf(shape: JobShape, vm: VmTemplate, platform: Platform): VjobTemplate {
  const work: WorkAmount | undefined =
    shape.work === undefined
      ? undefined
      : "flops" in shape.work
        ? { unit: "flops", amount: shape.work.flops }
        : { unit: "core-seconds", amount: shape.work.coreSeconds };
  const homeSite = platform.sites.find((site) => site.name === shape.homeSite)?.id;
  return {
    vms: shape.vms,
    vm,
    ...(work === undefined ? {} : { work }),
    ...(shape.duration === undefined ? {} : { duration: shape.duration }),
    ...(homeSite === undefined ? {} : { homeSite }),
  };
}

/**
 * The vjobs a `vjobs` workload submits, in submission order (a listed job keeps its place among
 * jobs submitted at the same time); `baseDir` is the scenario file's folder.
 */
export function vjobSpecsOf(
  workload: VjobsWorkload,
  platform: Platform,
  baseDir: string,
  streams: RandomStreams,
  seed: number,
): Iterable<VjobSpec> {
  const vm: VmTemplate = {
    vcpus: workload.vm.vcpus,
    memory: workload.vm.memory,
    workingSet: workload.vm.workingSet,
    dirtyRate: workload.vm.dirtyRate,
    imageSize: workload.vm.image,
  };
  const load = loadChooser(workload.load, seed);
  const arrivals = workload.arrivals;
  switch (arrivals.type) {
    case "list":
      // A replicated job's replicas follow each other, each its own vjob (and load).
      return [...arrivals.jobs]
        .sort((a, b) => a.submit - b.submit)
        .flatMap((job) => vjobNamesOf(job).map((name) => ({ job, name })))
        .map(({ job, name }, index) =>
          vjobOf(name, job.submit, index, templateOf(job, vm, platform), load),
        );
    case "poisson":
      return poissonVjobs(
        arrivals.count === "trace" ? traceJobs(workload, seed) : arrivals.count,
        arrivals.interarrival,
        templateOf(arrivals, vm, platform),
        load,
        streams.stream("workload/arrivals"),
      );
    case "swf": {
      const log = parseSwf(arrivals.file, readFileSync(join(baseDir, arrivals.file), "utf8"));
      const jobs = arrivals.limit === undefined ? log.jobs : log.jobs.slice(0, arrivals.limit);
      return swfVjobs(
        { jobs, skipped: log.skipped },
        {
          vcpusPerVm: arrivals.vcpusPerVm,
          vm: { workingSet: vm.workingSet, dirtyRate: vm.dirtyRate, imageSize: vm.imageSize },
          memoryPerVcpu: arrivals.memoryPerVcpu,
        },
        load,
      );
    }
  }
}

/** The day a planetlab load replays: the one named, or the seed-th of the ten ("by-seed"). */
export function dayOf(day: PlanetLabDay | "by-seed", seed: number): PlanetLabDay {
  if (day !== "by-seed") return day;
  const index =
    (((seed - 1) % PLANETLAB_DAYS.length) + PLANETLAB_DAYS.length) % PLANETLAB_DAYS.length;
  return PLANETLAB_DAYS[index] ?? PLANETLAB_DAYS[0];
}

/** Jobs of `vms` VMs covering every VM of the PlanetLab day replayed (count: "trace"). */
function traceJobs(workload: VjobsWorkload, seed: number): number {
  const { load, arrivals } = workload;
  if (load.type !== "planetlab" || arrivals.type !== "poisson") {
    throw new Error('count "trace" needs a planetlab load (checked when the scenario is loaded)');
  }
  return Math.ceil(planetLabDay(dayOf(load.day, seed)).vms.length / arrivals.vms);
}
