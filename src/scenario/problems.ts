import type * as z from "zod";

/** One thing wrong with a scenario file, located by its field path ("workload.servers"). */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** A scenario that cannot run; `problems` lists every mistake found, not just the first. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((problem) => formatProblem(file, problem)).join("\n"));
    this.name = "ScenarioError";
  }
}

/**
 * `file: path.to.field: expected ..., got ...` (the field path is "(root)" for the whole file), on
 * one line whatever the values quoted in it hold: control characters (a newline in a value, a
 * path) are written as escapes, so every problem stays one line that starts with its file.
 */
export function formatProblem(file: string, problem: Problem): string {
  return oneLine(`${file}: ${problem.path}: ${problem.message}`);
}

const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function oneLine(text: string): string {
  let line = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
    line += control ? (ESCAPES[c] ?? `\\u${code.toString(16).padStart(4, "0")}`) : c;
  }
  return line;
}

/**
 * `policies.consolidation.options`, `sites[2].name`; a key that is not a plain name (spaces,
 * dots, control characters) is quoted, `sweep.variants["  nodeBudget"]`, so it reads unambiguously.
 */
export function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((key, i) => {
      if (typeof key === "number") return `[${key}]`;
      const text = String(key);
      if (!PLAIN_KEY.test(text)) return `[${JSON.stringify(text)}]`;
      return `${i > 0 ? "." : ""}${text}`;
    })
    .join("");
}

const PLAIN_KEY = /^[A-Za-z0-9_$][A-Za-z0-9_$-]*$/;

/** A short rendering of the value found, for "got ...". */
function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    return `a ${typeof value}`;
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean }): string {
  const limit = issue.minimum ?? issue.maximum;
  const side = issue.minimum !== undefined ? ">" : "<";
  return `${side}${issue.inclusive === true ? "=" : ""} ${String(limit)}`;
}

/** "expected a list of 11 values, got 3", or for a number "expected a value >= 1, got 0". */
function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const limit = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
  if (issue.origin === "array" || issue.origin === "string") {
    const unit = issue.origin === "array" ? "values" : "characters";
    const length = (issue.input as { length?: unknown } | undefined)?.length;
    const exactly = (issue as { exact?: boolean }).exact === true;
    const side = issue.code === "too_small" ? "at least" : "at most";
    const what = issue.origin === "array" ? "a list" : "a string";
    return `expected ${what} of ${exactly ? "" : `${side} `}${limit} ${unit}, got ${typeof length === "number" ? length : shown(issue.input)}`;
  }
  return `expected a value ${bound(issue)}, got ${shown(issue.input)}`;
}

/** Turns zod's issues into problems phrased as "expected ..., got ...". */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => {
    const got = shown(issue.input);
    switch (issue.code) {
      case "invalid_type":
        return { path: pathOf(issue.path), message: expectedGot([issue.expected], issue.input) };
      case "too_small":
      case "too_big":
        return { path: pathOf(issue.path), message: sizeMessage(issue) };
      case "invalid_format":
        return { path: pathOf(issue.path), message: `${formatExpected(issue)}, got ${got}` };
      case "invalid_value":
        return {
          path: pathOf(issue.path),
          message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${got}`,
        };
      case "unrecognized_keys":
        return {
          path: pathOf(issue.path),
          message: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`,
        };
      case "invalid_union":
        return unionProblem(issue);
      case "invalid_key": {
        // A mapping's key that its schema refuses (a sweep variant's name, a parameter's path).
        const [inner] = issue.issues;
        const expected =
          inner?.code === "invalid_format" ? formatExpected(inner) : "expected another name";
        return { path: pathOf(issue.path), message: `${expected}, got ${got}` };
      }
      case "custom":
        // Our own checks (units, distribution parameters) already say what was expected and found.
        return { path: pathOf(issue.path), message: issue.message };
      default:
        return { path: pathOf(issue.path), message: `${issue.message}, got ${got}` };
    }
  });
}

/**
 * What a string of a format should be: the schema's own words when it gives them (a message
 * starting "expected"), else the pattern.
 */
function formatExpected(issue: z.core.$ZodIssueInvalidStringFormat): string {
  return issue.message.startsWith("expected ")
    ? issue.message
    : `expected a string matching ${issue.pattern ?? issue.format}`;
}

const ARTICLES: Record<string, string> = {
  number: "a number",
  int: "an integer",
  string: "a string",
  object: "an object",
  array: "a list",
  record: "a mapping",
  boolean: "true or false",
};

function expectedGot(types: readonly string[], input: unknown): string {
  const wanted = types.map((type) => ARTICLES[type] ?? type).join(" or ");
  return input === undefined
    ? `expected ${wanted}, got nothing (this field is required)`
    : `expected ${wanted}, got ${shown(input)}`;
}

function unionProblem(issue: z.core.$ZodIssueInvalidUnion): Problem {
  const tagged = issue as z.core.$ZodIssueInvalidUnion & {
    discriminator?: string;
    options?: unknown[];
  };
  if (tagged.discriminator !== undefined) {
    const input = issue.input as Record<string, unknown> | undefined;
    const named = (tagged.options ?? []).filter((o) => o !== undefined && o !== null);
    const options = named.map((o) => JSON.stringify(o)).join(", ");
    // A variant without the tag is the policy sections' user module.
    const orModule = named.length < (tagged.options ?? []).length ? " (or a module: file)" : "";
    const found = typeof input === "object" ? input[tagged.discriminator] : undefined;
    return {
      path: pathOf(issue.path),
      message: `expected one of ${options}${orModule}, got ${shown(found)}`,
    };
  }
  // A union of plain types or values (a quantity is a number or a string; a constraint's vjobs
  // are "each" or a list): name what each branch wanted.
  const wanted = issue.errors.map((branch) =>
    branch.flatMap((inner) => {
      if (inner.path.length > 0) return [];
      if (inner.code === "invalid_type") return [inner.expected];
      if (inner.code === "invalid_value") return inner.values.map((v) => JSON.stringify(v));
      return [];
    }),
  );
  if (wanted.length > 0 && wanted.every((types) => types.length > 0)) {
    return { path: pathOf(issue.path), message: expectedGot(wanted.flat(), issue.input) };
  }
  return { path: pathOf(issue.path), message: `${issue.message}, got ${shown(issue.input)}` };
}
