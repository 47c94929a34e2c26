import { candidateSites, firstBest, siteLoads } from "./site-load.js";
import type { Relocation, SkyPolicy } from "./sky-policy.js";

/**
 * Most free: the site with the most idle cores (cores of up hosts minus CPU demand), then the most
 * free RAM; home site first, then id, on ties. Unlike least-loaded it favours big sites.
 */
export function mostFree(relocation: Relocation | undefined): SkyPolicy {
  return {
    name: "most-free",
    relocation,
    siteFor: (view, request) =>
      firstBest(
        candidateSites(siteLoads(view), request),
        (a, b) =>
          a.freeCores > b.freeCores || (a.freeCores === b.freeCores && a.freeMemory > b.freeMemory),
      )?.site,
  };
}
