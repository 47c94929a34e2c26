import { type Placement, bestFitting, placeEach } from "./placement.js";

/** Best-fit: each VM on the host it leaves with the least room (see `HostRoom.leftAfter`). */
export function bestFit(vcpusPerCore: number): Placement {
  return {
    name: "best-fit",
    place: (view, vms, homeSite) =>
      placeEach(view, vcpusPerCore, vms, (room, vm) =>
        bestFitting(room, vm, homeSite, (a, b) => room.leftAfter(a, vm) < room.leftAfter(b, vm)),
      ),
  };
}
