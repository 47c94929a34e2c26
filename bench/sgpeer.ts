/**
 * The SimGrid reference peer (../shared/peers/simgrid): finds or builds the `sgpeer` binary and
 * runs it. Building needs Debian's libsimgrid-dev 3.32 and g++ (apt-get install libsimgrid-dev).
 * Set SGPEER=/path/to/sgpeer to use a binary built elsewhere.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";

const SOURCE = resolve("../shared/peers/simgrid");

export function sgpeerBinary(): string {
  const given = process.env.SGPEER;
  if (given !== undefined && given !== "") return given;
  const folder = join(tmpdir(), "skysim-sgpeer");
  const binary = join(folder, "sgpeer");
  if (!existsSync(binary)) {
    if (!existsSync(join(SOURCE, "sgpeer.cpp"))) {
      throw new Error(`no SimGrid peer source in ${SOURCE}: run from the project root`);
    }
    mkdirSync(folder, { recursive: true });
    cpSync(SOURCE, folder, { recursive: true });
    // The build's messages go to stderr: callers may be printing JSON on stdout.
    execFileSync("sh", [join(folder, "build.sh")], { stdio: ["ignore", 2, 2] });
  }
  return binary;
}

export interface SgFlow {
  id: number;
  src: string;
  dst: string;
  size: number;
  start: number;
  end: number;
  route: string[];
  route_latency: number;
}

export interface SgTask {
  host: string;
  vm: string;
  vcpus: number;
  task: number;
  flops: number;
  end: number;
}

export interface SgMigration {
  vm: string;
  start: number;
  end: number;
  /** [start time, bytes] of each data message: stage 1, the stage-2 rounds, stage 3 */
  sends: [number, number][];
}

export interface SgOutput {
  scenario: string;
  params: Record<string, number | string>;
  flows?: SgFlow[];
  tasks?: SgTask[];
  migrations?: SgMigration[];
  wall_run_s: number;
  wall_s: number;
}

/** Runs `sgpeer <scenario> --key=value ...` and parses its JSON. */
export function runSgpeer(scenario: string, params: Record<string, number | string>): SgOutput {
  const args = [scenario, ...Object.entries(params).map(([key, value]) => `--${key}=${value}`)];
  const output = execFileSync(sgpeerBinary(), args, {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["ignore", "pipe", "ignore"],
  });
  return JSON.parse(output) as SgOutput;
}
