import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with one plain line, "N passed, N failed" (", N skipped" when some were), which CI
 * tools read without having to parse vitest's coloured output.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (module.state() === "failed" && module.children.size === 0) failed++; // failed to load
    }
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    console.log(`\n${passed} passed, ${failed} failed${tail}`);
  }
}
