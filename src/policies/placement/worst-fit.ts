import { type Placement, type Candidate, candidates, leftAfter, placeEach } from "./placement.js";

/** Worst-fit: each VM on the host it leaves with the most room (spreads load; see `leftAfter`). */
export function worstFit(vcpusPerCore: number): Placement {
  return {
    name: "worst-fit",
    place: (view, vms, homeSite) =>
      placeEach(candidates(view, homeSite, vcpusPerCore), vms, (fitting, vm) =>
        fitting.reduce((best: Candidate, c) => (leftAfter(c, vm) > leftAfter(best, vm) ? c : best)),
      ),
  };
}
