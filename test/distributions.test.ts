import { describe, expect, it } from "vitest";
import {
  type Distribution,
  RandomStreams,
  exponential,
  fixed,
  gamma,
  gammaFunction,
  logGamma,
  lognormal,
  normal,
  poisson,
  poissonArrivals,
  uniform,
  weibull,
} from "../src/sim/index.js";

const N = 100_000;

function moments(values: readonly number[]): { mean: number; variance: number } {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { mean, variance: squares / (values.length - 1) };
}

function sample(distribution: Distribution, name: string, n = N): number[] {
  const rng = new RandomStreams("distribution-tests").stream(name);
  return Array.from({ length: n }, () => distribution.sample(rng));
}

describe("distributions: theoretical moments", () => {
  it("are the textbook formulas", () => {
    expect(uniform(2, 5).mean).toBe(3.5); // (2 + 5) / 2
    expect(uniform(2, 5).variance).toBe(0.75); // (5 - 2)^2 / 12 = 9 / 12
    expect(exponential(2).variance).toBe(4); // mean^2
    // Weibull(k = 2, λ = 3): mean = 3 Γ(1.5) = 3 (√π / 2); variance = 9 (Γ(2) - Γ(1.5)^2) = 9 (1 - π/4)
    expect(weibull(2, 3).mean).toBeCloseTo((3 * Math.sqrt(Math.PI)) / 2, 12);
    expect(weibull(2, 3).variance).toBeCloseTo(9 * (1 - Math.PI / 4), 12);
    // Lognormal(0, 0.5): mean = e^(0.125); variance = (e^0.25 - 1) e^0.25
    expect(lognormal(0, 0.5).mean).toBeCloseTo(Math.exp(0.125), 14);
    expect(lognormal(0, 0.5).variance).toBeCloseTo((Math.exp(0.25) - 1) * Math.exp(0.25), 14);
    expect(gamma(4, 2).mean).toBe(8); // k θ
    expect(gamma(4, 2).variance).toBe(16); // k θ^2
    expect(gammaFunction(5)).toBeCloseTo(24, 10); // 4!
    expect(gammaFunction(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(fixed(3).variance).toBe(0);
  });

  it("rejects parameters outside their domain", () => {
    expect(() => exponential(0)).toThrow(/exponential mean/);
    expect(() => uniform(3, 3)).toThrow(/max > min/);
    expect(() => weibull(-1, 1)).toThrow(/weibull shape/);
    expect(() => normal(0, Number.NaN)).toThrow(/standard deviation/);
  });
});

describe("distributions: 100k seeded draws match theory within 1%", () => {
  // Parameters are chosen with moderate kurtosis so that 1% is at least ~2 standard errors of the
  // variance estimate, whose relative standard error is sqrt((kurtosis - 1) / n).
  const cases: [string, Distribution][] = [
    ["uniform(2, 5)", uniform(2, 5)],
    ["exponential(mean 2)", exponential(2)],
    ["normal(10, 2)", normal(10, 2)],
    ["lognormal(0, 0.25)", lognormal(0, 0.25)],
    ["weibull(2, 3)", weibull(2, 3)],
    ["weibull(G5K06 up-time: 0.48, 14.37)", weibull(0.48, 14.37)],
    ["gamma(4, 2)", gamma(4, 2)],
    ["gamma(0.5, 3) (shape < 1)", gamma(0.5, 3)],
    ["poisson(3) (inversion)", poisson(3)],
    ["poisson(40) (PTRS)", poisson(40)],
  ];
  for (const [name, distribution] of cases) {
    it(name, () => {
      // Heavy tails (Weibull shape 0.48: kurtosis ~ 40) need more draws for the same precision.
      const n = name.startsWith("weibull(G5K06")
        ? 40 * N
        : name.startsWith("gamma(0.5")
          ? 10 * N
          : N;
      const { mean, variance } = moments(sample(distribution, name, n));
      expect(Math.abs(mean / distribution.mean - 1)).toBeLessThan(0.01);
      expect(Math.abs(variance / distribution.variance - 1)).toBeLessThan(0.01);
    });
  }

  it("poisson arrivals: counts per unit window are Poisson(rate)", () => {
    // A Poisson process of rate 5/s observed over 100k one-second windows: each count has mean 5
    // and variance 5.
    const rng = new RandomStreams("distribution-tests").stream("arrivals");
    const counts = new Array<number>(N).fill(0);
    for (const t of poissonArrivals(5, rng)) {
      if (t >= N) break;
      counts[Math.floor(t)] = (counts[Math.floor(t)] ?? 0) + 1;
    }
    const { mean, variance } = moments(counts);
    expect(Math.abs(mean / 5 - 1)).toBeLessThan(0.01);
    expect(Math.abs(variance / 5 - 1)).toBeLessThan(0.01);
  });

  it("poisson counts are integers >= 0", () => {
    for (const v of sample(poisson(40), "int-check", 1000)) {
      expect(Number.isInteger(v) && v >= 0).toBe(true);
    }
  });
});

describe("special functions", () => {
  it("logGamma agrees with ln Γ and with ln((n-1)!) where Γ would overflow", () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12); // Γ(5) = 4! = 24
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12); // Γ(½) = √π
    // ln(200!) = Σ ln k for k = 2..200; Γ(201) itself overflows a double.
    let lnFactorial = 0;
    for (let k = 2; k <= 200; k++) lnFactorial += Math.log(k);
    expect(logGamma(201) / lnFactorial).toBeCloseTo(1, 12);
  });
});
