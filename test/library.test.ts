import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../src/run/run-scenario.js";
import { SteppedRun } from "../src/run/stepped-run.js";
import { loadScenarioFile } from "../src/scenario/load.js";
import type { ConsolidationPolicy, Placement, PowerPolicy } from "../src/index.js";

const ROOT = resolve(".");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

/** The README's library example: the TypeScript block after its marker. */
function readmeExample(): string {
  const readme = readFileSync("README.md", "utf8");
  const after = readme.slice(readme.indexOf("<!-- library-example -->"));
  const match = /```ts\n([\s\S]*?)```/.exec(after);
  if (match?.[1] === undefined) throw new Error("README has no library example");
  return match[1];
}

/**
 * A fresh project with skysim installed from its packed tarball, as `npm install <tarball>` lays it
 * out (the tarball's files in node_modules/skysim), its runtime dependencies linked from this
 * checkout's node_modules: npm would fetch them from the registry, and the tests never touch the
 * network.
 */
function projectWithPackedSkysim(): string {
  const project = mkdtempSync(join(tmpdir(), "skysim-library-"));
  const packs = join(project, "packs");
  mkdirSync(packs);
  // The package is built (`npm test` builds first); no script runs at packing.
  execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", packs], {
    cwd: ROOT,
  });
  const [tarball] = readdirSync(packs);
  if (tarball === undefined) throw new Error("npm pack made no tarball");
  const installed = join(project, "node_modules/skysim");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(packs, tarball), "-C", installed, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  for (const dependency of [...Object.keys(manifest.dependencies), "@types"]) {
    symlinkSync(join(ROOT, "node_modules", dependency), join(project, "node_modules", dependency));
  }
  writeFileSync(join(project, "package.json"), '{ "private": true, "type": "module" }\n');
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2023",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        // skysim's own declarations are checked too.
        skipLibCheck: false,
        types: ["node"],
        outDir: "out",
      },
      files: ["main.ts"],
    }),
  );
  return project;
}

describe("skysim as a library", () => {
  it("installs from its tarball, and the README's example type-checks under strict and runs", () => {
    const project = projectWithPackedSkysim();
    writeFileSync(join(project, "main.ts"), readmeExample());
    // A type error fails here with tsc's messages.
    execFileSync(process.execPath, [TSC, "-p", "."], { cwd: project, encoding: "utf8" });
    const output = execFileSync(process.execPath, ["out/main.js"], {
      cwd: project,
      encoding: "utf8",
    });
    const lines = output.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\d+ events, violation \d+(\.\d+)? host-s$/);
    expect(lines[1]).toMatch(/^first decision at 60 s, \d+ pools$/);
    // From the first decision (60 s) in steps of 600 s to the hour, the last step cut at 3600.
    expect(lines.slice(2, -1).map((line) => line.split(" s:")[0])).toEqual([
      "660",
      "1260",
      "1860",
      "2460",
      "3060",
      "3600",
    ]);
    expect(lines.at(-1)).toBe("the same events: true");
  });

  it("refuses a type error in a policy module written against its types", () => {
    const project = projectWithPackedSkysim();
    writeFileSync(
      join(project, "main.ts"),
      [
        'import type { ConsolidationPolicy, PolicyDefinition } from "skysim";',
        "const definition: PolicyDefinition<ConsolidationPolicy> = {",
        '  kind: "consolidation",',
        '  name: "stay",',
        '  description: "VMs stay",',
        // The decision lacks computeTime: a type error.
        '  create: () => ({ name: "stay", decide: ({ configuration }) => ({ target: configuration.vms.map((vm) => vm.host) }) }),',
        "};",
        "export default definition;",
        "",
      ].join("\n"),
    );
    let message = "";
    try {
      execFileSync(process.execPath, [TSC, "-p", "."], { cwd: project, encoding: "utf8" });
    } catch (error) {
      message = String((error as { stdout?: unknown }).stdout);
    }
    expect(message).toMatch(/computeTime/);
  });
});

describe("the API reference", () => {
  it("is generated by the build (typedoc, every referenced type exported) into docs/api", () => {
    // `npm test` builds first; typedoc fails the build on a warning (typedoc.json).
    const stepped = readFileSync("docs/api/classes/SteppedRun.html", "utf8");
    for (const method of ["advanceTo", "advanceBy", "nextDecision", "cloudSummary", "finish"]) {
      expect(stepped).toContain(method);
    }
    const index = readFileSync("docs/api/index.html", "utf8");
    for (const name of ["runScenario", "loadScenarioFile", "ConsolidationPolicy", "Summary"]) {
      expect(index).toContain(name);
    }
  });
});

