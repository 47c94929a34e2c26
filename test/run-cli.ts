import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

// The compiled CLI, as users run it (`npm test` builds it first).
export const CLI = "dist/src/cli/main.js";

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

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
  } = {},
): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const result = spawnSync(process.execPath, [`${process.cwd()}/${CLI}`, ...args], {
    encoding: "utf8",
    timeout: options.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.input === undefined ? {} : { input: options.input }),
    ...options.user,
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}
