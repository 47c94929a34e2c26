import { type Placement, type Candidate, candidates, leftAfter, placeEach } from "./placement.js";

/** Best-fit: each VM on the host it leaves with the least room (see `leftAfter`). */
export function bestFit(vcpusPerCore: number): Placement {
  return {
    name: "best-fit",
    place: (view, vms, homeSite) =>
      placeEach(candidates(view, homeSite, vcpusPerCore), vms, (fitting, vm) =>
        fitting.reduce((best: Candidate, c) => (leftAfter(c, vm) < leftAfter(best, vm) ? c : best)),
      ),
  };
}
