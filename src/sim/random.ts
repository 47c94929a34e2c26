import { Xor4096, Xor4096Slabs } from "./xor4096.js";

/** A source of uniform doubles in [0, 1) with 53 bits of precision. */
export interface RandomStream {
  readonly name: string;
  /** A uniform draw in [0, 1). */
  next(): number;
}

/**
 * Named random streams derived from one scenario seed. Each stream is its own generator seeded by
 * (seed, name), so adding a stream, or drawing more from one, never shifts another stream's draws.
 * The generator is seedrandom's xor4096 (Brent's xorgens, period 2^4096 - 2^32, passes BigCrush),
 * in a rewrite that keeps the states of all streams in shared slabs (see xor4096.ts).
 */
export class RandomStreams {
  private readonly streams = new Map<string, XorStream>();
  private readonly slabs = new Xor4096Slabs();

  constructor(readonly seed: number | string) {}

  /** The stream with this name; asking twice returns the same stream, not a fresh copy. */
  stream(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = new XorStream(name, new Xor4096(`skysim:${String(this.seed)}:${name}`, this.slabs));
      this.streams.set(name, stream);
    }
    return stream;
  }

  /**
   * Forgets a stream whose owner is gone (a stopped VM's), so that long runs do not keep every
   * generator ever made: its state goes to the next stream made. Drawing from it afterwards
   * throws; asking for the name again starts it over.
   */
  release(name: string): void {
    this.streams.get(name)?.generator.dispose();
    this.streams.delete(name);
  }
}

class XorStream implements RandomStream {
  constructor(
    readonly name: string,
    readonly generator: Xor4096,
  ) {}

  next(): number {
    return this.generator.double();
  }
}
