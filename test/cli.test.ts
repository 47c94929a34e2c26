import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The compiled CLI, as users run it (`npm test` builds it first).
const CLI = "dist/src/cli/main.js";

function skysim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("skysim CLI", () => {
  it("prints help and version", () => {
    const help = skysim("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/skysim run <file>/);
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(skysim("--version").stdout.trim()).toBe(pkg.version);
  });

  it("runs a scenario into the folder given, and again identically", () => {
    const out = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    const first = skysim("run", "scenarios/quickstart.yaml", "--out", out, "--check");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^quickstart \(seed 42\): 1d simulated/);
    const summary = readFileSync(join(out, "summary.json"), "utf8");
    expect(JSON.parse(summary)).toMatchObject({ scenario: "quickstart", seed: 42 });
    skysim("run", "scenarios/quickstart.yaml", "--out", out);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(summary);
    expect(readdirSync(out).sort()).toEqual(["jobs.csv", "summary.json"]); // no temporary left
  });

  it("overrides the seed from the command line", () => {
    const out = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    expect(skysim("run", "scenarios/quickstart.yaml", "--seed", "5", "--out", out).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))).toMatchObject({ seed: 5 });
  });

  it("reports every mistake of a bad scenario, one line each, exits 2 and writes nothing", () => {
    const parent = mkdtempSync(join(tmpdir(), "skysim-cli-"));
    const out = join(parent, "run");
    const result = skysim("run", "test/fixtures/three-mistakes.yaml", "--out", out);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines.map((line) => line.split(": ").slice(0, 2).join(": "))).toEqual([
      "test/fixtures/three-mistakes.yaml: seed",
      "test/fixtures/three-mistakes.yaml: duration",
      "test/fixtures/three-mistakes.yaml: workload.servers",
    ]);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("validates several files and exits 2 if any is wrong", () => {
    const good = skysim("validate", "scenarios/quickstart.yaml");
    expect(good.status).toBe(0);
    expect(good.stdout).toBe("scenarios/quickstart.yaml: ok\n");
    const mixed = skysim(
      "validate",
      "scenarios/quickstart.yaml",
      "test/fixtures/three-mistakes.yaml",
    );
    expect(mixed.status).toBe(2);
    expect(mixed.stderr.trim().split("\n")).toHaveLength(3);
  });

  it("rejects unknown commands and bad options with exit code 2", () => {
    expect(skysim("fly").status).toBe(2);
    expect(skysim("run", "scenarios/quickstart.yaml", "--seed", "-3").status).toBe(2);
  });

  it("prints the JSON Schema", () => {
    const result = skysim("schema");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ title: "skysim scenario", type: "object" });
  });
});