describe("the step API", () => {
  const scenario = { ...loadScenarioFile("scenarios/quickstart.yaml"), duration: 7200 };
  const baseDir = "scenarios";

  it("gives the one-shot run's summary whatever the steps", () => {
    const once = runScenario(scenario, { baseDir, version: "test" }).summary;
    const run = SteppedRun.start(scenario, { baseDir, version: "test" });
    // Odd slices, then decision by decision for a while, then the rest.
    for (const time of [1, 59.5, 60, 61, 999]) run.advanceTo(time);
    for (let i = 0; i < 5; i++) run.nextDecision();
    expect(run.finish()).toEqual(once);
  });

  it("stops at each decision of the consolidation, every period, with the cloud readable", () => {
    // quickstart's Entropy decides every 60 s from t = 60 s; nothing is computed for long.
    const run = SteppedRun.start(scenario, { baseDir });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const decision = run.nextDecision();
      times.push(decision?.time ?? Number.NaN);
      expect(run.now).toBe(decision?.time);
      // The cloud between steps: hosts up, VMs placed, metrics so far.
      expect(run.cloud.platform.hosts.length).toBeGreaterThan(0);
      expect(run.cloudSummary().activeHostHours).toBeGreaterThan(0);
    }
    expect(times).toEqual([60, 120, 180]);
    run.advanceTo(1e9);
    expect(run.now).toBe(7200);
    expect(run.done).toBe(true);
    expect(run.nextDecision()).toBeUndefined();
  });
});

describe("acting through a policy object", () => {
  it("moves the VM the caller asked for at the next decision", () => {
    // consolidation-vmplaces at CI size (16 hosts, decisions every 30 s), its Entropy replaced by
    // an agent that keeps every VM where it is unless the caller asked for a move.
    const scenario = loadScenarioFile("scenarios/consolidation-vmplaces.ci.yaml");
    const asked = new Map<number, number>();
    const agent: ConsolidationPolicy = {
      name: "agent",
      decide: ({ configuration }) => ({
        target: configuration.vms.map((vm) => asked.get(vm.vm ?? -1) ?? vm.host),
        computeTime: 0,
      }),
    };
    const run = SteppedRun.start(scenario, { baseDir: "scenarios", consolidation: agent });
    expect(run.nextDecision()?.plan.pools).toEqual([]);
    expect(run.now).toBe(30);
    const [first] = [...run.cloud.liveVms()];
    if (first === undefined || first.host === undefined) throw new Error("no VM placed");
    const to = first.host === 15 ? 14 : 15;
    asked.set(first.id, to);
    const decision = run.nextDecision();
    expect(decision?.time).toBe(60);
    expect(decision?.plan.migrations).toBe(1);
    run.advanceBy(30);
    expect([...run.cloud.liveVms()].find((vm) => vm.id === first.id)?.host).toBe(to);
    expect(run.cloudSummary().migrations.completed).toBe(1);
  });

  it("places vjobs and switches hosts off through placement and power objects", () => {
    // sky-vjobs (first-fit, always on) for 2 hours, with the caller's placement (each VM on the
    // highest-numbered host up with room: the reverse of first-fit) and power policy (a host
    // empty for 10 minutes goes off).
    const scenario = { ...loadScenarioFile("scenarios/sky-vjobs.yaml"), duration: 7200 };
    const placed: number[] = [];
    const lastFit: Placement = {
      name: "last-fit",
      place: (view, vms) => {
        const taken = new Map<number, { memory: number; vcpus: number }>();
        const hosts: number[] = [];
        for (const vm of vms) {
          const host = [...view.platform.hosts].reverse().find((h) => {
            const used = taken.get(h.id) ?? { memory: 0, vcpus: 0 };
            return (
              view.isHostUp(h.id) &&
              view.freeMemory(h.id) - used.memory >= vm.memory &&
              view.vcpusOn(h.id) + used.vcpus + vm.vcpus <= h.cores
            );
          });
          if (host === undefined) return undefined;
          const used = taken.get(host.id) ?? { memory: 0, vcpus: 0 };
          taken.set(host.id, { memory: used.memory + vm.memory, vcpus: used.vcpus + vm.vcpus });
          hosts.push(host.id);
        }
        placed.push(...hosts);
        return hosts;
      },
    };
    const offWhenIdle: PowerPolicy = {
      name: "off-when-idle",
      idleFor: 600,
      switchOff: () => true,
      wakeOnDemand: true,
    };
    const run = SteppedRun.start(scenario, {
      baseDir: "scenarios",
      placement: lastFit,
      power: offWhenIdle,
    });
    run.advanceTo(7200);
    // The first VM went to the last host that can hold it (lyon's 2 GiB hosts cannot), where
    // first-fit puts it on the first.
    const big = run.cloud.platform.hosts.filter((host) => host.memory >= 4 * 2 ** 30);
    expect(placed[0]).toBe(big.at(-1)?.id);
    expect(placed[0]).toBeGreaterThan(big[0]?.id ?? Infinity);
    for (const vm of run.cloud.liveVms()) expect(placed).toContain(vm.host);
    // Hosts never used went off; the scenario says always-on.
    expect(run.cloudSummary().power.hostHoursOff).toBeGreaterThan(0);
    expect(scenario.policies.power.name).toBe("always-on");
  });
});
