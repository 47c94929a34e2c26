import { type Placement, bestFitting, placeEach } from "./placement.js";

/** Worst-fit: each VM on the host it leaves with the most room (spreads load; see `leftAfter`). */
export function worstFit(vcpusPerCore: number): Placement {
  return {
    name: "worst-fit",
    place: (view, vms, homeSite) =>
      placeEach(view, vcpusPerCore, vms, (room, vm) =>
        bestFitting(room, vm, homeSite, (a, b) => room.leftAfter(a, vm) > room.leftAfter(b, vm)),
      ),
  };
}
