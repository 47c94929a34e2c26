import type { VmSpec } from "../compute/vm.js";
import { poissonArrivals } from "../sim/distributions.js";
import type { RandomStream } from "../sim/random.js";
import type { LoadProfile } from "./load-profiles.js";
import type { SwfLog } from "./swf.js";
import type { VjobSpec, WorkAmount } from "./vjob.js";

/** What every VM of a generated vjob is made of (its name comes from the job's). */
export type VmTemplate = Omit<VmSpec, "name">;

/** The load of VM `vm` of the `job`-th generated vjob. */
export type LoadChooser = (job: number, vm: number) => LoadProfile;

export interface VjobTemplate {
  readonly vms: number;
  readonly vm: VmTemplate;
  readonly work?: WorkAmount;
  readonly duration?: number;
  readonly homeSite?: number;
}

/** The `job`-th vjob, named `name`, built from a template. */
export function vjobOf(
  name: string,
  submit: number,
  job: number,
  template: VjobTemplate,
  load: LoadChooser,
): VjobSpec {
  const vms = Array.from({ length: template.vms }, (_, v) => ({
    ...template.vm,
    name: `${name}-vm${v}`,
  }));
  return {
    name,
    submit,
    vms,
    loads: vms.map((_, v) => load(job, v)),
    ...(template.work === undefined ? {} : { work: vms.map(() => template.work as WorkAmount) }),
    ...(template.duration === undefined ? {} : { duration: template.duration }),
    ...(template.homeSite === undefined ? {} : { homeSite: template.homeSite }),
  };
}

/**
 * `count` vjobs arriving as a Poisson process of mean gap `meanInterarrival`, from time 0, made one
 * at a time as they are drawn.
 */
export function* poissonVjobs(
  count: number,
  meanInterarrival: number,
  template: VjobTemplate,
  load: LoadChooser,
  rng: RandomStream,
): Generator<VjobSpec, void> {
  const times = poissonArrivals(1 / meanInterarrival, rng);
  for (let job = 0; job < count; job++) {
    yield vjobOf(`job${job}`, times.next().value, job, template, load);
  }
}

export interface SwfMapping {
  /** vCPUs per VM: a job of p processors becomes ceil(p / vcpus) VMs, the last one smaller. */
  readonly vcpusPerVm: number;
  readonly vm: Omit<VmTemplate, "vcpus" | "memory">;
  /** RAM per vCPU when the log does not give the job's memory, bytes. */
  readonly memoryPerVcpu: number;
}

/**
 * One vjob per SWF job, submitted at the log's submit time: its processors packed into VMs of
 * `vcpusPerVm` vCPUs, each VM's work the job's run time x its vCPUs (core-seconds), so that a
 * job alone on fast enough cores at full load lasts its logged run time.
 */
export function swfVjobs(log: SwfLog, mapping: SwfMapping, load: LoadChooser): VjobSpec[] {
  // Logs are in submission order as a rule; sorting (stably) makes sure, for the runner.
  const jobs = [...log.jobs].sort((a, b) => a.submit - b.submit);
  return jobs.map((job, index) => {
    const name = `swf${job.id}`;
    const sizes: number[] = [];
    for (let left = job.processors; left > 0; left -= mapping.vcpusPerVm) {
      sizes.push(Math.min(left, mapping.vcpusPerVm));
    }
    const perVcpu = job.memoryPerProcessor ?? mapping.memoryPerVcpu;
    const vms = sizes.map((vcpus, v) => ({
      ...mapping.vm,
      name: `${name}-vm${v}`,
      vcpus,
      memory: vcpus * perVcpu,
    }));
    return {
      name,
      submit: job.submit,
      vms,
      loads: vms.map((_, v) => load(index, v)),
      work: vms.map((vm) => ({ unit: "core-seconds" as const, amount: job.runTime * vm.vcpus })),
    };
  });
}
