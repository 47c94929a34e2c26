import { View, parse } from "vega";
import { compile } from "vega-lite";
import type { Chart } from "./chart-specs.js";

/**
 * Renders a chart (only its spec counts) to SVG without a browser (vega's headless view; text
 * widths are estimated, as there is no canvas). The same spec gives the same SVG.
 */
export async function renderSvg(chart: Pick<Chart, "spec">): Promise<string> {
  const view = new View(parse(compile(chart.spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
