import fc from "fast-check";
import { parse, stringify } from "yaml";

/**
 * Scenario files mutated the ways a new user (or a careless script) breaks them, one class of
 * mistake each: the classes of issue 16's fuzz. A mutant is made from a shipped scenario and a few
 * random picks; it may need companion files (an extends chain, a base file) and a FIFO.
 */

export const MUTATION_CLASSES = [
  "value",
  "delete",
  "odd-key",
  "duplicate-names",
  "yaml-tag",
  "anchors",
  "nesting",
  "bytes",
  "extends",
  "size",
  "policy-module",
] as const;
export type MutationClass = (typeof MUTATION_CLASSES)[number];

export interface MutantSpec {
  readonly base: number;
  readonly kind: MutationClass;
  /** Random choices, each used modulo what it chooses among. */
  readonly picks: readonly number[];
  readonly odd: unknown;
}

export interface Mutant {
  readonly kind: MutationClass;
  /** The scenario to load, relative to the corpus folder. */
  readonly entry: string;
  /** Files to write in the corpus folder before loading (the entry among them). */
  readonly files: readonly { readonly name: string; readonly content: string | Uint8Array }[];
  /** Paths of the corpus folder to make FIFOs. */
  readonly fifos: readonly string[];
}

/** Values that broke loaders before: huge, negative, fractional, wrong types, odd strings. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    1e15,
    2 ** 31,
    2 ** 53 + 2,
    1e308,
    -1,
    0,
    0.5,
    -0.0,
    "",
    " ",
    "1e400",
    "NaN",
    "Infinity",
    "-5min",
    "1e9999GiB",
    "10 Gbps",
    "10Gbpsx",
    "∞",
    "\u0000",
    "a\nb",
    null,
    true,
    [],
    {},
    [1, [2, [3]]],
    { type: "unknown" },
    { name: "no-such-policy" },
    { module: "./no-such-module.mjs" },
    "x".repeat(300),
  ),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 12 }),
);

export const mutantSpec: fc.Arbitrary<MutantSpec> = fc.record({
  base: fc.nat(),
  kind: fc.constantFrom(...MUTATION_CLASSES),
  picks: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
  odd: oddValue,
});

type Path = readonly (string | number)[];

/** Every path to a value in a document, the root excluded, in document order. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const children: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => children.push([...path, i], ...pathsOf(item, [...path, i])));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      children.push([...path, key], ...pathsOf(item, [...path, key]));
    }
  }
  return children;
}

function containerPaths(document: unknown): Path[] {
  return [[], ...pathsOf(document)].filter((path) => {
    const value = at(document, path);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  });
}

function at(document: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (value, key) => (value as Record<string | number, unknown> | undefined)?.[key],
    document,
  );
}

function setAt(document: unknown, path: Path, value: unknown): void {
  const parent = at(document, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path[path.length - 1];
  if (key !== undefined) parent[key] = value;
}

function deleteAt(document: unknown, path: Path): void {
  const parent = at(document, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
  else if (typeof parent === "object" && parent !== null && key !== undefined) {
    // The fuzz builds plain objects of its own; the key is one of theirs.
    Reflect.deleteProperty(parent, key);
  }
}

function pick<T>(items: readonly T[], choice: number | undefined): T {
  const item = items[(choice ?? 0) % items.length];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

const ODD_KEYS = ["  nodeBudget", "", "__proto__", "constructor", "a.b", "ñame", "\t", "<<", "1"];
const TAGS = ["!!merge <<", "!foo", "!!binary aGk=", "!!set", "!!timestamp 2001-12-14", "!!float"];
const GARBAGE = [0xff, 0xfe, 0x00, 0xc3, 0x28, 0xe2, 0x82, 0x0a, 0x09, 0x5b, 0x7b, 0x26, 0x2a];

/**
 * The mutant of `spec` made from the corpus (name -> text of each shipped scenario). `fifo` names
 * a FIFO the runner makes in the corpus folder.
 */
