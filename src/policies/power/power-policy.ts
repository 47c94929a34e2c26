import type { PowerState } from "../../compute/power-model.js";
import type { CloudView } from "../cloud-view.js";

/** What a power policy sees: the cloud, with every host's power state. */
export interface PowerView extends CloudView {
  powerState(host: number): PowerState;
}

/**
 * When hosts switch off and on. The engine asks `switchOff` about a host that is on and has held
 * no VM for `idleFor` seconds (and is not busy storing images or snapshots), and boots hosts that
 * are off when a vjob, a restore or a plan finds no room on the hosts that are on, if
 * `wakeOnDemand`: placement then sees them as empty hosts that cost a boot, and the vjob waits
 * for the boot.
 */
export interface PowerPolicy {
  readonly name: string;
  /** Seconds a host stays empty before `switchOff` is asked; undefined: never. */
  readonly idleFor: number | undefined;
  /** Whether to switch off this host, empty for `idleFor`; asked again `idleFor` later if not. */
  switchOff(view: PowerView, host: number): boolean;
  readonly wakeOnDemand: boolean;
}
