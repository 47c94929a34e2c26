import { describe, expect, it } from "vitest";
import { isDrawn } from "../src/output/charts/chart-specs.js";
import { type ComparisonRow, comparisonCharts } from "../src/output/charts/comparison-charts.js";
import { type CellKey, describeCells } from "../src/sweep/cell-labels.js";

/** The cells of managers-vmplaces: three variants x five zipped (hosts, VMs) pairs. */
const MANAGERS: CellKey[] = ["centralised", "hierarchical", "distributed"].flatMap((variant) =>
  [128, 256, 512, 1024, 2048].map((hosts) => ({
    cell: `${variant}__${hosts}`,
    variant,
    parameters: { "platform.hostsPerSite+workload.arrivals.count": [hosts, 10 * hosts] },
  })),
);

function spec(chart: ReturnType<typeof comparisonCharts>[number] | undefined) {
  if (chart === undefined || !isDrawn(chart)) throw new Error("expected a drawn chart");
  return chart.spec as unknown as {
    title: string;
    data: { values: Record<string, number | string>[] };
    layer: {
      mark: { type: string };
      encoding: Record<string, { scale?: object; sort?: string[] }>;
    }[];
  };
}

describe("sweep cells' labels", () => {
  it("names a cell by its variant and the values that change, and finds the numeric axis", () => {
    const { labels, axis } = describeCells(MANAGERS);
    expect(labels.get("centralised__128")).toBe("centralised, 128, 1280");
    expect(labels.get("distributed__2048")).toBe("distributed, 2048, 20480");
    // hostsPerSite and the VM count both tell the cells apart; the first one is the axis.
    expect(axis?.title).toBe("hostsPerSite");
    expect(axis?.values.get("hierarchical__512")).toBe(512);
  });

  it("reads durations as seconds, and leaves out what does not change", () => {
    const cells = ["5min", "7.5min", "1h"].map((period) => ({
      cell: period,
      variant: "default",
      parameters: { "policies.faultTolerance.period": period, seed: 3 },
    }));
    const { labels, axis } = describeCells(cells);
    expect([...labels.values()]).toEqual(["5min", "7.5min", "1h"]);
    expect(axis?.title).toBe("period (s)");
    expect([...(axis?.values.values() ?? [])]).toEqual([300, 450, 3600]);
  });

  it("has no axis when no numeric parameter tells the cells apart", () => {
    // A 2 x 2 grid: neither parameter alone (with the variant) names a cell.
    const grid = [1, 2].flatMap((a) =>
      [1, 2].map((b) => ({ cell: `${a}${b}`, variant: "v", parameters: { a, b } })),
    );
    expect(describeCells(grid).axis).toBeUndefined();
    expect(describeCells(grid).labels.get("12")).toBe("1, 2");
    const named = ["ffd", "entropy"].map((variant) => ({ cell: variant, variant, parameters: {} }));
    expect(describeCells(named)).toEqual({
      labels: new Map([
        ["ffd", "ffd"],
        ["entropy", "entropy"],
      ]),
      axis: undefined,
    });
  });
});

describe("comparison charts", () => {
  const { labels, axis } = describeCells(MANAGERS);
  /** Reaction time growing with the hosts for the centralised manager only. */
  const rows: ComparisonRow[] = MANAGERS.map((cell) => {
    const hosts = axis?.values.get(cell.cell) ?? 0;
    const mean = cell.variant === "centralised" ? hosts / 10 : 0.2;
    return {
      series: cell.variant,
      label: labels.get(cell.cell) ?? "",
      x: hosts,
      metric: "cloud.meanViolationSeconds",
      runs: 10,
      mean,
      low: mean - 0.5,
      high: mean + 0.5,
    };
  });

  it("draws a line per variant along a numeric parameter, log scales where values span decades", () => {
    const chart = spec(comparisonCharts(rows, ["cloud.meanViolationSeconds"], axis?.title)[0]);
    expect(chart.title).toBe("cloud.meanViolationSeconds (s): mean and 95% CI");
    expect(chart.layer.map((layer) => layer.mark.type)).toEqual(["line", "rule"]);
    // x: 128 to 2048 hosts is 16 times (log from 10); y: 0.2 to 204.8 s is 1,024 times (log
    // from 100), and an interval reaching below zero is drawn from a tenth of the smallest mean.
    expect(chart.layer[0]?.encoding["x"]?.scale).toEqual({ type: "log" });
    expect(chart.layer[0]?.encoding["y"]?.scale).toEqual({ type: "log" });
    const first = chart.data.values.find((v) => v["label"] === "hierarchical, 128, 1280");
    expect(first).toMatchObject({ x: 128, mean: 0.2, low: 0.2 - 0.5, from: 0.2 / 10 });
  });

  it("draws a bar per cell in the sweep's order without an axis, linear where values are close", () => {
    const close = rows.map((row) => ({ ...row, mean: 5 + row.mean / 1000, low: 4, high: 6 }));
    const chart = spec(comparisonCharts(close, ["cloud.meanViolationSeconds"])[0]);
    expect(chart.layer.map((layer) => layer.mark.type)).toEqual(["bar", "rule"]);
    expect(chart.layer[0]?.encoding["x"]?.sort).toEqual(MANAGERS.map((c) => labels.get(c.cell)));
    expect(chart.layer[0]?.encoding["y"]?.scale).toEqual({ zero: true });
  });

  it("converts bytes to GB and long times to hours, and says when a metric is zero everywhere", () => {
    const bytes = rows.map((row) => ({ ...row, metric: "cloud.migrations.bytes", mean: 2e9 }));
    const gb = spec(comparisonCharts(bytes, ["cloud.migrations.bytes"])[0]);
    expect(gb.title).toBe("cloud.migrations.bytes (GB): mean and 95% CI");
    expect(gb.data.values[0]?.["mean"]).toBe(2);
    const long = rows.map((row) => ({ ...row, metric: "vjobs.turnaround.mean", mean: 9000 }));
    expect(
      spec(comparisonCharts(long, ["vjobs.turnaround.mean"])[0]).data.values[0]?.["mean"],
    ).toBe(2.5);
    const zero = rows.map((row) => ({ ...row, mean: 0, low: 0, high: 0 }));
    expect(comparisonCharts(zero, ["cloud.meanViolationSeconds"])).toEqual([
      {
        name: "compare-cloud-meanViolationSeconds",
        title: "cloud.meanViolationSeconds",
        empty: "cloud.meanViolationSeconds is 0 in every cell.",
      },
    ]);
  });
});