export function makeMutant(
  corpus: readonly { readonly name: string; readonly text: string }[],
  spec: MutantSpec,
  id: string,
): Mutant {
  const source = pick(corpus, spec.base);
  const entry = `mutant-${id}.yaml`;
  const [p0, p1, p2, p3] = spec.picks;
  const document = parse(source.text) as Record<string, unknown>;
  const one = (content: string | Uint8Array): Mutant => ({
    kind: spec.kind,
    entry,
    files: [{ name: entry, content }],
    fifos: [],
  });
  switch (spec.kind) {
    case "value": {
      setAt(document, pick(pathsOf(document), p0), structuredClone(spec.odd));
      return one(stringify(document));
    }
    case "delete": {
      deleteAt(document, pick(pathsOf(document), p0));
      return one(stringify(document));
    }
    case "odd-key": {
      const object = at(document, pick(containerPaths(document), p0)) as Record<string, unknown>;
      const key = pick(ODD_KEYS, p1);
      // A key with spaces around an existing field's name, or an odd key of its own.
      const existing = Object.keys(object);
      const name = existing.length > 0 && (p2 ?? 0) % 2 === 0 ? ` ${pick(existing, p3)} ` : key;
      Object.defineProperty(object, name, {
        value: structuredClone(spec.odd),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return one(stringify(document));
    }
    case "duplicate-names":
      return one(duplicateNames(document, spec.picks));
    case "yaml-tag": {
      const lines = source.text.split("\n");
      const candidates = lines
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => /^\s*[A-Za-z]+:\s*\S/.test(line));
      const { line, i } = pick(candidates, p0);
      lines[i] = line.replace(/:\s*/, `: ${pick(TAGS, p1)} `);
      return one(lines.join("\n"));
    }
    case "anchors":
      return one(anchors(source.text, document, spec.picks));
    case "nesting": {
      const depth = pick([33, 100, 1000, 5000, 20000], p1);
      const flow = (p2 ?? 0) % 2 === 0;
      const deep = flow
        ? `${"[".repeat(depth)}${"]".repeat(depth)}`
        : `\n${Array.from({ length: Math.min(depth, 1400) }, (_, i) => `${"  ".repeat(i + 1)}k:`).join("\n")} 1`;
      const key = pick(pathsOf(document), p0)
        .filter((k) => typeof k === "string")
        .at(-1);
      return one(`${source.text}\n${key ?? "deep"}_deep: ${deep}\n`);
    }
    case "bytes": {
      const bytes = new TextEncoder().encode(source.text);
      const mode = (p0 ?? 0) % 3;
      if (mode === 0) return one(bytes.subarray(0, (p1 ?? 0) % (bytes.length + 1)));
      const out = [...bytes];
      const count = 1 + ((p2 ?? 0) % 8);
      for (let k = 0; k < count; k++) {
        const where = ((p1 ?? 0) + k * 7919) % (out.length + 1);
        const byte = pick(GARBAGE, (p3 ?? 0) + k);
        if (mode === 1) out.splice(where, 0, byte);
        else if (where < out.length) out[where] = byte;
      }
      return one(new Uint8Array(out));
    }
    case "extends":
      return extendsMutant(spec, entry, id, source.text);
    case "size": {
      const megabytes = 1 + ((p0 ?? 0) % 3);
      const filler = (p1 ?? 0) % 2 === 0 ? "#" : "description_long: ";
      return one(`${source.text}\n${filler} ${"x".repeat(megabytes * 1024 * 1024)}\n`);
    }
    case "policy-module": {
      const kind = pick(["placement", "consolidation", "faultTolerance", "sky"], p0);
      const module = pick(
        [
          "./no-such-module.mjs",
          "./robustness/exports-number.mjs",
          "./robustness/throws-on-load.mjs",
          "./robustness/throws-string.mjs",
          "./policies",
          "/dev/null",
          "",
        ],
        p1,
      );
      const policies = (document.policies ?? {}) as Record<string, unknown>;
      policies[kind] = { module };
      document.policies = policies;
      return one(stringify(document));
    }
  }
}

function duplicateNames(document: Record<string, unknown>, picks: readonly number[]): string {
  const [p0, p1] = picks;
  const platform = document.platform as Record<string, unknown> | undefined;
  if (platform?.type === "inline" && Array.isArray(platform.sites)) {
    const sites = platform.sites as Record<string, unknown>[];
    const site = pick(sites, p0);
    if ((p1 ?? 0) % 2 === 0) sites.push(structuredClone(site));
    else if (Array.isArray(site.clusters)) site.clusters.push(structuredClone(site.clusters[0]));
    return stringify(document);
  }
  if (platform?.type === "grid5000-2011") {
    platform.sites = ["rennes", "rennes", "nancy"];
    return stringify(document);
  }
  // Any other scenario gets an inline platform with two sites of one name.
  const cluster = {
    name: "c",
    hosts: 2,
    cores: 4,
    speed: "1Gf",
    memory: "16GiB",
    disk: "100MB/s",
    nic: { bandwidth: "1Gbps" },
  };
  document.platform = {
    type: "inline",
    sites: [
      { name: "east", uplink: { bandwidth: "1Gbps" }, clusters: [cluster] },
      { name: "east", uplink: { bandwidth: "1Gbps" }, clusters: [cluster, cluster] },
    ],
    backbone: { type: "shared", bandwidth: "1Gbps" },
  };
  return stringify(document);
}

function anchors(
  text: string,
  document: Record<string, unknown>,
  picks: readonly number[],
): string {
  const [p0, p1] = picks;
  switch ((p0 ?? 0) % 4) {
    case 0: {
      // An alias bomb: each level nine aliases of the one before.
      const depth = 3 + ((p1 ?? 0) % 8);
      let bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n";
      for (let i = 1; i <= depth; i++) {
        bomb += `l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(", ")}]\n`;
      }
      return `${text}\n${bomb}`;
    }
    case 1:
      return `${text}\ncycle: &c [1, *c]\n`;
    case 2:
      return `${text}\nuses: *undefined_anchor\n`;
    default: {
      // A legitimate alias: a copy of an existing top-level value under an unknown key.
      const key = pick(Object.keys(document), p1);
      return text.replace(new RegExp(`^${key}:`, "m"), `${key}: &shared`) + "\ncopy: *shared\n";
    }
  }
}

function extendsMutant(spec: MutantSpec, entry: string, id: string, text: string): Mutant {
  const [p0, p1] = spec.picks;
  const body = text.replace(/^extends:.*$/m, "");
  const mutant = (target: string, extra: Mutant["files"] = [], fifos: string[] = []): Mutant => ({
    kind: spec.kind,
    entry,
    files: [{ name: entry, content: `extends: ${target}\n${body}` }, ...extra],
    fifos,
  });
  switch ((p0 ?? 0) % 10) {
    case 0:
      return mutant("/dev/zero");
    case 1:
      return mutant(`fifo-${id}`, [], [`fifo-${id}`]);
    case 2:
      return mutant(`missing-${id}.yaml`);
    case 3:
      return mutant(".");
    case 4:
      return mutant(entry);
    case 5:
      return mutant(`empty-${id}.yaml`, [{ name: `empty-${id}.yaml`, content: "" }]);
    case 6:
      return mutant("/etc/passwd");
    case 7:
      return mutant(`list-${id}.yaml`, [{ name: `list-${id}.yaml`, content: "- a\n- b\n" }]);
    case 8:
      return mutant("/dev/null");
    default: {
      const length = 2 + ((p1 ?? 0) % 60);
      const chain = Array.from({ length }, (_, i) => ({
        name: `chain-${id}-${i}.yaml`,
        content: i < length - 1 ? `extends: chain-${id}-${i + 1}.yaml\n` : body,
      }));
      return mutant(`chain-${id}-0.yaml`, chain);
    }
  }
}
