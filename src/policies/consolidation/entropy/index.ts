/** Entropy's optimiser: packing, reconfiguration and balance, as pure functions. */
export {
  DEFAULT_NODE_BUDGET,
  type Objective,
  type OptimiseOptions,
  type OptimiseResult,
  optimise,
} from "./optimise.js";
export { type FirstFitDecreasingResult, firstFitDecreasing } from "./first-fit-decreasing.js";
export { capacityCoverBound, martelloTothL2, packingLowerBound } from "./lower-bounds.js";
export { buildPackingProblem } from "./packing-problem.js";
export { type PackingResult, packVms } from "./packing.js";
export {
  activeHostCount,
  isViable,
  maxCpuLoad,
  migrationCost,
  migrationCount,
} from "./assignment-metrics.js";
