import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { packageFile } from "../package-files.js";

/** The days shipped in data/planetlab (see its README for provenance). */
export const PLANETLAB_DAYS = [
  "20110303",
  "20110306",
  "20110309",
  "20110322",
  "20110325",
  "20110403",
  "20110409",
  "20110411",
  "20110412",
  "20110420",
] as const;

export type PlanetLabDay = (typeof PLANETLAB_DAYS)[number];

/** Seconds between two samples of a PlanetLab trace. */
export const PLANETLAB_INTERVAL = 300;
export const PLANETLAB_SAMPLES = 288;

export interface PlanetLabTrace {
  readonly day: string;
  /** VM names, in file order. */
  readonly vms: readonly string[];
  /** CPU utilisation in percent: sample k of VM v at `percent[v * 288 + k]`. */
  readonly percent: Uint8Array;
}

const cache = new Map<string, PlanetLabTrace>();

/** Reads one day of traces (cached: scenarios replaying the same day share it). */
export function planetLabDay(day: PlanetLabDay): PlanetLabTrace {
  const cached = cache.get(day);
  if (cached !== undefined) return cached;
  const text = gunzipSync(readFileSync(packageFile("data", "planetlab", `${day}.csv.gz`))).toString(
    "utf8",
  );
  const trace = parsePlanetLabCsv(day, text);
  cache.set(day, trace);
  return trace;
}

/** Parses the `vm,t000,...,t287` layout; throws naming the line of anything else. */
export function parsePlanetLabCsv(day: string, text: string): PlanetLabTrace {
  const lines = text.split("\n").filter((line) => line.length > 0);
  const vms: string[] = [];
  const percent = new Uint8Array((lines.length - 1) * PLANETLAB_SAMPLES);
  lines.slice(1).forEach((line, v) => {
    const cells = line.split(",");
    if (cells.length !== PLANETLAB_SAMPLES + 1) {
      throw new Error(
        `planetlab ${day}, line ${v + 2}: expected ${PLANETLAB_SAMPLES + 1} cells, got ${cells.length}`,
      );
    }
    vms.push(cells[0] ?? "");
    for (let k = 0; k < PLANETLAB_SAMPLES; k++) {
      const value = Number(cells[k + 1]);
      if (!(Number.isInteger(value) && value >= 0 && value <= 100)) {
        throw new Error(
          `planetlab ${day}, line ${v + 2}: expected a percentage, got "${cells[k + 1] ?? ""}"`,
        );
      }
      percent[v * PLANETLAB_SAMPLES + k] = value;
    }
  });
  return { day, vms, percent };
}
