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
import { planetLabDay } from "../workload/planetlab.js";
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
function loadChooser(spec: VjobsWorkload["load"]): LoadChooser {
  switch (spec.type) {
    case "constant":
      return () => constantLoad(spec.fraction);
    case "injector": {
      const profile = injectorLoad(spec.mean, spec.sd, spec.interval);
      return () => profile;
    }
    case "planetlab": {
      const trace = planetLabDay(spec.day);
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
): Iterable<VjobSpec> {
  const vm: VmTemplate = {
    vcpus: workload.vm.vcpus,
    memory: workload.vm.memory,
    workingSet: workload.vm.workingSet,
    dirtyRate: workload.vm.dirtyRate,
    imageSize: workload.vm.image,
  };
  const load = loadChooser(workload.load);
  const arrivals = workload.arrivals;
  switch (arrivals.type) {
    case "list":
      return [...arrivals.jobs]
        .sort((a, b) => a.submit - b.submit)
        .map((job, index) =>
          vjobOf(job.name, job.submit, index, templateOf(job, vm, platform), load),
        );
    case "poisson":
      return poissonVjobs(
        arrivals.count,
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
