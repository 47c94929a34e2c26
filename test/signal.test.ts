import { describe, expect, it } from "vitest";
import { Signal } from "../src/sim/index.js";

describe("Signal", () => {
  it("calls listeners in subscription order with the payload", () => {
    const signal = new Signal<number>("tick");
    const log: string[] = [];
    signal.subscribe((n) => log.push(`a${n}`));
    signal.subscribe((n) => log.push(`b${n}`));
    signal.emit(1);
    signal.emit(2);
    expect(log).toEqual(["a1", "b1", "a2", "b2"]);
  });

  it("lets a listener unsubscribe while the signal is being emitted", () => {
    const signal = new Signal<number>("tick");
    const log: string[] = [];
    const off = signal.subscribe((n) => {
      log.push(`once${n}`);
      off();
    });
    signal.subscribe((n) => log.push(`always${n}`));
    signal.emit(1);
    signal.emit(2);
    expect(log).toEqual(["once1", "always1", "always2"]);
  });

  it("tells whether anybody listens", () => {
    const signal = new Signal<void>("ping");
    expect(signal.observed).toBe(false);
    const off = signal.subscribe(() => undefined);
    expect(signal.observed).toBe(true);
    off();
    expect(signal.observed).toBe(false);
  });
});
