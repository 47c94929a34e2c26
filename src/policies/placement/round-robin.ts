import { type Placement, candidates, placeEach } from "./placement.js";

/**
 * Round-robin: each VM on the first host it fits on after the host that received the previous VM,
 * cycling through all host ids (VMPlaceS's initial placement). The home site is not preferred:
 * the point is to spread VMs evenly.
 */
export function roundRobin(vcpusPerCore: number): Placement {
  let last = -1;
  return {
    name: "round-robin",
    place: (view, vms) =>
      placeEach(candidates(view, undefined, vcpusPerCore), vms, (fitting) => {
        const next = fitting.find((c) => c.host > last) ?? fitting[0];
        last = next.host;
        return next;
      }),
  };
}
