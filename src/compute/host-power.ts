import { Signal } from "../sim/signal.js";
import type { EventId, Simulation } from "../sim/simulation.js";
import { type HostEnergyModel, POWER_STATES, type PowerState } from "./power-model.js";

export interface PowerChange {
  readonly host: number;
  readonly from: PowerState;
  readonly to: PowerState;
  readonly time: number;
}

const ON = POWER_STATES.indexOf("on");
const SWITCHING_OFF = POWER_STATES.indexOf("switching-off");
const OFF = POWER_STATES.indexOf("off");
const BOOTING = POWER_STATES.indexOf("booting");
const DOWN = POWER_STATES.indexOf("down");

/**
 * The power state of every host: on, switching off, off, booting, or down (crashed). Only a host
 * that is on holds VMs and counts as capacity. A switch-off and a boot take their model's
 * duration; a host woken while it is switching off boots as soon as it is off. A crash interrupts
 * any transition; a repaired host comes back on. Every change is signalled. A gate (a power cap)
 * may refuse a host that is off its boot: it stays off, and a repaired host comes back off.
 */
export class HostPower {
  readonly changed = new Signal<PowerChange>("host power changed");
  private readonly state: Uint8Array;
  private readonly timers: (EventId | undefined)[];
  private readonly bootWhenOff: Uint8Array;
  private mayComeOn: (host: number) => boolean = () => true;

  constructor(
    private readonly sim: Simulation,
    hosts: number,
    private readonly energyOf: (host: number) => HostEnergyModel,
    /** The host's NIC goes down with it and up with it. */
    private readonly setNic: (host: number, up: boolean) => void,
  ) {
    this.state = new Uint8Array(hosts).fill(ON);
    this.timers = new Array<EventId | undefined>(hosts).fill(undefined);
    this.bootWhenOff = new Uint8Array(hosts);
  }

  /** Lets `gate` refuse a host that is off its boot or its repair on (a power cap). */
  gateBoots(gate: (host: number) => boolean): void {
    this.mayComeOn = gate;
  }

  /** Sets a host that is on and idle off at once, before the run starts (hosts beyond a cap). */
  startOff(host: number): void {
    if (this.state[host] !== ON || this.sim.now !== 0) {
      throw new RangeError(`host ${host} can start off only when on, at time 0`);
    }
    this.setNic(host, false);
    this.enter(host, OFF);
  }

  stateOf(host: number): PowerState {
    return POWER_STATES[this.state[host] ?? DOWN] ?? "down";
  }

  isOn(host: number): boolean {
    return this.state[host] === ON;
  }

  isDown(host: number): boolean {
    return this.state[host] === DOWN;
  }

  /** Starts switching an on host off (the caller has emptied it); false if it is not on. */
  switchOff(host: number): boolean {
    if (this.state[host] !== ON) return false;
    this.setNic(host, false);
    this.enter(host, SWITCHING_OFF);
    this.timers[host] = this.sim.schedule(this.energyOf(host).shutdown.seconds, () => {
      this.timers[host] = undefined;
      this.enter(host, OFF);
      if (this.bootWhenOff[host] === 1) this.powerOn(host);
    });
    return true;
  }

  /**
   * Boots a host that is off (or will be, once switched off); true if it is or will be on without
   * a repair, false for a host that is down or that the gate keeps off.
   */
  powerOn(host: number): boolean {
    const state = this.state[host];
    if (state === ON || state === BOOTING) return true;
    if (state === SWITCHING_OFF) {
      this.bootWhenOff[host] = 1;
      return true;
    }
    if (state !== OFF || !this.mayComeOn(host)) return false;
    this.bootWhenOff[host] = 0;
    this.enter(host, BOOTING);
    this.timers[host] = this.sim.schedule(this.energyOf(host).boot.seconds, () => {
      this.timers[host] = undefined;
      this.setNic(host, true);
      this.enter(host, ON);
    });
    return true;
  }

  /**
   * The host crashed (whatever its state): any transition stops. False if it was down already.
   * Its NIC is left to the caller, which fails the VMs first (Cloud.crashHost).
   */
  crash(host: number): boolean {
    if (this.state[host] === DOWN) return false;
    this.cancelTransition(host);
    this.enter(host, DOWN);
    return true;
  }

  /**
   * A crashed host repaired (or joining): it comes back on, or off if the gate keeps it off. False
   * if it was not down.
   */
  repair(host: number): boolean {
    if (this.state[host] !== DOWN) return false;
    if (!this.mayComeOn(host)) {
      this.enter(host, OFF);
      return true;
    }
    this.setNic(host, true);
    this.enter(host, ON);
    return true;
  }

  private cancelTransition(host: number): void {
    const timer = this.timers[host];
    if (timer !== undefined) this.sim.cancel(timer);
    this.timers[host] = undefined;
    this.bootWhenOff[host] = 0;
  }

  private enter(host: number, to: number): void {
    const from = this.stateOf(host);
    this.state[host] = to;
    this.changed.emit({ host, from, to: this.stateOf(host), time: this.sim.now });
  }
}
