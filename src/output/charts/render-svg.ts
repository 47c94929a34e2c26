import { View, parse } from "vega";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import type { Chart } from "./chart-specs.js";

/**
 * The spec as a still image: without the invisible points that lines carry for their tooltips
 * (an SVG would hold one per sample, to no use).
 */
function still(spec: unknown): unknown {
  if (Array.isArray(spec)) return spec.map(still);
  if (typeof spec !== "object" || spec === null) return spec;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (key === "mark" && typeof value === "object" && value !== null && "point" in value) {
      const mark = Object.entries(value as Record<string, unknown>);
      copy[key] = Object.fromEntries(mark.filter(([name]) => name !== "point"));
    } else copy[key] = still(value);
  }
  return copy;
}

/**
 * Renders a chart (only its spec counts) to SVG without a browser (vega's headless view; text
 * widths are estimated, as there is no canvas). The same spec gives the same SVG.
 */
export async function renderSvg(chart: Pick<Chart, "spec">): Promise<string> {
  const view = new View(parse(compile(still(chart.spec) as TopLevelSpec).spec), {
    renderer: "none",
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
