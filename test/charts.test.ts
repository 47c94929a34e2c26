import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { type Chart, type TimelineRow, isDrawn } from "../src/output/charts/chart-specs.js";
import { type ComparisonRow, comparisonCharts } from "../src/output/charts/comparison-charts.js";
import { runCharts } from "../src/output/charts/run-charts.js";
import { timelineChart } from "../src/output/charts/timeline-chart.js";
import { renderSvg } from "../src/output/charts/render-svg.js";
import { writeRunCharts } from "../src/output/charts/write-charts.js";
import { runScenario } from "../src/run/run-scenario.js";
import { loadScenarioFile } from "../src/scenario/index.js";

const require = createRequire(import.meta.url);
const vegaLiteDir = dirname(dirname(require.resolve("vega-lite")));
const validate = new Ajv({ strict: false, allErrors: true }).compile(
  JSON.parse(readFileSync(join(vegaLiteDir, "build", "vega-lite-schema.json"), "utf8")) as object,
);

/** A run of the sky-vjobs scenario (no charts yet, a timeline) in a fresh folder. */
/** A run of `file` into a new folder, and the files it wrote. */
function runFolder(file = "scenarios/sky-vjobs.yaml"): { dir: string; written: readonly string[] } {
  const dir = mkdtempSync(join(tmpdir(), "skysim-charts-"));
  const { files } = runScenario(loadScenarioFile(file), {
    outDir: dir,
    version: "test",
    baseDir: dirname(file),
    timeline: true,
  });
  return { dir, written: files };
}

const REPORT = {
  title: "a run",
  description: "what the run is about",
  facts: ["a headline"],
  parameters: [["seed", "7"]] as [string, string][],
};

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) =>
  existsSync(path),
);
/** .ci/run installs Chromium: in CI the browser test never skips (a missing browser fails it). */
const SKIP_BROWSER = CHROMIUM === undefined && process.env["CI"] !== "true";

/** A day sampled every 5 minutes on sites a and b; `busy`: with migrations, traffic, overloads. */
function day(busy: boolean) {
  return Array.from({ length: 289 }, (_, i) => i * 300).flatMap((time) =>
    ["a", "b"].map((site, i) => ({
      time,
      site,
      hosts: 4,
      upHosts: 4,
      activeHosts: i + (time % 3600) / 1200,
      hostsOn: 4,
      cpuDemandCores: 2 * i,
      cpuCores: 16,
      overloadedHosts: busy && time === 600 ? 1 : 0,
      watts: 95 + i,
      migrations: busy ? time / 300 : 0,
      backboneBytes: busy ? 3e11 : 0,
    })),
  );
}

const TIMELINE: TimelineRow[] = [
  ["j1", "a", "queued", 0, 10],
  ["j1", "a", "booting", 10, 40],
  ["j1", "a", "running", 40, 3600],
  ["j1", "a", "snapshot", 1800, 1840],
  ["h3", "a", "host down", 3600, 3600],
  ["j1", "a", "failed", 3600, 3600],
  ["j1", "a", "restored", 3630, 3630],
  ["j1", "a", "lost work", 3630, 3630],
  ["j1", "b", "queued", 3600, 3630],
  ["j1", "b", "moved", 3630, 3630],
  ["j1", "b", "restoring", 3630, 3700],
  ["j1", "b", "running", 3700, 7200],
  ["j0", "b", "queued", 0, 0],
  ["j0", "b", "booting", 0, 30],
  ["j0", "b", "running", 30, 9000],
  ["a", "a", "site down", 3600, 7200],
].map(([subject, site, what, start, end]) => ({
  subject: String(subject),
  site: String(site),
  what: String(what),
  start: Number(start),
  end: Number(end),
  value: what === "lost work" ? 4 * 1800 : Number.NaN,
}));

