import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/plain-summary-reporter.ts"],
    // Statistical tests draw millions of samples; the default 5 s is a wall-clock limit, not a spec.
    testTimeout: 60_000,
  },
});
