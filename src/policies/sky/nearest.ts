import { candidateSites, siteLatency, siteLoads, vjobSize } from "./site-load.js";
import type { Relocation, SkyPolicy } from "./sky-policy.js";

/**
 * Nearest: the site closest by backbone latency to the vjob's users (its home site; a homeless
 * vjob's last site; else site 0) among those that can take it without trouble: free RAM for the
 * whole vjob and, when vjobs fly, a load that stays at most the overload threshold with the
 * vjob's vCPUs fully busy, so that it does not land on a site it would have to leave. When none
 * can, the nearest site anyway. Ties: the origin site first, then id, so that a platform without
 * backbone latency keeps vjobs at home.
 */
export function nearest(relocation: Relocation | undefined): SkyPolicy {
  return {
    name: "nearest",
    relocation,
    siteFor(view, request) {
      const origin = request.homeSite ?? request.from ?? 0;
      const { memory, vcpus } = vjobSize(request);
      const sites = candidateSites(siteLoads(view), request)
        .map((s) => ({ ...s, latency: siteLatency(view.platform, origin, s.site) }))
        .sort(
          (a, b) =>
            a.latency - b.latency ||
            (a.site === origin ? 0 : 1) - (b.site === origin ? 0 : 1) ||
            a.site - b.site,
        );
      const roomy = sites.filter(
        (s) =>
          s.freeMemory >= memory &&
          (relocation === undefined || (s.demand + vcpus) / s.cores <= relocation.overload),
      );
      return (roomy[0] ?? sites[0])?.site;
    },
  };
}
