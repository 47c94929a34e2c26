// A worker thread of the scenario fuzz: loads the scenario files it is sent with skysim's own
// loader (the compiled one, as the CLI uses it) and says how it went. Plain JavaScript: worker
// threads run outside vitest's TypeScript transform.
import { parentPort } from "node:worker_threads";

// What `skysim validate` checks: the scenario, and every run of its sweep block.
const { checkScenarioFile } = await import("../../dist/src/sweep/load-sweep.js");

parentPort.on("message", (file) => {
  try {
    checkScenarioFile(file);
    parentPort.postMessage({ outcome: "accepted" });
  } catch (error) {
    if (error instanceof Error && error.name === "ScenarioError") {
      parentPort.postMessage({ outcome: "rejected", text: error.message });
    } else {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      parentPort.postMessage({ outcome: "crashed", text });
    }
  }
});
