import type { RandomStream } from "../../sim/random.js";
import { type Placement, candidates, placeEach } from "./placement.js";

/** Random: each VM on a host drawn uniformly among those it fits on, from the given stream. */
export function randomFit(vcpusPerCore: number, rng: RandomStream): Placement {
  return {
    name: "random",
    place: (view, vms) =>
      placeEach(
        candidates(view, undefined, vcpusPerCore),
        vms,
        (fitting) => fitting[Math.floor(rng.next() * fitting.length)] ?? fitting[0],
      ),
  };
}
