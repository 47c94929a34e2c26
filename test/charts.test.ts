import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import {
  type AggregateRow,
  comparisonCharts,
  runCharts,
} from "../src/output/charts/chart-specs.js";
import { renderSvg } from "../src/output/charts/render-svg.js";
import { writeRunCharts } from "../src/output/charts/write-charts.js";
import { runScenario } from "../src/run/run-scenario.js";
import { loadScenarioFile } from "../src/scenario/index.js";

const require = createRequire(import.meta.url);
const vegaLiteDir = dirname(dirname(require.resolve("vega-lite")));
const validate = new Ajv({ strict: false, allErrors: true }).compile(
  JSON.parse(readFileSync(join(vegaLiteDir, "build", "vega-lite-schema.json"), "utf8")) as object,
);

/** A run of the sky-vjobs scenario (no charts yet) in a fresh folder. */
function runFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "skysim-charts-"));
  runScenario(loadScenarioFile("scenarios/sky-vjobs.yaml"), { outDir: dir, version: "test" });
  return dir;
}

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) =>
  existsSync(path),
);
/** .ci/run installs Chromium: in CI the browser test never skips (a missing browser fails it). */
const SKIP_BROWSER = CHROMIUM === undefined && process.env["CI"] !== "true";

describe("charts", () => {
  const timeseries = [0, 300, 600].flatMap((time) =>
    ["a", "b"].map((site, i) => ({
      time,
      site,
      activeHosts: i + time / 300,
      cpuDemandCores: 2 * i,
      overloadedHosts: 0,
      watts: 95 + i,
      migrations: time / 300,
      backboneBytes: time * 1e6,
    })),
  );
  const aggregate: AggregateRow[] = ["first-fit", "ffd"].map((cell, i) => ({
    sweep: "",
    cell,
    metric: "cloud.energyKWh",
    runs: 3,
    mean: 10 + i,
    ci95Low: 9 + i,
    ci95High: 11 + i,
  }));
  const charts = [...runCharts(timeseries), ...comparisonCharts(aggregate, ["cloud.energyKWh"])];

  it("every spec validates against the Vega-Lite schema and renders to a non-empty SVG", async () => {
    expect(charts.map((c) => c.name)).toEqual([
      "active-hosts",
      "cpu-demand",
      "overloaded-hosts",
      "power",
      "hosts-on",
      "migrations",
      "backbone",
      "compare-cloud-energyKWh",
    ]);
    for (const chart of charts) {
      expect(validate(chart.spec), JSON.stringify(validate.errors)).toBe(true);
      const svg = await renderSvg(chart);
      expect(svg.startsWith("<svg")).toBe(true);
      // Marks were drawn: a line path per site, or the bars and rules.
      expect(svg).toMatch(/class="mark-(line|rect|rule)/);
    }
    // A comparison bar chart has one bar per strategy.
    const bars = (await renderSvg(charts[7] as (typeof charts)[7])).match(
      /<path[^>]*aria-roledescription="bar"/g,
    );
    expect(bars).toHaveLength(2);
  });

  it("a broken spec fails the schema check (the check can fail)", () => {
    const broken = { ...(charts[0]?.spec as object), mark: { type: "lines" } };
    expect(validate(broken)).toBe(false);
  });

  it("writes the run's specs, SVGs and report", async () => {
    const dir = runFolder();
    const files = await writeRunCharts(dir, "sky-vjobs", ["a headline"]);
    expect(readdirSync(join(dir, "charts")).sort()).toEqual([
      "active-hosts.svg",
      "active-hosts.vl.json",
      "backbone.svg",
      "backbone.vl.json",
      "cpu-demand.svg",
      "cpu-demand.vl.json",
      "hosts-on.svg",
      "hosts-on.vl.json",
      "migrations.svg",
      "migrations.vl.json",
      "overloaded-hosts.svg",
      "overloaded-hosts.vl.json",
      "power.svg",
      "power.vl.json",
      "report.html",
    ]);
    expect(files).toHaveLength(15);
    for (const file of files.filter((f) => f.endsWith(".vl.json"))) {
      expect(validate(JSON.parse(readFileSync(file, "utf8")))).toBe(true);
    }
  });

  it.skipIf(SKIP_BROWSER)(
    "the report renders one chart per spec in headless Chromium, with no console message",
    async () => {
      const dir = runFolder();
      await writeRunCharts(dir, "sky-vjobs", ["a headline"]);
      if (CHROMIUM === undefined) throw new Error("no Chromium in CI: .ci/run installs it");
      const result = spawnSync(
        CHROMIUM,
        [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--enable-logging=stderr",
          "--v=0",
          "--virtual-time-budget=10000",
          "--dump-dom",
          `file://${join(dir, "charts", "report.html")}`,
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(result.status).toBe(0);
      const count = runCharts(timeseries).length;
      expect(result.stdout).toContain(`data-charts-rendered="${count}"`);
      // vega draws each chart as an <svg class="marks">.
      expect(result.stdout.match(/<svg[^>]*class="marks"/g)).toHaveLength(count);
      expect(result.stderr.split("\n").filter((line) => line.includes(":CONSOLE"))).toEqual([]);
    },
    60_000,
  );
});
