/**
 * Unit strings of scenario files. Every quantity has a base unit (seconds, bytes, bytes per second,
 * flop/s); a bare number, or a numeric string without unit, is in the base unit.
 */

interface Quantity {
  readonly name: string;
  readonly base: string;
  /** unit symbol -> multiplier to the base unit; the order is the order of the help text. */
  readonly units: readonly (readonly [string, number])[];
  /** Units `format` may choose, largest first. */
  readonly formatUnits: readonly (readonly [string, number])[];
}

const KB = 1e3;
const KIB = 1024;

const DURATION: Quantity = {
  name: "duration",
  base: "seconds",
  units: [
    ["ns", 1e-9],
    ["us", 1e-6],
    ["ms", 1e-3],
    ["s", 1],
    ["min", 60],
    ["h", 3600],
    ["d", 86400],
    ["w", 604800],
  ],
  formatUnits: [
    ["d", 86400],
    ["h", 3600],
    ["min", 60],
    ["s", 1],
    ["ms", 1e-3],
    ["us", 1e-6],
    ["ns", 1e-9],
  ],
};

const SIZE: Quantity = {
  name: "size",
  base: "bytes",
  units: [
    ["B", 1],
    ["kB", KB],
    ["KB", KB],
    ["MB", KB ** 2],
    ["GB", KB ** 3],
    ["TB", KB ** 4],
    ["PB", KB ** 5],
    ["KiB", KIB],
    ["MiB", KIB ** 2],
    ["GiB", KIB ** 3],
    ["TiB", KIB ** 4],
    ["PiB", KIB ** 5],
  ],
  formatUnits: [
    ["PiB", KIB ** 5],
    ["TiB", KIB ** 4],
    ["GiB", KIB ** 3],
    ["MiB", KIB ** 2],
    ["KiB", KIB],
    ["B", 1],
  ],
};

const BANDWIDTH: Quantity = {
  name: "bandwidth",
  base: "bytes per second",
  units: [
    ["B/s", 1],
    ["kB/s", KB],
    ["KB/s", KB],
    ["MB/s", KB ** 2],
    ["GB/s", KB ** 3],
    ["TB/s", KB ** 4],
    ["KiB/s", KIB],
    ["MiB/s", KIB ** 2],
    ["GiB/s", KIB ** 3],
    ["bps", 1 / 8],
    ["kbps", KB / 8],
    ["Kbps", KB / 8],
    ["Mbps", KB ** 2 / 8],
    ["Gbps", KB ** 3 / 8],
    ["Tbps", KB ** 4 / 8],
  ],
  formatUnits: [
    ["GB/s", KB ** 3],
    ["MB/s", KB ** 2],
    ["kB/s", KB],
    ["B/s", 1],
  ],
};

const SPEED: Quantity = {
  name: "compute speed",
  base: "flop/s",
  units: [
    ["f", 1],
    ["kf", KB],
    ["Mf", KB ** 2],
    ["Gf", KB ** 3],
    ["Tf", KB ** 4],
    ["Pf", KB ** 5],
  ],
  formatUnits: [
    ["Pf", KB ** 5],
    ["Tf", KB ** 4],
    ["Gf", KB ** 3],
    ["Mf", KB ** 2],
    ["kf", KB],
    ["f", 1],
  ],
};

/** A unit string that could not be read; the message names it and lists what is accepted. */
export class UnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnitError";
  }
}

const NUMBER_WITH_UNIT = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?\s*([A-Za-z/]*)$/;

function expected(quantity: Quantity): string {
  const symbols = quantity.units.map(([symbol]) => symbol).join(", ");
  return `expected a ${quantity.name}: a number >= 0 in ${quantity.base}, or followed by one of the units ${symbols}`;
}

function parseQuantity(quantity: Quantity, input: string | number): number {
  if (typeof input === "number") {
    if (!(input >= 0 && input < Infinity)) {
      throw new UnitError(`${expected(quantity)}, got ${input}`);
    }
    return input;
  }
  const match = NUMBER_WITH_UNIT.exec(input.trim());
  if (match === null) {
    throw new UnitError(`${expected(quantity)}, got "${input}"`);
  }
  const mantissa = match[1] ?? "";
  const exponent = match[2] ?? "0";
  const symbol = match[3] ?? "";
  const value = Number(`${mantissa}e${exponent}`);
  if (symbol === "") return value;
  const unit = quantity.units.find(([candidate]) => candidate === symbol);
  if (unit === undefined) {
    throw new UnitError(`${expected(quantity)}, got "${input}" (unknown unit "${symbol}")`);
  }
  const result = value * unit[1];
  if (!(result < Infinity))
    throw new UnitError(`${expected(quantity)}, got "${input}" (too large)`);
  return result;
}

function formatQuantity(quantity: Quantity, value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value);
  const baseSymbol = quantity.formatUnits.find(([, factor]) => factor === 1)?.[0] ?? "";
  if (value === 0) return `0${baseSymbol}`;
  const magnitude = Math.abs(value);
  for (const [symbol, factor] of quantity.formatUnits) {
    if (magnitude >= factor)
      return `${String(Number((value / factor).toPrecision(digits)))}${symbol}`;
  }
  const [smallest, factor] = quantity.formatUnits[quantity.formatUnits.length - 1] ?? ["", 1];
  return `${String(Number((value / factor).toPrecision(digits)))}${smallest}`;
}

/** "30s", "5min", "2h", "7d", "250ms" -> seconds. */
export const parseDuration = (input: string | number): number => parseQuantity(DURATION, input);
/** "1GiB", "512MB" -> bytes. */
export const parseSize = (input: string | number): number => parseQuantity(SIZE, input);
/** "10Gbps", "125MB/s" -> bytes per second. */
export const parseBandwidth = (input: string | number): number => parseQuantity(BANDWIDTH, input);
/** "21.5Gf" -> flop/s. */
export const parseSpeed = (input: string | number): number => parseQuantity(SPEED, input);

/** Seconds in the largest unit that keeps the value >= 1, to `digits` significant digits:
 * 5400 -> "1.5h". The result parses back with parseDuration. */
export const formatDuration = (seconds: number, digits = 6): string =>
  formatQuantity(DURATION, seconds, digits);
export const formatSize = (bytes: number, digits = 6): string =>
  formatQuantity(SIZE, bytes, digits);
export const formatBandwidth = (bytesPerSecond: number, digits = 6): string =>
  formatQuantity(BANDWIDTH, bytesPerSecond, digits);
export const formatSpeed = (flops: number, digits = 6): string =>
  formatQuantity(SPEED, flops, digits);
