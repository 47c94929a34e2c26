import type { RandomStream } from "../../sim/random.js";
import { type Placement, placeEach } from "./placement.js";

/** Random: each VM on a host drawn uniformly among those it fits on, from the given stream. */
export function randomFit(vcpusPerCore: number, rng: RandomStream): Placement {
  return {
    name: "random",
    place: (view, vms) =>
      placeEach(view, vcpusPerCore, vms, (room, vm) => {
        // Two passes (count, then the k-th), so that no list of the platform is built.
        const hosts = view.platform.hosts;
        let fitting = 0;
        for (const host of hosts) if (room.fits(host.id, vm)) fitting++;
        if (fitting === 0) return undefined;
        let k = Math.floor(rng.next() * fitting);
        for (const host of hosts) {
          if (!room.fits(host.id, vm)) continue;
          if (k === 0) return host.id;
          k--;
        }
        return undefined;
      }),
  };
}
