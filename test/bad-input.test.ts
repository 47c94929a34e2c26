import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_EXTENDS_DEPTH } from "../src/scenario/extends.js";
import { MAX_SCENARIO_BYTES } from "../src/scenario/scenario-text.js";
import { MAX_NESTING, MAX_VALUES } from "../src/scenario/yaml-data.js";
import { type CliResult, skysim } from "./run-cli.js";

/**
 * One test per class of input that crashed, hung or was reported badly by `skysim validate` in the
 * fuzz of issue 16: each must now be exit 2 with one line per problem, each line naming the file
 * and a field path (or a line and column), never an internal error or a stack trace.
 */

const SKY = resolve("scenarios/sky-vjobs.yaml");
const ROBUSTNESS = resolve("test/fixtures/robustness");

function folder(): string {
  return mkdtempSync(join(tmpdir(), "skysim-bad-input-"));
}

function write(dir: string, name: string, text: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A scenario extending sky-vjobs.yaml with `body` (YAML lines) on top. */
function extending(dir: string, body: string): string {
  return write(dir, "scenario.yaml", `extends: ${SKY}\nname: bad\n${body}\n`);
}

/** Exit 2, and every stderr line is `FILE: PATH: message` with no internal error text. */
function expectRejected(result: CliResult, file: string, path: string | RegExp): string[] {
  expect(result.signal).toBeNull();
  expect(result.stderr).not.toMatch(/internal error| {4}at |Error:/);
  expect(result.status).toBe(2);
  const lines = result.stderr.trimEnd().split("\n");
  for (const line of lines) expect(line.startsWith(`${file}: `)).toBe(true);
  const paths = lines.map((line) => line.slice(file.length + 2).split(": ", 1)[0]);
  expect(paths.some((p) => (typeof path === "string" ? p === path : path.test(p ?? "")))).toBe(
    true,
  );
  return lines;
}

const validate = (file: string, ...options: string[]) =>
  skysim(["validate", file, ...options], { timeout: 30_000 });

describe("sizes that cannot fit", () => {
  it("rejects a huge integer by the schema's bound (was: RangeError: Invalid array length)", () => {
    const file = extending(folder(), "platform: { type: synthetic, hostsPerSite: 1e15 }");
    const [line] = expectRejected(validate(file), file, "platform.hostsPerSite");
    expect(line).toMatch(/expected a value <= 1000000, got 1000000000000000/);
  });

  it("rejects 2^31 hosts at once (was: a hang)", () => {
    const file = extending(folder(), `platform: { type: synthetic, hostsPerSite: ${2 ** 31} }`);
    expectRejected(validate(file), file, "platform.hostsPerSite");
  });

  it("refuses, by its estimate, a platform within the bounds that cannot fit in memory (was: 57 s to 4.6 GB, then abort)", () => {
    // 1,000 sites x 1,000,000 hosts would take about 1e9 x 1.5 kB: far over any heap.
    const file = extending(
      folder(),
      "platform: { type: synthetic, sites: 1000, hostsPerSite: 1000000 }\nworkload: { boot: { imageStore: s0h0 } }",
    );
    const [line] = expectRejected(validate(file), file, "platform.hostsPerSite");
    expect(line).toMatch(/expected a scenario that fits in memory: 1\.00e\+9 hosts/);
  });

  it("refuses a Grid'5000 scale of a million (was: a hang)", () => {
    const file = extending(folder(), "platform: { type: grid5000-2011, scale: 1e6 }");
    expectRejected(validate(file), file, "platform.scale");
  });

  it("refuses by the estimate what a --max-memory lower than the default excludes", () => {
    // 400 jobs x 4 VMs of sky-vjobs: 1,600 VMs x 5.5 kB + 133 hosts: about 0.07 GB, over 10 MB.
    const result = validate(SKY, "--max-memory", "10MB");
    const [line] = expectRejected(result, SKY, "workload.arrivals.count");
    expect(line).toMatch(/more than the 0\.0 GB allowed/);
    expect(validate(SKY, "--max-memory", "1GiB").status).toBe(0);
    expect(validate(SKY, "--max-memory", "lots").stderr).toMatch(
      /--max-memory: expected a size such as 8GiB, got "lots"/,
    );
  });
});

describe("YAML that is not plain data", () => {
  it("reports a merge key with a tag in an odd place (was: TypeError reading 'length')", () => {
    const file = extending(folder(), "platform: { type: synthetic, cores: !!merge << }");
    expectRejected(validate(file), file, /^line 3, column \d+$/);
  });

  it("reports merge keys, unknown tags and non-JSON tags by line and column", () => {
    const dir = folder();
    for (const body of [
      "base: &b { vcpus: 2 }\nworkload: { vm: { <<: *b } }",
      "description: !secret hello",
      "description: !!binary aGVsbG8=",
      "description: !!set { a, b }",
      "? [a, b]\n: 1",
    ]) {
      const file = extending(dir, body);
      expectRejected(validate(file), file, /^line \d+, column \d+$/);
    }
  });

  it("reports an alias bomb (was: the parser's ReferenceError)", () => {
    // Ten levels of nine aliases each: 9^10 = 3.5e9 values once expanded.
    let text = "name: bomb\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i <= 10; i++) {
      text += `l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(", ")}]\n`;
    }
    const file = write(folder(), "bomb.yaml", text);
    const [line] = expectRejected(validate(file), file, /^line \d+, column \d+$/);
    expect(line).toContain(`expected at most ${MAX_VALUES} values once aliases are expanded`);
  });

  it("reports an alias inside its own anchor (a cycle)", () => {
    const file = write(folder(), "cycle.yaml", "name: cycle\nlist: &a [1, *a]\n");
    // "list: &a [1, *a]": the alias starts at the 14th character.
    const [line] = expectRejected(validate(file), file, "line 2, column 14");
    expect(line).toContain("expected an alias outside its own anchor, got *a inside it");
  });

  it("reports nesting thousands of levels deep, flow or block (was: Maximum call stack size exceeded)", () => {
    const dir = folder();
    const flow = write(
      dir,
      "flow.yaml",
      `name: deep\nx: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`,
    );
    const block = write(
      dir,
      "block.yaml",
      `name: deep\n${Array.from({ length: 600 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n")}\n`,
    );
    const shallow = write(
      dir,
      "shallow.yaml",
      `name: deep\nx: ${"[".repeat(40)}${"]".repeat(40)}\n`,
    );
    for (const file of [flow, block, shallow]) {
      const [line] = expectRejected(validate(file), file, /^line \d+, column \d+$/);
      expect(line).toContain(`expected nesting at most ${MAX_NESTING} levels deep`);
    }
  });

  it("reports bytes that are not UTF-8 with their line and column", () => {
    const bytes = new Uint8Array([...Buffer.from("name: x\ndescription: caf"), 0xe9, 0x0a]);
    const file = write(folder(), "latin1.yaml", bytes);
    // "description: caf" is 16 characters: the Latin-1 é is the 17th.
    const [line] = expectRejected(validate(file), file, "line 2, column 17");
    expect(line).toContain("expected UTF-8 text");
  });

  it("reports binary garbage in a few lines, not thousands", () => {
    const garbage = new Uint8Array(20_000).map((_, i) => ((i * 7919 + 13) % 96) + 32);
    const file = write(folder(), "garbage.yaml", garbage);
    const lines = expectRejected(
      validate(file),
      file,
      /^(line \d+, column \d+|\(syntax\)|\(root\))$/,
    );
    expect(lines.length).toBeLessThanOrEqual(11);
  });
});

