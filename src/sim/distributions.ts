import type { RandomStream } from "./random.js";
import { gammaFunction, logGamma } from "./special-functions.js";

/**
 * A probability distribution over numbers, with its theoretical moments so that tests and
 * analytical formulas (failure rates, checkpoint periods) can use the same object as the sampler.
 * The stream is passed in at each draw: a distribution holds no random state of its own.
 */
export interface Distribution {
  readonly description: string;
  readonly mean: number;
  readonly variance: number;
  sample(rng: RandomStream): number;
}

function requirePositive(what: string, value: number): void {
  if (!(value > 0 && value < Infinity)) {
    throw new RangeError(`expected ${what} to be a finite number > 0, got ${value}`);
  }
}

function requireFinite(what: string, value: number): void {
  if (!Number.isFinite(value))
    throw new RangeError(`expected ${what} to be a finite number, got ${value}`);
}

/** Always `value`. */
export function fixed(value: number): Distribution {
  requireFinite("fixed value", value);
  return { description: `fixed(${value})`, mean: value, variance: 0, sample: () => value };
}

/** Uniform on [min, max). */
export function uniform(min: number, max: number): Distribution {
  requireFinite("uniform min", min);
  requireFinite("uniform max", max);
  if (!(max > min))
    throw new RangeError(`expected uniform max > min, got min ${min} and max ${max}`);
  const width = max - min;
  return {
    description: `uniform(${min}, ${max})`,
    mean: (min + max) / 2,
    variance: (width * width) / 12,
    sample: (rng) => min + width * rng.next(),
  };
}

/** Exponential with the given mean (rate 1/mean), by inversion: one draw per sample. */
export function exponential(mean: number): Distribution {
  requirePositive("exponential mean", mean);
  return {
    description: `exponential(mean ${mean})`,
    mean,
    variance: mean * mean,
    sample: (rng) => -mean * Math.log1p(-rng.next()),
  };
}

/** A standard normal draw by Box-Muller; the second variate is discarded so that every sample
 * uses exactly two uniforms and no state is carried between draws. */
function standardNormal(rng: RandomStream): number {
  const u1 = 1 - rng.next(); // (0, 1]: log(u1) is finite
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function normal(mean: number, sd: number): Distribution {
  requireFinite("normal mean", mean);
  requirePositive("normal standard deviation", sd);
  return {
    description: `normal(mean ${mean}, sd ${sd})`,
    mean,
    variance: sd * sd,
    sample: (rng) => mean + sd * standardNormal(rng),
  };
}

/** exp(N(mu, sigma²)): mu and sigma are the parameters of the underlying normal. */
export function lognormal(mu: number, sigma: number): Distribution {
  requireFinite("lognormal mu", mu);
  requirePositive("lognormal sigma", sigma);
  const s2 = sigma * sigma;
  return {
    description: `lognormal(mu ${mu}, sigma ${sigma})`,
    mean: Math.exp(mu + s2 / 2),
    variance: Math.expm1(s2) * Math.exp(2 * mu + s2),
    sample: (rng) => Math.exp(mu + sigma * standardNormal(rng)),
  };
}

/** Weibull with shape k and scale λ, by inversion: λ (-ln(1 - u))^(1/k). */
export function weibull(shape: number, scale: number): Distribution {
  requirePositive("weibull shape", shape);
  requirePositive("weibull scale", scale);
  const g1 = gammaFunction(1 + 1 / shape);
  const g2 = gammaFunction(1 + 2 / shape);
  return {
    description: `weibull(shape ${shape}, scale ${scale})`,
    mean: scale * g1,
    variance: scale * scale * (g2 - g1 * g1),
    sample: (rng) => scale * Math.pow(-Math.log1p(-rng.next()), 1 / shape),
  };
}

/** Gamma with shape k and scale θ (mean kθ), by Marsaglia and Tsang's method (2000). */
export function gamma(shape: number, scale: number): Distribution {
  requirePositive("gamma shape", shape);
  requirePositive("gamma scale", scale);
  return {
    description: `gamma(shape ${shape}, scale ${scale})`,
    mean: shape * scale,
    variance: shape * scale * scale,
    sample: (rng) => scale * standardGamma(shape, rng),
  };
}

function standardGamma(shape: number, rng: RandomStream): number {
  if (shape < 1) {
    // Boost: Gamma(k) = Gamma(k + 1) * U^(1/k) (Marsaglia and Tsang, section 6).
    const u = 1 - rng.next();
    return standardGamma(shape + 1, rng) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Poisson counts with the given mean: inversion for small means, Hörmann's PTRS above 10. */
export function poisson(mean: number): Distribution {
  requirePositive("poisson mean", mean);
  return {
    description: `poisson(mean ${mean})`,
    mean,
    variance: mean,
    sample: mean < 10 ? (rng) => poissonByInversion(mean, rng) : poissonPtrs(mean),
  };
}

function poissonByInversion(mean: number, rng: RandomStream): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let product = rng.next();
  while (product > limit) {
    k++;
    product *= rng.next();
  }
  return k;
}

// W. Hörmann, "The transformed rejection method for generating Poisson random variables" (1993),
// algorithm PTRS, with the constants of the paper (as numpy uses them).
function poissonPtrs(mean: number): (rng: RandomStream) => number {
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  return (rng) => {
    for (;;) {
      const u = rng.next() - 0.5;
      const v = rng.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b);
      if (lhs <= -mean + k * loglam - logGamma(k + 1)) return k;
    }
  };
}

/**
 * Arrival times of a Poisson process of the given rate (events per second) starting after
 * `start`: independent exponential gaps of mean 1/rate.
 */
export function* poissonArrivals(
  rate: number,
  rng: RandomStream,
  start = 0,
): Generator<number, never> {
  const gap = exponential(1 / rate);
  let time = start;
  for (;;) {
    time += gap.sample(rng);
    yield time;
  }
}
