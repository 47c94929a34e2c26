import { type Placement, candidates, placeEach } from "./placement.js";

/** Static first-fit: each VM on the first candidate host (home site first, id order) it fits on. */
export function firstFit(vcpusPerCore: number): Placement {
  return {
    name: "first-fit",
    place: (view, vms, homeSite) =>
      placeEach(candidates(view, homeSite, vcpusPerCore), vms, (fitting) => fitting[0]),
  };
}
