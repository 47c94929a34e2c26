import { type Distribution, exponential, weibull } from "../sim/distributions.js";

const HOUR = 3600;

/**
 * Grid'5000 availability fits of the Failure Trace Archive (data set G5K06, in hours), as given in
 * the team's DESIGN.md: up-time Weibull(shape 0.48, scale 14.37 h) or exponential of mean
 * 32.41 h; down-time Weibull(0.35, 0.47 h) or exponential of mean 7.41 h.
 */
export const FAILURE_PRESETS: Readonly<Record<string, { up: Distribution; down: Distribution }>> = {
  "g5k06-weibull": { up: weibull(0.48, 14.37 * HOUR), down: weibull(0.35, 0.47 * HOUR) },
  "g5k06-exponential": { up: exponential(32.41 * HOUR), down: exponential(7.41 * HOUR) },
};
