import seedrandom from "seedrandom";

/** A source of uniform doubles in [0, 1) with 53 bits of precision. */
export interface RandomStream {
  readonly name: string;
  /** A uniform draw in [0, 1). */
  next(): number;
}

/**
 * Named random streams derived from one scenario seed. Each stream is its own generator seeded by
 * (seed, name), so adding a stream, or drawing more from one, never shifts another stream's draws.
 * The generator is seedrandom's xor4096 (Brent's xorgens, period 2^4096 - 2^32, passes BigCrush).
 */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly seed: number | string) {}

  /** The stream with this name; asking twice returns the same stream, not a fresh copy. */
  stream(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = createStream(`skysim:${String(this.seed)}:${name}`, name);
      this.streams.set(name, stream);
    }
    return stream;
  }

  /**
   * Forgets a stream whose owner is gone (a stopped VM's), so that long runs do not keep every
   * generator ever made (xor4096 holds 4 kB of state). Asking for it again starts it over.
   */
  release(name: string): void {
    this.streams.delete(name);
  }
}

function createStream(key: string, name: string): RandomStream {
  const prng = seedrandom.xor4096(key);
  return { name, next: () => prng.double() };
}
