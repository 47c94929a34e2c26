/**
 * Marsaglia's xorshift32, to vary the choices of a local search. It is not a simulation random
 * stream: it only diversifies a search, from a fixed seed, so decisions stay reproducible.
 */
export class Xorshift32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** An integer in [0, n), n >= 1. */
  below(n: number): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x % n;
  }
}
