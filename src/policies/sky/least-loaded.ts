import { candidateSites, firstBest, siteLoads, vjobSize } from "./site-load.js";
import type { Relocation, SkyPolicy } from "./sky-policy.js";

/**
 * Least loaded: the site with the lowest CPU demand per up core among those whose free RAM holds
 * the whole vjob (home site first, then id, on ties). When none holds it, the lowest load anyway:
 * the placement then spills, or the vjob waits where demand is lightest.
 */
export function leastLoaded(relocation: Relocation | undefined): SkyPolicy {
  return {
    name: "least-loaded",
    relocation,
    siteFor(view, request) {
      const sites = candidateSites(siteLoads(view), request);
      const { memory } = vjobSize(request);
      const holding = sites.filter((s) => s.freeMemory >= memory);
      return firstBest(holding.length > 0 ? holding : sites, (a, b) => a.load < b.load)?.site;
    },
  };
}
