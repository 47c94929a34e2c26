// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The model must be deterministic: ambient randomness, the wall clock and timers are reserved for
// the CLI (src/cli) and benchmarks (bench/). This is a lint rule, not a convention.
const nondeterminism = {
  "no-restricted-properties": [
    "error",
    { object: "Math", property: "random", message: "Use a named seeded stream (src/sim/random)." },
    {
      object: "Date",
      property: "now",
      message: "Use the simulation clock; wall time only in src/cli.",
    },
    {
      object: "performance",
      property: "now",
      message: "Use the simulation clock; wall time only in src/cli.",
    },
  ],
  "no-restricted-globals": [
    "error",
    ...[
      "setTimeout",
      "setInterval",
      "setImmediate",
      "queueMicrotask",
      "performance",
      "process",
    ].map((name) => ({
      name,
      message:
        "Timers, the wall clock and the process belong to src/cli; the model schedules simulation events.",
    })),
  ],
  "no-restricted-syntax": [
    "error",
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: "new Date() reads the wall clock; only src/cli may.",
    },
  ],
  "no-restricted-imports": [
    "error",
    {
      paths: [
        { name: "node:timers", message: "Timers are not allowed in the model." },
        { name: "node:timers/promises", message: "Timers are not allowed in the model." },
        { name: "node:perf_hooks", message: "The wall clock is not allowed in the model." },
        { name: "node:process", message: "Only src/cli touches the process." },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "results/", "docs/api/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  { files: ["src/**/*.ts"], ignores: ["src/cli/**"], rules: nondeterminism },
  { files: ["eslint.config.js"], ...tseslint.configs.disableTypeChecked },
  // User policy examples are plain JavaScript, as users write them: checked without types.
  { files: ["**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
