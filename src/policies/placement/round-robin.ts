import { type Placement, placeEach } from "./placement.js";

/**
 * Round-robin: each VM on the first host it fits on after the host that received the previous VM,
 * cycling through all host ids (VMPlaceS's initial placement). The home site is not preferred:
 * the point is to spread VMs evenly. The scan starts after the last host used, so a placement
 * costs the hosts it skips, not the platform.
 */
export function roundRobin(vcpusPerCore: number): Placement {
  let last = -1;
  return {
    name: "round-robin",
    place: (view, vms) =>
      placeEach(view, vcpusPerCore, vms, (room, vm) => {
        const count = view.platform.hosts.length;
        for (let step = 1; step <= count; step++) {
          // last >= -1, so the sum is never negative.
          const host = (last + step) % count;
          if (room.fits(host, vm)) {
            last = host;
            return host;
          }
        }
        return undefined;
      }),
  };
}
