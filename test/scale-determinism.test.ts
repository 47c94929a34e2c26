import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { skysim } from "./run-cli.js";

/**
 * The scale scenario S1 (bench/scale/s1.yaml: injector loads, G5K06 failures, Entropy repair,
 * Saline, least-loaded sky) scaled down to 100 hosts and 1,000 VMs for six hours: with every
 * invariant checked after every event, two runs write the same files byte for byte, and so does
 * a sweep of it on one thread or two.
 */
describe("S1 scaled down", () => {
  it("runs with --check and gives byte-identical outputs twice and in sweeps of 1 and 2 threads", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-s1-small-"));
    const file = join(dir, "s1-small.yaml");
    writeFileSync(
      file,
      [
        `extends: ${resolve("bench/scale/s1.yaml")}`,
        "name: scale-s1-small",
        "duration: 6h",
        "platform: { hostsPerSite: 100 }",
        "workload: { arrivals: { count: 1000 } }",
        "sweep: { seeds: [1, 2] }",
        "",
      ].join("\n"),
    );
    const files = (out: string) =>
      readdirSync(out)
        .filter((name) => name !== "run-info.json" && !name.startsWith("."))
        .sort()
        .map((name) => [name, readFileSync(join(out, name), "utf8")]);
    const first = join(dir, "first");
    const second = join(dir, "second");
    for (const out of [first, second]) {
      const result = skysim(["run", file, "--out", out, "--check", "--allow-outside"], {
        timeout: 300_000,
      });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
    expect(files(second)).toEqual(files(first));
    const summary = JSON.parse(readFileSync(join(first, "summary.json"), "utf8")) as {
      vjobs: { vms: number };
      failures: { failures: { host: number } };
    };
    // The whole stack ran: every VM started, hosts failed.
    expect(summary.vjobs.vms).toBeGreaterThanOrEqual(1000);
    expect(summary.failures.failures.host).toBeGreaterThan(0);
    const one = join(dir, "sweep-1");
    const two = join(dir, "sweep-2");
    expect(
      skysim(["sweep", file, "--out", one, "--jobs", "1", "--allow-outside"], {
        timeout: 300_000,
      }).status,
    ).toBe(0);
    expect(
      skysim(["sweep", file, "--out", two, "--jobs", "2", "--allow-outside"], {
        timeout: 300_000,
      }).status,
    ).toBe(0);
    expect(readFileSync(join(two, "aggregate.csv"), "utf8")).toBe(
      readFileSync(join(one, "aggregate.csv"), "utf8"),
    );
    expect(files(join(two, "base", "1"))).toEqual(files(join(one, "base", "1")));
  });
});