describe("files a scenario may name", () => {
  it("refuses a file over the size limit at once (was: a 50 MB file hung past 60 s)", () => {
    const file = write(folder(), "big.yaml", `name: big\n# ${"x".repeat(50 * 1024 * 1024)}\n`);
    const [line] = expectRejected(validate(file), file, "(file)");
    expect(line).toContain(`at most ${MAX_SCENARIO_BYTES} bytes`);
  });

  it("refuses to extend a device or a FIFO (was: /dev/zero read to 4.2 GB, a FIFO hung)", () => {
    const dir = folder();
    const zero = write(dir, "zero.yaml", "extends: /dev/zero\nname: zero\n");
    const [line] = expectRejected(validate(zero, "--allow-outside"), zero, "extends");
    expect(line).toContain("/dev/zero: expected a regular file, got a device");
    execFileSync("mkfifo", [join(dir, "pipe")]);
    const fifo = write(dir, "fifo.yaml", "extends: pipe\nname: fifo\n");
    const [fifoLine] = expectRejected(validate(fifo, "--allow-outside"), fifo, "extends");
    expect(fifoLine).toContain("pipe: expected a regular file, got a FIFO (named pipe)");
    const folderBase = write(dir, "folder.yaml", `extends: ${dir}\nname: f\n`);
    expectRejected(validate(folderBase), folderBase, "extends");
  });

  it("stops an extends chain thousands of files long at a depth limit, naming the chain (was: stack overflow)", () => {
    const dir = folder();
    for (let i = 0; i < 3000; i++) {
      write(
        dir,
        `c${i}.yaml`,
        i < 2999 ? `extends: c${i + 1}.yaml\nname: c${i}\n` : "name: last\n",
      );
    }
    const first = join(dir, "c0.yaml");
    const result = validate(first);
    const culprit = join(dir, `c${MAX_EXTENDS_DEPTH - 1}.yaml`);
    const [line] = expectRejected(result, culprit, "extends");
    expect(line).toContain(`at most ${MAX_EXTENDS_DEPTH} files`);
    expect(line).toContain(`${first} -> ${join(dir, "c1.yaml")}`);
  });

  it("refuses to extend what holds no scenario", () => {
    const dir = folder();
    write(dir, "empty.yaml", "");
    write(dir, "list.yaml", "- a\n- b\n");
    for (const base of ["empty.yaml", "list.yaml"]) {
      const file = write(dir, `on-${base}`, `extends: ${base}\nname: x\n`);
      const [line] = expectRejected(validate(file, "--allow-outside"), file, "extends");
      expect(line).toMatch(/expected .* to hold a scenario \(a mapping of fields\)/);
    }
  });
});

