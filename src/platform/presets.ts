import type { PlatformSpec } from "./build.js";
import { grid5000Platform } from "./grid5000.js";
import { syntheticPlatform } from "./synthetic.js";

export interface PresetOptions {
  readonly sites?: readonly string[] | undefined;
  readonly clusters?: readonly string[] | undefined;
  readonly scale?: number | undefined;
}

export interface PlatformPreset {
  readonly name: string;
  readonly description: string;
  readonly build: (options: PresetOptions) => PlatformSpec;
}

/** Platforms known by name (`skysim platform list`); scenario files reach them by `type`. */
export const PLATFORM_PRESETS: readonly PlatformPreset[] = [
  {
    name: "grid5000-2011",
    description:
      "Grid'5000 in 2011: 11 sites, 21 clusters, 1463 hosts, the RENATER backbone (selectable, scalable)",
    build: (options) => grid5000Platform(options),
  },
  {
    name: "synthetic",
    description: "identical sites for scale studies (defaults: SimGrid sgpeer's 2 sites x 2 hosts)",
    build: () => syntheticPlatform(),
  },
];
