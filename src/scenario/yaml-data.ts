import {
  LineCounter,
  type Node,
  Parser,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
} from "yaml";
import type { CST } from "yaml";
import { type Problem, ScenarioError } from "./problems.js";

/** Deeper than any field of the format (the deepest, inside a sweep variant, is about 8). */
export const MAX_NESTING = 32;
/** Values made from one file, aliases expanded: bounds what an alias bomb can build. */
export const MAX_VALUES = 1_000_000;
/** Syntax errors listed before "... and N more" (binary garbage has thousands). */
const MAX_SYNTAX_PROBLEMS = 10;

/**
 * Parses YAML (JSON is YAML too) into plain data: objects, lists, strings, numbers, booleans and
 * null. Everything else is a problem located by line and column, never an exception of the parser
 * or a stack overflow: syntax errors, unresolved or non-JSON tags (`!!binary`, `!!set`, `!foo`),
 * merge keys (`<<`), keys that are lists or mappings, aliases that contain themselves or expand to
 * more than MAX_VALUES values, nesting deeper than MAX_NESTING.
 */
export function parseScenarioText(text: string, file: string): unknown {
  const lines = new LineCounter();
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return "(syntax)";
    const { line, col } = lines.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  // The scan fills the line counter; the document is then parsed without one.
  const tooDeep = firstTooDeep(text, lines);
  if (tooDeep !== undefined) {
    throw new ScenarioError(file, [
      { path: at(tooDeep), message: `expected nesting at most ${MAX_NESTING} levels deep` },
    ]);
  }
  const document = parseDocument(text, {
    prettyErrors: false,
    uniqueKeys: true,
    schema: "core",
    merge: false,
    resolveKnownTags: false,
  });
  const syntax = [...document.errors, ...document.warnings].map((error): Problem => ({
    path: at(error.pos[0]),
    message: syntaxMessage(error.message),
  }));
  if (syntax.length > 0) {
    const shown = syntax.slice(0, MAX_SYNTAX_PROBLEMS);
    if (syntax.length > shown.length) {
      shown.push({
        path: "(syntax)",
        message: `and ${syntax.length - shown.length} more YAML problems`,
      });
    }
    throw new ScenarioError(file, shown);
  }
  return new PlainData(file, at).of(document.contents);
}

function syntaxMessage(message: string): string {
  const first = message.split("\n", 1)[0] ?? message;
  return `expected valid YAML or JSON: ${first.replace(/ at line \d+, column \d+:?$/, "")}`;
}

/**
 * The offset of the first collection nested deeper than MAX_NESTING, found on the parser's token
 * tree (built without recursion) by an explicit stack, before anything recursive sees the text:
 * the document composer would otherwise overflow the call stack at a depth that depends on the
 * stack's size, so the error and its place would differ between machines and threads.
 */
function firstTooDeep(text: string, lines: LineCounter): number | undefined {
  for (const token of new Parser(lines.addNewLine).parse(text)) {
    if (token.type !== "document" || token.value === undefined) continue;
    const stack: { token: CST.Token; depth: number }[] = [{ token: token.value, depth: 0 }];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const { token: node, depth } = top;
      if (
        node.type !== "block-map" &&
        node.type !== "block-seq" &&
        node.type !== "flow-collection"
      ) {
        continue;
      }
      if (depth > MAX_NESTING) return node.offset;
      for (const item of node.items) {
        if ("key" in item && item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** Converts the document's nodes to plain values, following aliases by hand (bounded). */
class PlainData {
  private readonly anchors = new Map<string, Node>();
  private readonly ancestors = new Set<Node>();
  private values = 0;

  constructor(
    private readonly file: string,
    private readonly at: (offset: number | undefined) => string,
  ) {}

  of(node: unknown): unknown {
    return node === null || node === undefined ? null : this.convert(node as Node, 0, false);
  }

  private fail(node: Node, message: string): never {
    throw new ScenarioError(this.file, [{ path: this.at(node.range?.[0]), message }]);
  }

  private convert(node: Node, depth: number, expanding: boolean): unknown {
    if (depth > MAX_NESTING) {
      this.fail(node, `expected nesting at most ${MAX_NESTING} levels deep`);
    }
    this.values += 1;
    if (this.values > MAX_VALUES) {
      this.fail(node, `expected at most ${MAX_VALUES} values once aliases are expanded`);
    }
    if (!expanding && node.anchor !== undefined && !isAlias(node)) {
      this.anchors.set(node.anchor, node);
    }
    if (isAlias(node)) {
      const target = this.anchors.get(node.source);
      if (target === undefined) this.fail(node, `expected a known anchor, got *${node.source}`);
      if (this.ancestors.has(target)) {
        this.fail(node, `expected an alias outside its own anchor, got *${node.source} inside it`);
      }
      return this.convert(target, depth, true);
    }
    if (isScalar(node)) return this.scalar(node);
    this.ancestors.add(node);
    try {
      if (isSeq(node)) {
        return node.items.map((item) => {
          if (isPair(item)) this.fail(node, "expected a list item, got a key: value pair");
          return item === null ? null : this.convert(item as Node, depth + 1, expanding);
        });
      }
      if (isMap(node)) {
        const object: Record<string, unknown> = {};
        for (const pair of node.items) {
          const key = this.key(pair.key, node);
          object[key] =
            pair.value === null ? null : this.convert(pair.value as Node, depth + 1, expanding);
        }
        return object;
      }
      return this.fail(node, "expected a value, a list or a mapping");
    } finally {
      this.ancestors.delete(node);
    }
  }

  private scalar(node: Node & { value: unknown; tag?: string | undefined }): unknown {
    const value = node.value;
    if (
      value === null ||
      typeof value === "string" ||
      typeof value === "number" ||
      typeof value === "boolean"
    ) {
      return value;
    }
    return this.fail(
      node,
      `expected plain data (text, a number, true/false or null), got ${node.tag ?? typeof value}`,
    );
  }

  private key(key: unknown, map: Node): string {
    if (key === null) return this.fail(map, "expected a field name, got an empty key");
    const node = key as Node;
    const value = isAlias(node) ? this.anchors.get(node.source) : node;
    if (value === undefined || !isScalar(value)) {
      return this.fail(node, "expected a field name, got a list or a mapping as a key");
    }
    const name = value.value;
    if (typeof name !== "string" && typeof name !== "number" && typeof name !== "boolean") {
      return this.fail(node, `expected a field name, got ${value.tag ?? typeof name}`);
    }
    const text = String(name);
    if (text === "<<") {
      this.fail(node, "expected a field name, got a YAML merge key (<<): use extends instead");
    }
    if (text === "__proto__") this.fail(map, "expected a field name, got __proto__");
    return text;
  }
}
