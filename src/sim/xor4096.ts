/**
 * Brent's xorgens xor4096 as seedrandom implements it (string seeds, its warm-up, its 53-bit
 * doubles), drawing the same numbers: test/random.test.ts compares it with seedrandom's for many
 * seeds. It is rewritten for the scale of a sky: seedrandom's generator holds its 128 words in a
 * JavaScript array beside three closures, about 1.5 kB per stream; here the words of many streams
 * share slabs of one typed array (512 bytes each), and a released stream's words are reused.
 */

const WORDS = 128;
const STREAMS_PER_SLAB = 1024;

/** Where the streams' state words live: slabs of STREAMS_PER_SLAB x 128 words, and free places. */
export class Xor4096Slabs {
  private readonly slabs: Int32Array[] = [];
  private readonly free: number[] = [];
  private used = 0;

  /** A place for one stream's 128 words (the last one given back, or a new one). */
  allocate(): number {
    const place = this.free.pop() ?? this.used++;
    if (Math.floor(place / STREAMS_PER_SLAB) === this.slabs.length) {
      this.slabs.push(new Int32Array(STREAMS_PER_SLAB * WORDS));
    }
    return place;
  }

  /** The slab holding a place's words. */
  slabOf(place: number): Int32Array {
    return this.slabs[Math.floor(place / STREAMS_PER_SLAB)] as Int32Array;
  }

  /** Gives a place back, for the next stream to take. */
  release(place: number): void {
    this.free.push(place);
  }
}

export class Xor4096 {
  private readonly place: number;
  private readonly slab: Int32Array;
  private readonly base: number;
  private w = 0;
  private i = 0;
  private disposed = false;

  constructor(
    seed: string,
    private readonly slabs: Xor4096Slabs,
  ) {
    this.place = slabs.allocate();
    this.slab = slabs.slabOf(this.place);
    this.base = (this.place % STREAMS_PER_SLAB) * WORDS;
    this.seed(`${seed}\0`);
  }

  /** A uniform double in (0, 1) with 53 random bits, as seedrandom's `double()`. */
  double(): number {
    if (this.disposed) throw new Error("xor4096: a disposed generator was drawn from");
    let result: number;
    do {
      const top = this.int32() >>> 11;
      const bottom = (this.int32() >>> 0) / 0x100000000;
      result = (top + bottom) / (1 << 21);
    } while (result === 0);
    return result;
  }

  /** Gives the state's place back; the generator must not be used after. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.slabs.release(this.place);
  }

  private int32(): number {
    const X = this.slab;
    const base = this.base;
    const w = (this.w = (this.w + 0x61c88647) | 0);
    let v = X[base + ((this.i + 34) & 127)] as number;
    const i = (this.i = (this.i + 1) & 127);
    let t = X[base + i] as number;
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v = X[base + i] = v ^ t;
    return (v + (w ^ (w >>> 16))) | 0;
  }

  /** seedrandom's string seeding: the characters mixed into the words, then 512 warm-up steps. */
  private seed(key: string): void {
    const X = this.slab;
    const base = this.base;
    X.fill(0, base, base + WORDS);
    let v = 0;
    let w = 0;
    let zeros = 0;
    const limit = Math.max(WORDS, key.length);
    for (let j = -32; j < limit; ++j) {
      v ^= key.charCodeAt((j + 32) % key.length);
      if (j === 0) w = v;
      v ^= v << 10;
      v ^= v >>> 15;
      v ^= v << 4;
      v ^= v >>> 13;
      if (j >= 0) {
        w = (w + 0x61c88647) | 0;
        const word = (X[base + (j & 127)] = (X[base + (j & 127)] as number) ^ (v + w));
        zeros = word === 0 ? zeros + 1 : 0;
      }
    }
    if (zeros >= WORDS) X[base + (key.length & 127)] = -1;
    let i = 127;
    for (let j = 4 * WORDS; j > 0; --j) {
      let a = X[base + ((i + 34) & 127)] as number;
      i = (i + 1) & 127;
      let b = X[base + i] as number;
      a ^= a << 13;
      b ^= b << 17;
      a ^= a >>> 15;
      b ^= b >>> 12;
      X[base + i] = a ^ b;
    }
    this.w = w;
    this.i = i;
  }
}
