export {
  scenarioSchema,
  workloadSpec,
  demoQueueWorkload,
  type Scenario,
  type ScenarioInput,
  type WorkloadSpec,
} from "./schema.js";
export { durationDistributionSpec, distributionOf } from "./distribution-spec.js";
export { duration, size, bandwidth, speed } from "./quantities.js";
export { type Problem, ScenarioError, formatProblem } from "./problems.js";
export { loadScenarioFile, validateScenario } from "./load.js";
export { parseScenarioText } from "./yaml-data.js";
export { scenarioJsonSchema } from "./json-schema.js";
export { platformSection, platformSpecOf, type PlatformSection } from "./platform-section.js";
