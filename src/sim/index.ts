export { EventQueue } from "./event-queue.js";
export {
  Simulation,
  type EventId,
  InvariantViolation,
  type Action,
  type Invariant,
  type RunOptions,
  type RunOutcome,
} from "./simulation.js";
export { RandomStreams, type RandomStream } from "./random.js";
export {
  type Distribution,
  fixed,
  uniform,
  exponential,
  normal,
  lognormal,
  weibull,
  gamma,
  poisson,
  poissonArrivals,
} from "./distributions.js";
export { gammaFunction, logGamma } from "./special-functions.js";
export { Signal, type Listener } from "./signal.js";
export {
  UnitError,
  parseDuration,
  parseSize,
  parseBandwidth,
  parseSpeed,
  formatDuration,
  formatSize,
  formatBandwidth,
  formatSpeed,
} from "./units.js";
