import { type Placement, placeEach, scanHosts } from "./placement.js";

/** Static first-fit: each VM on the first host (home site first, id order) it fits on. */
export function firstFit(vcpusPerCore: number): Placement {
  return {
    name: "first-fit",
    place: (view, vms, homeSite) =>
      placeEach(view, vcpusPerCore, vms, (room, vm) => {
        let chosen: number | undefined;
        scanHosts(view.platform, homeSite, (host) => {
          if (room.fits(host, vm)) chosen = host;
          return chosen !== undefined;
        });
        return chosen;
      }),
  };
}
