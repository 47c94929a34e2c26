import { describe, expect, it } from "vitest";
import { RandomStreams } from "../src/sim/index.js";

const draws = (streams: RandomStreams, name: string, n: number): number[] =>
  Array.from({ length: n }, () => streams.stream(name).next());

describe("RandomStreams", () => {
  it("gives the same draws for the same seed and name", () => {
    expect(draws(new RandomStreams(7), "failures/rennes", 100)).toEqual(
      draws(new RandomStreams(7), "failures/rennes", 100),
    );
  });

  it("gives different draws for other names and other seeds", () => {
    const base = draws(new RandomStreams(7), "a", 10);
    expect(draws(new RandomStreams(7), "b", 10)).not.toEqual(base);
    expect(draws(new RandomStreams(8), "a", 10)).not.toEqual(base);
  });

  it("leaves a stream's draws unchanged when another stream is added and used", () => {
    const alone = new RandomStreams(42);
    const expected = draws(alone, "workload/arrivals", 1000);

    const crowded = new RandomStreams(42);
    const interleaved: number[] = [];
    for (let i = 0; i < 1000; i++) {
      crowded.stream(`new/component-${i % 7}`).next(); // streams created and drawn in between
      interleaved.push(crowded.stream("workload/arrivals").next());
    }
    expect(interleaved).toEqual(expected);
  });

  it("returns the same stream object when asked twice", () => {
    const streams = new RandomStreams(1);
    expect(streams.stream("x")).toBe(streams.stream("x"));
  });

  it("draws in [0, 1)", () => {
    const values = draws(new RandomStreams(3), "range", 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});
