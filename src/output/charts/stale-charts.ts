import { existsSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Removes from a charts folder (a run's charts/, a sweep's comparison/) the charts and report
 * that skysim wrote there before and did not write again (`written`: the paths it wrote now), and
 * the folder if that leaves it empty: a chart of another run or sweep never sits beside new ones.
 * Other files stay.
 */
export function removeStaleCharts(folder: string, written: readonly string[]): void {
  if (!existsSync(folder)) return;
  const keep = new Set(written.map((path) => resolve(path)));
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    const chart = name === "report.html" || /\.(vl\.json|svg)$/.test(name);
    if (chart && !keep.has(resolve(path))) rmSync(path, { force: true });
  }
  if (readdirSync(folder).length === 0) rmdirSync(folder);
}
