import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

// The compiled CLI, as users run it (`npm test` builds it first).
export const CLI = "dist/src/cli/main.js";

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** With `measure`: the command's peak resident set size, kB (none if it was killed). */
  readonly peakRssKb?: number;
}

/** Reports a command's peak memory on file descriptor 3 (`measure`). */
const PEAK_RSS = pathToFileURL("test/fuzz/peak-rss.mjs").href;

/** Runs `skysim ARGS...` in a child process; `timeout` (ms) kills it, as a hang would be. */
export function skysim(
  args: readonly string[],
  options: {
    timeout?: number;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    input?: string;
    /** Another user to run as (the tests run as root in CI, whom no folder refuses). */
    user?: { uid: number; gid: number };
    /** Measure the command's peak memory (`peakRssKb`). */
    measure?: boolean;
  } = {},
): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const measure = options.measure === true ? ["--import", PEAK_RSS] : [];
  const result = spawnSync(process.execPath, [...measure, `${process.cwd()}/${CLI}`, ...args], {
    encoding: "utf8",
    timeout: options.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.input === undefined ? {} : { input: options.input }),
    ...options.user,
    ...(options.measure === true ? { stdio: ["pipe", "pipe", "pipe", "pipe"] } : {}),
  });
  const peak = result.output[3];
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
    ...(typeof peak === "string" && peak !== "" ? { peakRssKb: Number(peak) } : {}),
  };
}