describe("what validate let through (issue 22)", () => {
  it("checks every run of a sweep block, as sweep would (was: ok, then sweep refused it)", () => {
    // The base is fine; a variant names a placement that does not exist and a parameter value is
    // below its minimum: validate reports each cell's problem with the cell's name.
    const dir = folder();
    const file = extending(
      dir,
      [
        "sweep:",
        "  seeds: 1",
        "  parameters: { duration: [1h, -5] }",
        "  variants:",
        "    ok: {}",
        "    odd: { policies: { placement: { name: nowhere } } }",
      ].join("\n"),
    );
    const lines = expectRejected(validate(file), file, "[ok__duration=-5] duration");
    expect(lines.filter((line) => line.includes("[ok__duration=1h]"))).toEqual([]);
    expect(lines.some((line) => line.includes("[odd__duration=1h] policies.placement.name"))).toBe(
      true,
    );
    expect(skysim(["validate", SKY]).status).toBe(0);
  });

  it("refuses a seed listed twice in a sweep (it would halve the runs)", () => {
    const file = extending(folder(), "sweep: { seeds: [1, 1] }");
    expect(expectRejected(validate(file), file, "sweep.seeds[1]")).toEqual([
      `${file}: sweep.seeds[1]: expected a seed not listed before, got "1" again (also [0])`,
    ]);
  });

  it("refuses a name too long to name a results folder (was: internal error ENAMETOOLONG, exit 1)", () => {
    const file = extending(folder(), "");
    const long = write(dirname(file), "long.yaml", `extends: ${file}\nname: ${"a".repeat(300)}\n`);
    expect(expectRejected(validate(long), long, "name")).toEqual([
      `${long}: name: expected a string of at most 128 characters, got 300`,
    ]);
  });

  it("leaves no folder it made when a run fails (was: an empty results/<name>/)", () => {
    // A consolidation that throws at its first decision, in a folder made for the run two levels
    // deep: both levels are removed, the folder that was there stays.
    const dir = folder();
    const file = write(
      dir,
      "scenario.yaml",
      `extends: ${ROBUSTNESS}/scenario.yaml\npolicies: { consolidation: { module: ${ROBUSTNESS}/throws-string.mjs } }\n`,
    );
    const result = skysim(["run", file, "--out", join(dir, "made", "for-it"), "--allow-outside"]);
    expect(result.status).toBe(1);
    expect(readdirSync(dir)).toEqual(["scenario.yaml"]);
  });

  it("writes summary.json, the run's completion mark, after every other file (charts, report, run-info.json)", () => {
    const out = join(folder(), "out");
    const result = skysim(["run", resolve("scenarios/quickstart.yaml"), "--out", out]);
    expect(result.status).toBe(0);
    const written = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("wrote "))
      .map((line) => line.slice("wrote ".length));
    expect(written).toContain(join(out, "charts", "report.html"));
    expect(written.at(-1)).toBe(join(out, "summary.json"));
    expect(written.at(-2)).toBe(join(out, "run-info.json"));
  });

  it("refuses time series too long to schedule, naming the field, at once (was: 2.4 GB, then internal error)", () => {
    // The default step is 300 s: 1e12 s make 3.3e9 samples; a 1 ns step over sky-vjobs' day,
    // 8.6e13. At most 2^26 / 2 = 33,554,432.
    const long = extending(folder(), "duration: 1e12");
    expect(expectRejected(validate(long), long, "duration")).toEqual([
      `${long}: duration: expected at most 33554432 time-series samples (duration / output.step), got 3.33e+9: a longer step or a shorter duration`,
    ]);
    const fine = extending(folder(), "output: { step: 1ns }");
    const [line] = expectRejected(validate(fine), fine, "output.step");
    expect(line).toContain("expected at most 33554432 time-series samples");
    // Just under the cap, it is the memory estimate's to judge: 3e7 samples (1.9 GB) pass.
    expect(validate(extending(folder(), "duration: 9e9")).status).toBe(0);
  });

  it("never prints what a trace file holds (was: an SWF path to any file printed its first line)", () => {
    // A "trace" that is a secret: the messages say which line and how many fields, not what.
    const dir = folder();
    write(dir, "secret.txt", "password: hunter2 is-not-a-trace\n");
    write(dir, "secret.csv", "time,target,event\nhunter2,hunter2,hunter2\n");
    const file = write(
      dir,
      "leak.yaml",
      [
        "name: leak",
        "duration: 1h",
        "platform: { type: synthetic, sites: 1, hostsPerSite: 2 }",
        "workload: { type: vjobs, arrivals: { type: swf, file: secret.txt } }",
        "failures:",
        "  - { type: trace, file: secret.csv }",
        "  - { type: trace, file: secret.txt, format: fta }",
      ].join("\n"),
    );
    const lines = expectRejected(validate(file), file, "workload.arrivals.file");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toMatch(/hunter2|password/);
    expect(lines.join("\n")).toContain(
      "secret.txt, line 1: expected 18 numbers, got 3 fields, not all numbers",
    );
  });

  it("reads traces and extends only in the scenario's tree or skysim's own, unless --allow-outside", () => {
    // ../ out of the scenario's folder: refused at each field, the file never read. The same
    // files in a folder below, or with --allow-outside, are read (and found malformed: they
    // are not traces).
    const root = folder();
    const dir = join(root, "scenario");
    mkdirSync(join(dir, "below"), { recursive: true });
    write(root, "outside.swf", "1 2 3\n");
    write(root, "base.yaml", "name: base\n");
    write(join(dir, "below"), "inside.swf", "1 2 3\n");
    const scenario = (swf: string, base: string) =>
      write(
        dir,
        "s.yaml",
        [
          `extends: ${base}`,
          "name: s",
          "duration: 1h",
          "platform: { type: synthetic, sites: 1, hostsPerSite: 2 }",
          `workload: { type: vjobs, arrivals: { type: swf, file: ${swf} } }`,
          "failures: [{ type: trace, file: ../../../etc/hostname }]",
        ].join("\n"),
      );
    const outside = scenario("../outside.swf", "../base.yaml");
    const refusal = (name: string) =>
      `expected a file in the scenario's folder (${realpathSync(dir)}) or below it, or in skysim's scenarios/ or data/ (--allow-outside reads any), got ${name}`;
    expect(expectRejected(validate(outside), outside, "extends")).toEqual([
      `${outside}: extends: ${refusal("../base.yaml")}`,
    ]);
    write(dir, "base.yaml", "name: base\n");
    const traces = scenario("../outside.swf", "base.yaml");
    expect(expectRejected(validate(traces), traces, "workload.arrivals.file")).toEqual([
      `${traces}: failures[0].file: ${refusal("../../../etc/hostname")}`,
      `${traces}: workload.arrivals.file: ${refusal("../outside.swf")}`,
    ]);
    const allowed = expectRejected(
      validate(traces, "--allow-outside"),
      traces,
      "workload.arrivals.file",
    );
    expect(allowed.join("\n")).toContain("outside.swf, line 1: expected 18 numbers, got 3 fields");
    const inside = scenario("below/inside.swf", "base.yaml");
    const read = expectRejected(validate(inside), inside, "workload.arrivals.file");
    expect(read.join("\n")).toContain("inside.swf, line 1: expected 18 numbers");
    // A shipped scenario may be extended from anywhere.
    expect(validate(extending(folder(), "")).status).toBe(0);
  });

  it("loads policy modules only from the scenario's tree or skysim's own, unless --allow-outside (was: any file's code ran, even for validate)", () => {
    // A module that leaves a mark when its code runs, beside the scenario's folder: refused
    // unread at its field, the mark never made; with --allow-outside it loads (and is found to
    // export no policy).
    const root = folder();
    const dir = join(root, "scenario");
    mkdirSync(dir);
    const mark = join(root, "ran");
    write(
      root,
      "marks.mjs",
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(mark)}, "");\n`,
    );
    const file = write(
      dir,
      "s.yaml",
      `extends: ${SKY}\nname: s\npolicies: { consolidation: { module: ../marks.mjs } }\n`,
    );
    expect(expectRejected(validate(file), file, "policies.consolidation.module")).toEqual([
      `${file}: policies.consolidation.module: expected a file in the scenario's folder (${realpathSync(dir)}) or below it, or in skysim's scenarios/ or data/ (--allow-outside reads any), got ../marks.mjs`,
    ]);
    expect(existsSync(mark)).toBe(false);
    const [line] = expectRejected(
      validate(file, "--allow-outside"),
      file,
      "policies.consolidation.module",
    );
    expect(line).toContain("marks.mjs to export (as default)");
    expect(existsSync(mark)).toBe(true);
  });

  it("writes every line of a long report into a pipe (was: the first 64 KiB, 605 of 1,416 lines)", () => {
    // 2,000 listed jobs of 0 VMs (and no work): lines of about 100 bytes each on stderr, a pipe
    // here; every job's vms line arrives.
    const jobs = Array.from({ length: 2000 }, (_, i) => `      - { name: j${i}, vms: 0 }`);
    const file = extending(
      folder(),
      ["workload:", "  arrivals:", "    type: list", "    jobs:", ...jobs].join("\n"),
    );
    const lines = expectRejected(validate(file), file, "workload.arrivals.jobs[1999].vms");
    expect(lines.filter((line) => /jobs\[\d+\]\.vms: /.test(line))).toHaveLength(2000);
    expect(lines.join("\n").length).toBeGreaterThan(128 * 1024);
  });

  it("runs an idle-off policy whose idleFor barely moves the clock (was: a hang, found by the fuzz)", () => {
    // idleFor 1e-172 s with a spare host: each refusal asked again 1e-172 s later, for ever.
    const file = extending(
      folder(),
      "duration: 1h\noutput: { charts: false }\npolicies: { power: { name: idle-off, idleFor: 1e-172, spare: 1 } }",
    );
    const result = skysim(["run", file, "--out", join(folder(), "out")], { timeout: 60_000 });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(0);
  });

  it("refuses a platform that keeps no host (was: a run of nothing, exit 0)", () => {
    const dir = folder();
    const file = write(
      dir,
      "empty.yaml",
      [
        "name: empty",
        "duration: 1h",
        "platform: { type: grid5000-2011, sites: [] }",
        "workload:",
        "  type: vjobs",
        "  arrivals: { type: poisson, count: 3, interarrival: 10s, vms: 1, work: { coreSeconds: 1h } }",
      ].join("\n"),
    );
    const lines = expectRejected(validate(file), file, "platform");
    expect(lines).toEqual([
      `${file}: platform: expected a platform with at least one host, got none (its sites, clusters or scale keep no host)`,
    ]);
  });
});

describe("duplicate names", () => {
  const cluster = (name: string) =>
    `{ name: ${name}, hosts: 2, cores: 4, speed: 1Gf, memory: 16GiB, disk: 100MB/s, nic: { bandwidth: 1Gbps } }`;
  const site = (name: string, clusters: string[]) =>
    `{ name: ${name}, uplink: { bandwidth: 1Gbps }, clusters: [${clusters.map(cluster).join(", ")}] }`;

  it("reports two sites, two clusters of a site and two links with one name, each at its path (was: RangeError)", () => {
    const file = extending(
      folder(),
      [
        "platform:",
        "  type: inline",
        `  sites: [${site("east", ["a"])}, ${site("east", ["a", "a"])}]`,
        "  backbone: { type: graph, links: [{ from: east, to: r, bandwidth: 1Gbps }, { from: east, to: r, bandwidth: 1Gbps }] }",
        "workload: { boot: { imageStore: a-1.east } }",
      ].join("\n"),
    );
    const lines = expectRejected(validate(file), file, "platform.sites[1].name");
    expect(lines).toEqual([
      `${file}: platform.sites[1].name: expected a name no other site has, got "east" (also sites[0])`,
      `${file}: platform.sites[1].clusters[1].name: expected a name no other cluster of the site has, got "a" (also clusters[0])`,
      `${file}: platform.backbone.links[1].to: expected a link name no other link has, got "east-r" (also links[0])`,
    ]);
  });

  it("reports a site the graph backbone does not join (was: a RangeError mid-run)", () => {
    const file = extending(
      folder(),
      [
        "platform:",
        "  type: inline",
        `  sites: [${site("east", ["a"])}, ${site("west", ["a"])}]`,
        "  backbone: { type: graph, links: [{ from: east, to: r, bandwidth: 1Gbps }] }",
        "workload: { boot: { imageStore: a-1.east } }",
      ].join("\n"),
    );
    const [line] = expectRejected(validate(file), file, "platform.sites[1].name");
    expect(line).toContain("expected a site the backbone links join to east, got west");
  });

  it("reports a backbone link named like an uplink", () => {
    const file = extending(
      folder(),
      [
        "platform:",
        "  type: inline",
        `  sites: [${site("east", ["a"])}, ${site("west", ["a"])}]`,
        "  backbone: { type: graph, links: [{ name: east-up, from: east, to: west, bandwidth: 1Gbps }] }",
        "workload: { boot: { imageStore: a-1.east } }",
      ].join("\n"),
    );
    const [line] = expectRejected(validate(file), file, "platform");
    expect(line).toContain("two links named east-up");
  });
});

describe("values with line breaks", () => {
  it("keep every problem on one line that starts with its file (a value quoted, a base path)", () => {
    const dir = folder();
    const unit = extending(dir, 'platform: { type: synthetic, speed: "a\\nb" }');
    const [line] = expectRejected(validate(unit), unit, "platform.speed");
    expect(line).toContain('got "a\\nb"');
    const base = write(dir, "base.yaml", 'extends: "a\\nb"\nname: x\n');
    const [baseLine] = expectRejected(validate(base), base, "extends");
    expect(baseLine).toContain("a\\nb: expected a readable file, got no such file");
  });
});

describe("field paths", () => {
  it("quotes keys that are not plain names (was: `sweep.variants.      nodeBudget`)", () => {
    const file = extending(folder(), "policies:\n  '  placement ': { name: first-fit }");
    const [line] = expectRejected(validate(file), file, "policies");
    expect(line).toContain('unknown field "  placement "');
    const sweep = extending(folder(), "sweep:\n  variants:\n    a: { '      nodeBudget': 3 }");
    const result = skysim(["sweep", sweep, "--out", join(folder(), "out")]);
    expectRejected(result, sweep, "[a] (root)");
  });
});

describe("user policy modules", () => {
  function withPolicies(policies: string): string {
    const dir = folder();
    return write(
      dir,
      "scenario.yaml",
      `extends: ${ROBUSTNESS}/scenario.yaml\npolicies: ${policies}\n`,
    );
  }

  it("reports a module that exports the wrong shape or throws a non-Error while loading, with its path (exit 2)", () => {
    const number = withPolicies(`{ consolidation: { module: ${ROBUSTNESS}/exports-number.mjs } }`);
    const [line] = expectRejected(
      validate(number, "--allow-outside"),
      number,
      "policies.consolidation.module",
    );
    expect(line).toContain(`expected ${ROBUSTNESS}/exports-number.mjs to export (as default)`);
    const throws = withPolicies(`{ consolidation: { module: ${ROBUSTNESS}/throws-on-load.mjs } }`);
    const [thrown] = expectRejected(
      validate(throws, "--allow-outside"),
      throws,
      "policies.consolidation.module",
    );
    expect(thrown).toContain(
      `expected ${ROBUSTNESS}/throws-on-load.mjs to load, but loading it threw a thrown object`,
    );
  });

  function run(policies: string): CliResult {
    return skysim([
      "run",
      withPolicies(policies),
      "--out",
      join(folder(), "out"),
      "--allow-outside",
    ]);
  }

  it("names the policy and its file when it throws a non-Error at run time (exit 1, no output)", () => {
    const result = run(`{ consolidation: { module: ${ROBUSTNESS}/throws-string.mjs } }`);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `skysim: consolidation policy "throws-string" (${ROBUSTNESS}/throws-string.mjs): decide() threw a thrown string no plan today\n`,
    );
  });

  it("refuses a decision naming a host that does not exist, and a placement that overfills a host", () => {
    const wrong = run(`{ consolidation: { module: ${ROBUSTNESS}/wrong-target.mjs } }`);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(
      /decide\(\) returned target\[0\] = 999, not a host of the configuration/,
    );
    // Four 4 GiB VMs fill host 0's 16 GiB; the fifth would not fit.
    const overfill = run(`{ placement: { module: ${ROBUSTNESS}/placement-overfills.mjs } }`);
    expect(overfill.status).toBe(1);
    expect(overfill.stderr).toMatch(
      /placement policy "overfills" .*: place\(\) returned host 0 for \d+ bytes of VMs, more than its 0 bytes of free RAM/,
    );
  });

  it("cannot end a run silently with exit 0 by calling process.exit", () => {
    const out = join(folder(), "out");
    const result = skysim([
      "run",
      withPolicies(`{ consolidation: { module: ${ROBUSTNESS}/exits.mjs } }`),
      "--out",
      out,
      "--allow-outside",
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cut short by a call of process.exit(0)");
    expect(existsSync(join(out, "summary.json"))).toBe(false);
  });
});

describe("a user policy module that never returns", () => {
  it("is stopped after --policy-timeout, with the policy named, exit 1 and no results", () => {
    const dir = folder();
    const file = write(
      dir,
      "loops.yaml",
      `extends: ${ROBUSTNESS}/scenario.yaml\npolicies: { consolidation: { module: ${ROBUSTNESS}/loops.mjs } }\nsweep: { seeds: 1 }\n`,
    );
    const expected = `skysim: consolidation policy "loops" (${ROBUSTNESS}/loops.mjs): decide() did not return within 1 s (--policy-timeout); the run is stopped\n`;
    const out = join(dir, "run");
    const run = skysim(["run", file, "--out", out, "--policy-timeout", "1", "--allow-outside"], {
      timeout: 30_000,
    });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(expected);
    expect(existsSync(join(out, "summary.json"))).toBe(false);
    const sweep = skysim(
      [
        "sweep",
        file,
        "--out",
        join(dir, "sweep"),
        "--jobs",
        "1",
        "--policy-timeout",
        "1",
        "--allow-outside",
      ],
      { timeout: 30_000 },
    );
    expect(sweep.status).toBe(1);
    expect(sweep.stderr).toBe(expected);
  });
});

describe("user policy modules in a sweep", () => {
  it("stop the sweep with the policy named, in worker threads or not", () => {
    for (const [module, expected] of [
      [
        "exits.mjs",
        // In this thread the exit guard speaks; in a worker thread, the pool.
        /cut short by a call of process\.exit\(0\)|exited with code 0 in the middle of the run/,
      ],
      ["throws-string.mjs", /decide\(\) threw a thrown string no plan today/],
    ] as const) {
      const dir = folder();
      const file = write(
        dir,
        "sweep.yaml",
        `extends: ${ROBUSTNESS}/scenario.yaml\npolicies: { consolidation: { module: ${ROBUSTNESS}/${module} } }\nsweep: { seeds: 2 }\n`,
      );
      for (const jobs of ["1", "2"]) {
        const result = skysim([
          "sweep",
          file,
          "--out",
          join(dir, `out-${jobs}`),
          "--jobs",
          jobs,
          "--allow-outside",
        ]);
        expect(result.status).toBe(1);
        expect(result.stderr).not.toContain("internal error");
        expect(result.stderr).toMatch(expected);
      }
    }
  });
});

describe("manager architectures and decision costs (issue 19)", () => {
  const consolidation = (body: string) =>
    `policies: { consolidation: { name: entropy, objective: repair, ${body} } }`;

  it("rejects a group of no host", () => {
    const file = extending(
      folder(),
      consolidation("manager: { type: hierarchical, groupSize: 0 }"),
    );
    const [line] = expectRejected(validate(file), file, "policies.consolidation.manager.groupSize");
    expect(line).toMatch(/>= ?1/);
  });

  it("rejects a partition policy it does not know", () => {
    const file = extending(
      folder(),
      consolidation("manager: { type: distributed, partition: tree }"),
    );
    const [line] = expectRejected(validate(file), file, "policies.consolidation.manager.partition");
    expect(line).toContain("ring");
  });

  it("rejects a manager type it does not know", () => {
    const file = extending(folder(), consolidation("manager: { type: anarchic }"));
    expectRejected(validate(file), file, "policies.consolidation.manager.type");
  });

  it("rejects a decision cost with a negative term", () => {
    const file = extending(
      folder(),
      consolidation("computeTime: { perDecision: 1s, perVmHost: -1us, perNode: 1us }"),
    );
    expectRejected(validate(file), file, "policies.consolidation.computeTime.perVmHost");
  });

  it("rejects group managers or partitions for a context switch (one queue for the sky)", () => {
    const file = extending(
      folder(),
      "policies: { consolidation: { name: entropy, objective: context-switch, manager: { type: distributed } } }",
    );
    const [line] = expectRejected(validate(file), file, "policies.consolidation.manager.type");
    expect(line).toContain("expected centralised for a context switch");
  });
});

describe("damaged result folders (merge, compare)", () => {
  // Results edited by hand, cut short or of another tool: one line naming the file, exit 2, and
  // never their content (was: internal errors: ENOENT, "is not valid JSON", "Quote Not Closed").
  it("refuses a run folder without a readable run.json or summary.json", () => {
    const dir = folder();
    const run = join(dir, "cell", "1");
    mkdirSync(run, { recursive: true });
    write(run, "summary.json", "{}");
    const expected = `skysim: ${run}: expected a sweep run's run.json and summary.json as skysim writes them\n`;
    expect(skysim(["merge", dir])).toMatchObject({ status: 2, stderr: expected });
    write(run, "run.json", "secret: not JSON");
    expect(skysim(["merge", dir])).toMatchObject({ status: 2, stderr: expected });
    write(
      run,
      "run.json",
      '{ "index": -1, "cell": "cell", "variant": "", "parameters": {}, "seed": 1 }',
    );
    expect(skysim(["merge", dir])).toMatchObject({ status: 2, stderr: expected });
  });

  it("says how to compare a sweep written in Parquet only (was: run skysim sweep, which it was)", () => {
    const dir = folder();
    write(dir, "aggregate.parquet", "");
    expect(skysim(["compare", dir])).toMatchObject({
      status: 2,
      stderr: `skysim: compare: ${dir} has its aggregate in Parquet only (output.format: parquet), and compare reads aggregate.csv: write it with skysim merge ${dir} --out ${dir} --format both\n`,
    });
  });

  it("refuses an aggregate.csv that is not one, at its line", () => {
    const dir = folder();
    const file = join(dir, "aggregate.csv");
    const compare = () => skysim(["compare", dir]);
    const header = "cell,variant,parameters,metric,runs,mean,ci95Low,ci95High";
    write(dir, "aggregate.csv", 'a,b\n1,"secret\n');
    expect(compare()).toMatchObject({
      status: 2,
      stderr: `skysim: ${file}: expected CSV as skysim writes it, got CSV_QUOTE_NOT_CLOSED at line 2\n`,
    });
    write(dir, "aggregate.csv", "a,b\n1,2\n");
    expect(compare()).toMatchObject({
      status: 2,
      stderr: `skysim: ${file}: expected the columns of a sweep's aggregate, got none named cell, variant, parameters, metric, runs, mean, ci95Low, ci95High\n`,
    });
    write(dir, "aggregate.csv", `${header}\nc,v,{},m,3,1,0,2\nc,v,secret,m,3,1,0,2\n`);
    expect(compare()).toMatchObject({
      status: 2,
      stderr: `skysim: ${file}: expected the parameters of line 3 as a JSON object\n`,
    });
    write(dir, "aggregate.csv", `${header}\nc,v,{},m,three,1,0,2\n`);
    expect(compare()).toMatchObject({
      status: 2,
      stderr: `skysim: ${file}: expected a number in column runs of line 2\n`,
    });
    // As skysim writes it: compared (a cell of one run has no interval).
    write(dir, "aggregate.csv", `${header}\nc,v,{},cloud.energyKWh,1,1.5,,\n`);
    expect(compare()).toMatchObject({ status: 0, stderr: "" });
  });
});
