import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ScenarioError,
  loadScenarioFile,
  parseScenarioText,
  scenarioJsonSchema,
  validateScenario,
} from "../src/scenario/index.js";
import { problemLines } from "./scenario-problems.js";

const minimal = {
  name: "t",
  duration: "2h",
  workload: {
    type: "demo-queue",
    interarrival: { type: "exponential", mean: "30s" },
    service: { type: "fixed", value: 10 },
  },
};

function problemsOf(document: unknown): string[] {
  return problemLines(() => validateScenario(document, "f.yaml"));
}

describe("scenario validation", () => {
  it("applies defaults and parses units", () => {
    const scenario = validateScenario(minimal, "f.yaml");
    expect(scenario.seed).toBe(1); // default seed
    expect(scenario.duration).toBe(2 * 3600);
    const workload = scenario.workload;
    if (workload.type !== "demo-queue") throw new Error("expected the demo queue");
    expect(workload.servers).toBe(4); // default slots
    expect(workload.interarrival).toEqual({ type: "exponential", mean: 30 });
  });

  it("reports all three mistakes of a file at once, with their paths", () => {
    let error: unknown;
    try {
      loadScenarioFile("test/fixtures/three-mistakes.yaml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const lines = (error as ScenarioError).message.split("\n");
    expect(lines).toEqual([
      'test/fixtures/three-mistakes.yaml: seed: expected a number, got "forty-two"',
      `test/fixtures/three-mistakes.yaml: duration: expected a duration: a number >= 0 in seconds, or followed by one of the units ns, us, ms, s, min, h, d, w, got "5 fortnights" (unknown unit "fortnights")`,
      "test/fixtures/three-mistakes.yaml: workload.servers: expected a value >= 1, got 0",
    ]);
  });

  it("names unknown fields, missing fields and unknown types", () => {
    expect(problemsOf({ ...minimal, sed: 3 })).toEqual(['f.yaml: (root): unknown field "sed"']);
    const noDuration: Record<string, unknown> = { ...minimal };
    delete noDuration.duration;
    expect(problemsOf(noDuration)).toEqual([
      "f.yaml: duration: expected a number or a string, got nothing (this field is required)",
    ]);
    expect(problemsOf({ ...minimal, seed: 1.5 })).toEqual([
      "f.yaml: seed: expected an integer, got 1.5",
    ]);
    expect(problemsOf({ ...minimal, workload: { ...minimal.workload, type: "batch" } })).toEqual([
      'f.yaml: workload.type: expected one of "demo-queue", "vjobs", got "batch"',
    ]);
    expect(
      problemsOf({
        ...minimal,
        workload: { ...minimal.workload, service: { type: "uniform", min: "2min", max: "1min" } },
      }),
    ).toEqual(["f.yaml: workload.service: expected uniform max > min, got min 120 and max 60"]);
  });

  it("validates the platform section", () => {
    expect(
      problemsOf({ ...minimal, platform: { type: "grid5000-2011", sites: ["paris"] } }),
    ).toEqual([
      "f.yaml: platform: expected a site or cluster of the catalog: no site paris in grid5000-2011 (rennes, nancy, lyon, grenoble, lille, sophia, toulouse, bordeaux, orsay, luxembourg, reims)",
    ]);
    expect(
      problemsOf({ ...minimal, platform: { type: "synthetic", sites: 0, speed: "2GHz" } }),
    ).toEqual([
      "f.yaml: platform.sites: expected a value >= 1, got 0",
      `f.yaml: platform.speed: expected a compute speed: a number >= 0 in flop/s, or followed by one of the units f, kf, Mf, Gf, Tf, Pf, got "2GHz" (unknown unit "GHz")`,
    ]);
    const synthetic = validateScenario({ ...minimal, platform: { type: "synthetic" } }, "f.yaml");
    expect(synthetic.platform).toMatchObject({ type: "synthetic", sites: 2, hostsPerSite: 2 });
    expect(synthetic.network.sharing).toBe("max-min");
  });

  it("rejects a zero duration", () => {
    expect(problemsOf({ ...minimal, duration: 0 })).toEqual([
      "f.yaml: duration: expected a value > 0, got 0",
    ]);
  });

  it("reports YAML syntax errors with line and column", () => {
    expect(() => parseScenarioText("name: [unclosed\nseed: 1\n", "bad.yaml")).toThrow(
      /^bad.yaml: line \d+, column \d+: expected valid YAML or JSON: /,
    );
  });

  it("reports a missing file as a problem, not a crash", () => {
    expect(() => loadScenarioFile("no/such/file.yaml")).toThrow(
      "no/such/file.yaml: (file): expected a readable file, got no such file",
    );
  });

  it("loads every scenario shipped in scenarios/", () => {
    expect(loadScenarioFile("scenarios/quickstart.yaml").name).toBe("quickstart");
  });
});

describe("JSON Schema", () => {
  it("is the one checked in as skysim.schema.json (regenerate with `skysim schema`)", () => {
    const checkedIn: unknown = JSON.parse(readFileSync("skysim.schema.json", "utf8"));
    expect(checkedIn).toEqual(scenarioJsonSchema());
  });

  it("describes the required fields and the workload's tagged union", () => {
    const schema = scenarioJsonSchema() as {
      required: string[];
      properties: Record<string, { default?: unknown }>;
    };
    expect(schema.required).toEqual(["name", "duration", "workload"]);
    expect(schema.properties.seed?.default).toBe(1);
  });
});
