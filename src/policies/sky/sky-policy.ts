import type { VmSpec } from "../../compute/vm.js";
import type { CloudView } from "../cloud-view.js";

/** A vjob looking for a site: to start, to restart after a failure, or to fly away. */
export interface SkyRequest {
  readonly vms: readonly VmSpec[];
  /** The vjob's home site (where its users are). */
  readonly homeSite: number | undefined;
  /** Site it runs on now (a flying vjob) or ran on (a homeless one); undefined for a new vjob. */
  readonly from: number | undefined;
  /** A site it must not go to (the overloaded one it flies from). */
  readonly avoid?: number;
}

/** When a site sheds its running vjobs to other sites, and how they travel. */
export interface Relocation {
  /** A site flies vjobs away when its CPU demand / cores of its up hosts exceeds this... */
  readonly overload: number;
  /** ...for longer than this, s. */
  readonly after: number;
  readonly move: "live-migration" | "snapshot";
}

/**
 * Which cloud (site) a vjob goes to, and when running ones fly. It only names a site: the
 * placement policy still picks the hosts, and the engine carries out the moves.
 */
export interface SkyPolicy {
  readonly name: string;
  /** The site to try first (the placement spills to the others if it cannot host the vjob there); undefined: no preference. */
  siteFor(view: CloudView, request: SkyRequest): number | undefined;
  /** When running vjobs fly; undefined: never. */
  readonly relocation: Relocation | undefined;
}
