import * as z from "zod";
import { UnitError, parseBandwidth, parseDuration, parseSize, parseSpeed } from "../sim/units.js";

/**
 * Scenario fields that carry a unit: a number in the base unit, or a string with a unit. Parsing
 * happens during validation, so the validated scenario holds plain numbers in base units and a bad
 * unit is reported like any other problem, with its path.
 */
function quantity(parse: (input: string | number) => number, description: string) {
  return z
    .union([z.number(), z.string()])
    .transform((input, ctx) => {
      try {
        return parse(input);
      } catch (error) {
        if (!(error instanceof UnitError)) throw error;
        ctx.addIssue({ code: "custom", message: error.message, input });
        return z.NEVER;
      }
    })
    .meta({ description });
}

export const duration = () =>
  quantity(parseDuration, 'duration: seconds, or a string such as "30s", "5min", "2h", "7d"');
export const size = () => quantity(parseSize, 'size: bytes, or a string such as "512MB", "1GiB"');
export const bandwidth = () =>
  quantity(parseBandwidth, 'bandwidth: bytes/s, or a string such as "10Gbps", "125MB/s"');
export const speed = () =>
  quantity(parseSpeed, 'compute speed: flop/s, or a string such as "21.5Gf"');
export const flops = () =>
  quantity(parseSpeed, 'amount of computation: flops, or a string such as "21.5Tf"');
