import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FailureInjector } from "../failures/failure-injector.js";
import { joiningHosts, renewalFailures, replayFailures } from "../failures/failure-processes.js";
import { parseFailureCsv, parseFtaTrace } from "../failures/failure-trace.js";
import { FAILURE_PRESETS } from "../failures/presets.js";
import { selectTargets } from "../failures/select-targets.js";
import type { Platform } from "../platform/platform.js";
import { distributionOf } from "../scenario/distribution-spec.js";
import type { FailuresSection } from "../scenario/failures-section.js";
import type { RandomStreams } from "../sim/random.js";

/** Starts every failure process of a scenario; process i draws from streams `failures/<i>/...`. */
export function installFailures(
  failures: FailuresSection,
  platform: Platform,
  injector: FailureInjector,
  streams: RandomStreams,
  baseDir: string,
): void {
  failures.forEach((spec, i) => {
    const process = String(i);
    switch (spec.type) {
      case "renewal": {
        const preset = spec.preset === undefined ? undefined : FAILURE_PRESETS[spec.preset];
        const up = preset?.up ?? distributionOf(spec.up as NonNullable<typeof spec.up>);
        const down =
          preset?.down ?? (spec.down === undefined ? undefined : distributionOf(spec.down));
        const targets = selectTargets(platform, spec.targets, streams, process);
        renewalFailures(injector, targets, up, down, streams, process);
        return;
      }
      case "join":
        joiningHosts(
          injector,
          selectTargets(platform, spec.targets, streams, process),
          distributionOf(spec.at),
          streams,
          process,
        );
        return;
      case "trace": {
        const text = readFileSync(join(baseDir, spec.file), "utf8");
        const parse = spec.format === "csv" ? parseFailureCsv : parseFtaTrace;
        replayFailures(injector, parse(spec.file, text, platform));
        return;
      }
    }
  });
}
