import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, skysim } from "./run-cli.js";

/**
 * Problems of the machine a command runs on, not of its input nor of skysim: a folder that cannot
 * be made or written, a full disk. Each is exit 2 with the path and the reason (the README keeps
 * exit 1 "internal error" for skysim's bugs), and a failed run leaves no folder it made.
 */

const QUICKSTART = resolve("scenarios/quickstart.yaml");
const SWEEP = resolve("test/fixtures/sweep/slower-sweep.yaml");

function folder(): string {
  return mkdtempSync(join(tmpdir(), "skysim-machine-"));
}

/**
 * `skysim args` with its output on a file system of `size` bytes mounted at `mount`, in a mount
 * namespace of its own (`unshare`: root is not needed, and the file system goes with the process).
 * Gives the exit status, stderr, and what the file system held when skysim had exited.
 */
function onSmallDisk(
  size: string,
  args: (mount: string) => readonly string[],
): { status: number; stderr: string; left: string[] } {
  const mount = folder();
  const script = [
    'dir="$1"; shift',
    `mount -t tmpfs -o size=${size} skysim-small "$dir" || exit 99`,
    '"$@" >/dev/null',
    'echo "status $?"',
    'cd "$dir" && find . -mindepth 1 | sort',
  ].join("\n");
  const result = spawnSync(
    "unshare",
    ["-rm", "sh", "-c", script, "sh", mount, process.execPath, resolve(CLI), ...args(mount)],
    { encoding: "utf8", timeout: 120_000 },
  );
  expect(result.status, result.stderr).toBe(0);
  const [status, ...left] = result.stdout.trimEnd().split("\n");
  return { status: Number(status?.replace("status ", "")), stderr: result.stderr, left };
}

/** Whether this machine lets a process mount a file system in a namespace of its own. */
const namespaces = spawnSync("unshare", ["-rm", "true"]).status === 0;

describe("machine problems", () => {
  it("reports an output folder under a regular file as such, exit 2 (was: internal error, exit 1)", () => {
    // --out under a regular file: no folder can be made there; nothing is left behind.
    const dir = folder();
    const blocker = join(dir, "blocker");
    writeFileSync(blocker, "a file, not a folder");
    const out = join(blocker, "run");
    const result = skysim(["run", QUICKSTART, "--out", out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `skysim: cannot mkdir ${out}: a part of the path is not a folder (ENOTDIR)\n`,
    );
    expect(readdirSync(dir)).toEqual(["blocker"]);
  });

  it("reports a folder it may not write as such, exit 2 (was: internal error, exit 1)", () => {
    // A read-only folder refuses no one as root (CI's user): the run is then made as nobody.
    const dir = folder();
    chmodSync(dir, 0o755);
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly, { mode: 0o555 });
    const root = process.getuid?.() === 0;
    const out = join(readOnly, "out");
    const result = skysim(["run", QUICKSTART, "--out", out], {
      ...(root ? { user: { uid: 65534, gid: 65534 } } : {}),
    });
    expect(result.stderr).toBe(`skysim: cannot mkdir ${out}: permission denied (EACCES)\n`);
    expect(result.status).toBe(2);
    expect(readdirSync(readOnly)).toEqual([]);
  });

  it("makes no output folder for a rejected scenario", () => {
    const dir = folder();
    const file = join(dir, "scenario.yaml");
    writeFileSync(
      file,
      `extends: ${QUICKSTART}\nplatform: { type: synthetic, hostsPerSite: 1e15 }\n`,
    );
    const out = join(dir, "out");
    expect(skysim(["run", file, "--out", out]).status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  describe.runIf(namespaces || process.env.CI === "true")("a full disk", () => {
    // quickstart writes 224 KB of tables (jobs 23 KB, timeseries 67 KB, timeline 131 KB), then
    // 3.8 MB of charts and report. 64 KiB fill up while the tables are written; 400 KiB once
    // they have their names, while the charts are written. Either way: exit 2 naming the file,
    // and the run's folder, made by it, is gone (was: internal error, exit 1, and a folder with
    // jobs.csv in it).
    for (const size of ["64k", "400k"]) {
      it(`is reported with the file it filled, and the run leaves nothing (${size})`, () => {
        const { status, stderr, left } = onSmallDisk(size, (mount) => [
          "run",
          QUICKSTART,
          "--out",
          join(mount, "results", "out"),
        ]);
        expect(stderr).toMatch(
          /^skysim: cannot write \S+\/results\/out\/\S+: no space left on the device \(ENOSPC\)\n$/,
        );
        expect(status).toBe(2);
        expect(left).toEqual([]);
      });
    }

    it("failing the tables, not the charts, at 64 KiB; the charts at 400 KiB", () => {
      // The two sizes above do reach the two phases of a run's writing.
      const file = (size: string) =>
        onSmallDisk(size, (mount) => ["run", QUICKSTART, "--out", join(mount, "out")]).stderr;
      expect(file("64k")).toMatch(/\/out\/\w+\.csv:/);
      expect(file("400k")).toMatch(/\/out\/charts\//);
    });

    it("in a sweep's worker thread is reported with the file too (was: internal error)", () => {
      // 12 runs of about 160 KB each on two threads: the disk fills up in a worker thread. Runs
      // already done stay for a resumed sweep.
      const { status, stderr } = onSmallDisk("400k", (mount) => [
        "sweep",
        SWEEP,
        "--out",
        join(mount, "sweep"),
        "--jobs",
        "2",
      ]);
      expect(stderr).toMatch(
        /^skysim: cannot write \S+\/sweep\/\S+: no space left on the device \(ENOSPC\)\n$/,
      );
      expect(status).toBe(2);
    });
  });
});