describe("a run's charts", () => {
  const aggregate: ComparisonRow[] = ["first-fit", "ffd"].map((cell, i) => ({
    series: cell,
    label: cell,
    metric: "cloud.energyKWh",
    runs: 3,
    mean: 10 + i,
    low: 9 + i,
    high: 11 + i,
  }));
  const charts = [
    timelineChart(TIMELINE),
    ...runCharts(day(true), TIMELINE),
    ...comparisonCharts(aggregate, ["cloud.energyKWh"]),
  ];

  it("every spec validates against the Vega-Lite schema and renders to a non-empty SVG", async () => {
    expect(charts.map((c) => c.name)).toEqual([
      "timeline",
      "active-hosts",
      "cpu-demand",
      "overloaded-hosts",
      "power",
      "hosts-on",
      "failures",
      "migrations",
      "backbone",
      "snapshots-restores",
      "lost-work",
      "compare-cloud-energyKWh",
    ]);
    expect(charts.every(isDrawn)).toBe(true);
    for (const chart of charts.filter(isDrawn)) {
      expect(validate(chart.spec), `${chart.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const svg = await renderSvg(chart);
      expect(svg.startsWith("<svg")).toBe(true);
      // Marks were drawn: lines, bars, rules or points.
      expect(svg, chart.name).toMatch(/class="mark-(line|rect|rule|symbol)/);
    }
    // A comparison bar chart has one bar per strategy.
    const bars = (await renderSvg(charts[11] as Chart)).match(
      /<path[^>]*aria-roledescription="bar"/g,
    );
    expect(bars).toHaveLength(2);
  });

  it("says what did not happen instead of drawing flat zero lines", () => {
    const quiet = runCharts(day(false), []);
    const said = Object.fromEntries(quiet.filter((c) => !isDrawn(c)).map((c) => [c.name, c]));
    expect(Object.keys(said).sort()).toEqual([
      "backbone",
      "failures",
      "lost-work",
      "migrations",
      "overloaded-hosts",
      "snapshots-restores",
    ]);
    expect(said["migrations"]).toMatchObject({ empty: "No live migration in this run." });
    expect(timelineChart([])).toMatchObject({ empty: "No vjob started in this run." });
  });

  it("draws in units people read, each site in one colour on every chart", () => {
    const drawn = new Map(
      runCharts(day(true), TIMELINE)
        .filter(isDrawn)
        .map((c) => [c.name, c]),
    );
    const valuesOf = (name: string) =>
      (drawn.get(name)?.spec as { data: { values: Record<string, number>[] } }).data.values;
    // 95 W and 96 W are 0.095 and 0.096 kW.
    expect(
      valuesOf("power")
        .slice(0, 2)
        .map((v) => v["value"]),
    ).toEqual([95 / 1000, 96 / 1000]);
    // 3e11 bytes through the uplink in a 300 s step: 1 GB/s.
    expect(valuesOf("backbone")[0]?.["value"]).toBe(3e11 / 300 / 1e9);
    expect(drawn.get("backbone")?.title).toBe(
      "Traffic through each site's uplink (GB/s, mean over 5min)",
    );
    // A day in 30-minute bars (the shortest round interval giving at most 60): the samples at
    // 300 ... 1,800 s hold 1 + 2 + ... + 6 = 21 migrations per site.
    expect(drawn.get("migrations")?.title).toBe(
      "Live migrations completed (by destination site) per 30min",
    );
    expect(
      valuesOf("migrations")
        .filter((v) => v["from"] === 0)
        .map((v) => v["count"]),
    ).toEqual([21, 21]);
    // Lost work, cumulative, in core-hours: 7,200 core-s at 3,630 s is 2 core-hours.
    expect(valuesOf("lost-work").map((v) => [v["hours"], v["coreHours"]])).toEqual([
      [0, 0],
      [3630 / 3600, 2],
      [24, 2],
    ]);
    let coloured = 0;
    for (const chart of drawn.values()) {
      const color = JSON.stringify(chart.spec).match(
        /"field":"site","type":"nominal","title":"site","scale":\{"domain":\[([^\]]*)\]/,
      );
      if (color !== null) expect(color[1], chart.name).toBe('"a","b"');
      if (color !== null) coloured++;
    }
    // Every chart colours by site but two: the snapshots' (by event), and the migrations' bars,
    // coloured by their key, the site, in the same order.
    expect(coloured).toBe(drawn.size - 2);
    expect(JSON.stringify(drawn.get("migrations")?.spec)).toContain(
      '"field":"key","type":"nominal","title":"site","scale":{"domain":["a","b"]}',
    );
  });

  it("draws each site's vjobs in the order they first started, with its outages", () => {
    const chart = timelineChart(TIMELINE) as Chart;
    const panels = (
      chart.spec as unknown as {
        vconcat: {
          title: string;
          layer: { data: { values: { vjob: string; what: string }[] } }[];
        }[];
      }
    ).vconcat;
    expect(panels.map((panel) => panel.title)).toEqual(["a", "b"]);
    // a: j1's three segments, its outage, its snapshot, its two markers (failed, restored).
    expect(panels[0]?.layer.map((layer) => layer.data.values.length)).toEqual([3, 1, 1, 2]);
    // b: j1 queued, restoring, running and j0's three; j1's moved marker.
    expect(panels[1]?.layer.map((layer) => layer.data.values.length)).toEqual([6, 0, 0, 1]);
  });

  it("a broken spec fails the schema check (the check can fail)", () => {
    const broken = { ...((charts[1] as Chart).spec as object), mark: { type: "lines" } };
    expect(validate(broken)).toBe(false);
  });

  it("writes the run's specs, SVGs and report, with its description, parameters and tables", async () => {
    const { dir, written } = runFolder();
    const files = await writeRunCharts(dir, REPORT, written);
    // sky-vjobs has no failures and no snapshots: those charts are said empty, not drawn.
    const drawn = ["active-hosts", "backbone", "cpu-demand", "hosts-on", "power", "timeline"];
    expect(readdirSync(join(dir, "charts")).sort()).toEqual(
      [...drawn.flatMap((name) => [`${name}.svg`, `${name}.vl.json`]), "report.html"].sort(),
    );
    expect(files).toHaveLength(2 * drawn.length + 1);
    for (const file of files.filter((f) => f.endsWith(".vl.json"))) {
      expect(validate(JSON.parse(readFileSync(file, "utf8")))).toBe(true);
    }
    const html = readFileSync(join(dir, "charts", "report.html"), "utf8");
    expect(html).toContain("<p>what the run is about</p>");
    expect(html).toContain("<tr><th>seed</th><td><code>7</code></td></tr>");
    for (const table of ["summary.json", "jobs.csv", "timeseries.csv", "timeline.csv"]) {
      expect(html).toContain(`<a href="../${table}">${table}</a>`);
    }
    expect(html).toContain('<p class="empty">No live migration in this run.</p>');
    // Each title once: in the chart (drawn by vega) or above its sentence, and in the contents.
    expect(html.match(/Hosts holding at least one VM/g)).toHaveLength(2);
  });

  it.skipIf(SKIP_BROWSER)(
    "the quick start's report renders every chart and its timeline in headless Chromium, with no console message",
    async () => {
      const { dir, written } = runFolder("scenarios/quickstart.yaml");
      const files = await writeRunCharts(dir, REPORT, written);
      const drawn = files.filter((file) => file.endsWith(".vl.json")).length;
      if (CHROMIUM === undefined) throw new Error("no Chromium in CI: .ci/run installs it");
      const result = spawnSync(
        CHROMIUM,
        [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--enable-logging=stderr",
          "--v=0",
          "--virtual-time-budget=20000",
          "--dump-dom",
          `file://${join(dir, "charts", "report.html")}`,
        ],
        { encoding: "utf8", timeout: 90_000, maxBuffer: 64 * 2 ** 20 },
      );
      expect(result.status).toBe(0);
      // The quick start draws all eleven charts (nothing is empty in it).
      expect(drawn).toBe(11);
      expect(result.stdout).toContain(`data-charts-rendered="${drawn}"`);
      // vega draws each chart as an <svg class="marks">; the timeline has a panel per site
      // holding vjobs, titled with the site.
      expect(result.stdout.match(/<svg[^>]*class="marks"/g)).toHaveLength(drawn);
      for (const site of ["nancy", "rennes"]) expect(result.stdout).toContain(`>${site}</text>`);
      // Interactive: vega-embed's menu (export) on each chart.
      expect(result.stdout.match(/class="vega-actions"/g)).toHaveLength(drawn);
      expect(result.stderr.split("\n").filter((line) => line.includes(":CONSOLE"))).toEqual([]);
    },
    120_000,
  );
});
