import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  UnitError,
  formatBandwidth,
  formatDuration,
  formatSize,
  formatSpeed,
  parseBandwidth,
  parseDuration,
  parseSize,
  parseSpeed,
} from "../src/sim/index.js";

describe("units: every form parses to the base unit", () => {
  const cases: [string, (s: string | number) => number, string | number, number][] = [
    // durations -> seconds
    ["duration", parseDuration, 42, 42],
    ["duration", parseDuration, "42", 42],
    ["duration", parseDuration, "1500ns", 1500e-9],
    ["duration", parseDuration, "250us", 250e-6],
    ["duration", parseDuration, "30ms", 0.03],
    ["duration", parseDuration, "30s", 30],
    ["duration", parseDuration, "5min", 5 * 60],
    ["duration", parseDuration, "2h", 2 * 3600],
    ["duration", parseDuration, "1.5h", 1.5 * 3600],
    ["duration", parseDuration, "7d", 7 * 86400],
    ["duration", parseDuration, "2w", 2 * 7 * 86400],
    ["duration", parseDuration, "1e3s", 1000],
    ["duration", parseDuration, " 10 min ", 600],
    // sizes -> bytes (decimal kB/MB/GB/TB/PB, binary KiB/MiB/GiB/TiB/PiB)
    ["size", parseSize, "512B", 512],
    ["size", parseSize, "2kB", 2 * 1000],
    ["size", parseSize, "2KB", 2 * 1000],
    ["size", parseSize, "512MB", 512 * 1000 ** 2],
    ["size", parseSize, "4GB", 4 * 1000 ** 3],
    ["size", parseSize, "1TB", 1000 ** 4],
    ["size", parseSize, "1PB", 1000 ** 5],
    ["size", parseSize, "8KiB", 8 * 1024],
    ["size", parseSize, "256MiB", 256 * 1024 ** 2],
    ["size", parseSize, "1GiB", 1024 ** 3],
    ["size", parseSize, "2TiB", 2 * 1024 ** 4],
    ["size", parseSize, "1PiB", 1024 ** 5],
    // bandwidths -> bytes/s (bits/s divided by 8)
    ["bandwidth", parseBandwidth, "125MB/s", 125e6],
    ["bandwidth", parseBandwidth, "10Gbps", 10e9 / 8],
    ["bandwidth", parseBandwidth, "1Gbps", 125e6],
    ["bandwidth", parseBandwidth, "100Mbps", 100e6 / 8],
    ["bandwidth", parseBandwidth, "64kbps", 64e3 / 8],
    ["bandwidth", parseBandwidth, "64Kbps", 64e3 / 8],
    ["bandwidth", parseBandwidth, "8bps", 1],
    ["bandwidth", parseBandwidth, "1Tbps", 1e12 / 8],
    ["bandwidth", parseBandwidth, "1kB/s", 1e3],
    ["bandwidth", parseBandwidth, "1KB/s", 1e3],
    ["bandwidth", parseBandwidth, "1GB/s", 1e9],
    ["bandwidth", parseBandwidth, "1TB/s", 1e12],
    ["bandwidth", parseBandwidth, "1KiB/s", 1024],
    ["bandwidth", parseBandwidth, "1MiB/s", 1024 ** 2],
    ["bandwidth", parseBandwidth, "1GiB/s", 1024 ** 3],
    ["bandwidth", parseBandwidth, "3B/s", 3],
    // compute speeds -> flop/s
    ["speed", parseSpeed, "21.5Gf", 21.5e9],
    ["speed", parseSpeed, "1f", 1],
    ["speed", parseSpeed, "2kf", 2e3],
    ["speed", parseSpeed, "3Mf", 3e6],
    ["speed", parseSpeed, "1Tf", 1e12],
    ["speed", parseSpeed, "1Pf", 1e15],
  ];
  for (const [kind, parse, input, expected] of cases) {
    it(`${kind} ${JSON.stringify(input)} = ${expected}`, () => {
      expect(parse(input)).toBeCloseTo(expected, 9);
    });
  }
});

describe("units: wrong forms fail with a message naming them and the accepted units", () => {
  const bad: [(s: string | number) => number, string | number, RegExp][] = [
    [
      parseDuration,
      "5 fortnights",
      /ms, s, min, h, d, w, got "5 fortnights" \(unknown unit "fortnights"\)/,
    ],
    [parseDuration, "-3s", /expected a duration.*got "-3s"/],
    [parseDuration, "abc", /expected a duration.*got "abc"/],
    [parseDuration, -1, /expected a duration.*got -1/],
    [parseDuration, "30 S", /unknown unit "S"/], // units are case-sensitive: MB vs Mb matter
    [parseSize, "1GiBs", /expected a size.*KiB, MiB, GiB.*got "1GiBs"/],
    [parseBandwidth, "10Gb", /expected a bandwidth.*Gbps.*got "10Gb" \(unknown unit "Gb"\)/],
    [parseSpeed, "21.5GHz", /expected a compute speed.*Gf.*got "21.5GHz"/],
    [parseSize, "1e999B", /too large/],
  ];
  for (const [parse, input, message] of bad) {
    it(`${JSON.stringify(input)} is rejected`, () => {
      expect(() => parse(input)).toThrow(UnitError);
      expect(() => parse(input)).toThrow(message);
    });
  }
});

describe("units: formatting", () => {
  it("picks the largest unit that keeps the value >= 1", () => {
    expect(formatDuration(5400)).toBe("1.5h"); // 5400 / 3600
    expect(formatDuration(90)).toBe("1.5min");
    expect(formatDuration(0.03)).toBe("30ms");
    expect(formatDuration(0)).toBe("0s");
    expect(formatSize(1024 ** 3)).toBe("1GiB");
    expect(formatBandwidth(125e6)).toBe("125MB/s");
    expect(formatSpeed(21.5e9)).toBe("21.5Gf");
    expect(formatDuration(83.64301957696664, 3)).toBe("1.39min");
  });

  it("round-trips through the parser to 6 significant digits", () => {
    const pairs: [(x: number) => string, (s: string) => number][] = [
      [formatDuration, parseDuration],
      [formatSize, parseSize],
      [formatBandwidth, parseBandwidth],
      [formatSpeed, parseSpeed],
    ];
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e15, noNaN: true }), fc.nat(3), (x, which) => {
        const [format, parse] = pairs[which] as [(x: number) => string, (s: string) => number];
        expect(Math.abs(parse(format(x)) / x - 1)).toBeLessThan(1e-5);
      }),
    );
  });
});
