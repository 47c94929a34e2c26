import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { experimentNames, reproduce } from "../src/run/reproduce.js";

const EXPERIMENTS = [
  "checkpoint-period",
  "consolidation-vmplaces",
  "energy-planetlab",
  "grid5000-week",
  "managers-vmplaces",
  "planetlab-day",
  "quickstart",
  "replicated-services",
  "sky-site-outage",
];

describe("the experiments", () => {
  it("each have an expected summary, and a CI-sized scenario unless they are small already", () => {
    expect(experimentNames("scenarios")).toEqual(EXPERIMENTS);
    const ci = readdirSync("scenarios").filter((file) => file.endsWith(".ci.yaml"));
    expect(ci.sort()).toEqual(
      EXPERIMENTS.filter((name) => name !== "quickstart").map((name) => `${name}.ci.yaml`),
    );
  });

  // Each runs its CI-sized scenario and must give the checked-in summary.json byte for byte
  // (all but the skysim version field): any change in a model's results shows here, and a
  // deliberate one is recorded with `skysim reproduce NAME --update`.
  for (const name of EXPERIMENTS) {
    it(`${name} reproduces its expected summary byte for byte`, () => {
      const outDir = mkdtempSync(join(tmpdir(), `skysim-${name}-`));
      const result = reproduce(name, { scenariosDir: "scenarios", outDir, version: "test" });
      expect(result.differences).toEqual([]);
      expect(result.text).toBe(readFileSync(`scenarios/expected/${name}.json`, "utf8"));
    });
  }

  it("reports the fields that differ from the expected summary", () => {
    // A copy of the scenarios folder whose expected checkpoint summary claims 99 restores.
    const dir = mkdtempSync(join(tmpdir(), "skysim-expected-"));
    mkdirSync(join(dir, "expected"));
    for (const file of ["checkpoint-period.yaml", "checkpoint-period.ci.yaml"]) {
      copyFileSync(join("scenarios", file), join(dir, file));
    }
    const expected = JSON.parse(
      readFileSync("scenarios/expected/checkpoint-period.json", "utf8"),
    ) as { vjobs: { restores: number } };
    const restores = expected.vjobs.restores;
    expected.vjobs.restores = 99;
    writeFileSync(join(dir, "expected", "checkpoint-period.json"), JSON.stringify(expected));
    const result = reproduce("checkpoint-period", {
      scenariosDir: dir,
      outDir: join(dir, "out"),
      version: "test",
    });
    expect(result.identical).toBe(false);
    expect(result.differences).toEqual([{ path: "vjobs.restores", expected: 99, got: restores }]);
  });

  it("skysim reproduce names the unknown experiments it knows, with exit code 2", () => {
    const cli = spawnSync(process.execPath, ["dist/src/cli/main.js", "reproduce", "nope"], {
      encoding: "utf8",
    });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toBe(
      `skysim: reproduce: no experiment named nope (known: ${EXPERIMENTS.join(", ")})\n`,
    );
  });
});
