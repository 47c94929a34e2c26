/**
 * What placement constraints cost (issue 21): the scenarios of bench/constraints/ (none.yaml, and
 * the same with constraints), each `--runs` times in fresh processes by bench/scale.ts, rounds
 * interleaved so that the machine's drift hits every variant alike; prints each variant's median
 * wall time, events and events per second, and its wall time over none.yaml's.
 *
 *   npm run bench:constraints -- --runs 3
 */
import { execFileSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { packageFile } from "../src/package-files.js";
import { median, option } from "./harness.js";

const VARIANTS = ["none", "spread", "mixed"] as const;

interface Run {
  readonly events: number;
  readonly wallSeconds: number;
}

const runs = Number(option("--runs") ?? 3);
const scale = fileURLToPath(new URL("./scale.js", import.meta.url));
const measured = new Map<string, Run[]>(VARIANTS.map((variant) => [variant, []]));
for (let round = 0; round < runs; round++) {
  for (const variant of VARIANTS) {
    const file = packageFile("bench", "constraints", `${variant}.yaml`);
    const out = execFileSync(process.execPath, [scale, "--one", file], { encoding: "utf8" });
    const run = JSON.parse(out) as Run;
    measured.get(variant)?.push(run);
    process.stdout.write(`${JSON.stringify({ variant, round, ...run })}\n`);
  }
}
const wallOf = (variant: string) => median((measured.get(variant) ?? []).map((r) => r.wallSeconds));
for (const variant of VARIANTS) {
  const all = measured.get(variant) ?? [];
  process.stdout.write(
    `${JSON.stringify({
      variant,
      runs: all.length,
      medianWallSeconds: wallOf(variant),
      events: median(all.map((r) => r.events)),
      medianEventsPerSecond: median(all.map((r) => r.events / r.wallSeconds)),
      overNone: wallOf(variant) / wallOf("none"),
    })}\n`,
  );
}
