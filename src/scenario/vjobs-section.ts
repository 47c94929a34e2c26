import * as z from "zod";
import { vjobNamesOf } from "../workload/services.js";
import { PLANETLAB_DAYS } from "../workload/planetlab.js";
import { bandwidth, duration, flops, size } from "./quantities.js";
import { LIMITS } from "./limits.js";
import { distinctItems } from "./distinct.js";

/**
 * The `vjobs` workload: virtualized jobs (sets of VMs) arriving on the platform, placed by the
 * scenario's placement policy, each VM's CPU load following a profile and its work progressing at the CPU it
 * is granted.
 */

const fraction = () => z.number().min(0).max(1);

export const vmTemplate = z
  .strictObject({
    vcpus: z.int().min(1).max(LIMITS.vcpus).default(1),
    memory: size()
      .pipe(z.number().positive())
      .default(2 ** 30),
    workingSet: fraction()
      .default(0.9)
      .meta({ description: "fraction of the RAM the VM keeps rewriting (caps a migration round)" }),
    dirtyRate: bandwidth()
      .pipe(z.number().min(0))
      .default(0)
      .meta({ description: "RAM dirtied per second by one fully busy vCPU, bytes/s" }),
    image: size().pipe(z.number().min(0)).default(2e9).meta({ description: "disk image size" }),
  })
  .meta({ description: "what every VM is made of" });

export const loadProfileSpec = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("constant"),
      fraction: fraction().default(1).meta({ description: "busy fraction of the vCPUs" }),
    }),
    z.strictObject({
      type: z.literal("injector"),
      mean: fraction(),
      sd: z.number().min(0),
      interval: duration()
        .pipe(z.number().positive())
        .meta({ description: "mean time between two load changes (exponential)" }),
    }),
    z.strictObject({
      type: z.literal("planetlab"),
      day: z.enum([...PLANETLAB_DAYS, "by-seed"]).meta({
        description:
          'the day replayed; "by-seed": the seed-th of the ten days (seeds 1 to 10: every day once, as replications)',
      }),
      firstVm: z
        .int()
        .min(0)
        .max(LIMITS.traceVm)
        .default(0)
        .meta({ description: "the n-th VM started replays trace VM firstVm + n (modulo)" }),
    }),
  ])
  .meta({ description: "how each VM's CPU demand changes over time" });

const work = z
  .union([
    z.strictObject({ flops: flops().pipe(z.number().min(0)) }),
    z.strictObject({ coreSeconds: duration().pipe(z.number().min(0)) }),
  ])
  .meta({ description: "work of each VM: flops, or core-seconds of the core it runs on" });

const jobShape = {
  vms: z.int().min(1).max(LIMITS.vmsPerJob).default(1).meta({ description: "VMs per job" }),
  work: work.optional(),
  duration: duration()
    .pipe(z.number().positive())
    .optional()
    .meta({ description: "for jobs without work: how long they run" }),
  homeSite: z.string().optional().meta({ description: "site name placement tries first" }),
};

export const arrivalsSpec = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("list"),
    jobs: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
          submit: duration().pipe(z.number().min(0)),
          replicas: z.int().min(1).max(LIMITS.jobs).optional().meta({
            description:
              "a replicated service: this many vjobs alike, <name>-0, <name>-1..., each failing and restored on its own (constraints may name the service for all of them; summary.services measures its availability)",
          }),
          ...jobShape,
        }),
      )
      .min(1)
      .superRefine(distinctItems("a job name", (job) => job.name, "name"))
      .superRefine(distinctReplicas),
  }),
  z.strictObject({
    type: z.literal("poisson"),
    count: z.union([z.int().min(1).max(LIMITS.jobs), z.literal("trace")]).meta({
      description:
        'jobs to submit; "trace": as many as the PlanetLab day has VMs (one VM each), with a planetlab load',
    }),
    interarrival: duration()
      .pipe(z.number().positive())
      .meta({ description: "mean time between arrivals" }),
    ...jobShape,
  }),
  z.strictObject({
    type: z.literal("swf"),
    file: z.string().meta({ description: "SWF log, relative to the scenario file" }),
    vcpusPerVm: z.int().min(1).max(LIMITS.vcpus).default(4),
    memoryPerVcpu: size()
      .pipe(z.number().positive())
      .default(2 ** 30)
      .meta({ description: "RAM per vCPU when the log gives none" }),
    limit: z
      .int()
      .min(1)
      .max(LIMITS.jobs)
      .optional()
      .meta({ description: "use only the first N jobs" }),
  }),
]);

export const vjobsWorkload = z.strictObject({
  type: z.literal("vjobs"),
  vm: vmTemplate.default({
    vcpus: 1,
    memory: 2 ** 30,
    workingSet: 0.9,
    dirtyRate: 0,
    image: 2e9,
  }),
  load: loadProfileSpec.default({ type: "constant", fraction: 1 }),
  arrivals: arrivalsSpec,
  boot: z
    .strictObject({
      delay: duration().pipe(z.number().min(0)).default(30),
      imageStore: z
        .string()
        .optional()
        .meta({ description: "host the images are copied from; none: local images" }),
    })
    .default({ delay: 30 }),
});

export type VjobsWorkload = z.output<typeof vjobsWorkload>;

/** A replica's name (`web-0`) taken by another listed job, or by another service's replica. */
function distinctReplicas(
  jobs: readonly { name: string; replicas?: number | undefined }[],
  ctx: z.core.$RefinementCtx<readonly { name: string; replicas?: number | undefined }[]>,
): void {
  const owner = new Map<string, number>();
  jobs.forEach((job, i) => {
    for (const name of vjobNamesOf(job)) {
      const seen = owner.get(name);
      if (seen !== undefined && seen !== i) {
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `expected vjob names of its own, got ${JSON.stringify(name)}, also a vjob of [${seen}]`,
          input: job,
        });
        return;
      }
      owner.set(name, i);
    }
  });
}
