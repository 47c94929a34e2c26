import { type Stats, closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { ScenarioError } from "./problems.js";

/**
 * The largest scenario file read. Hand-written scenarios are a few kilobytes (the biggest shipped
 * one is 2.5 kB); inline platforms describe clusters, not hosts, so they stay small too. The limit
 * keeps a stray multi-megabyte file (or /dev/zero) from stalling the parser.
 */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/**
 * Reads a scenario file as UTF-8 text. Refuses, as a scenario problem, anything that is not a
 * regular file (a folder, a FIFO, a device such as /dev/zero or /dev/stdin), a file over
 * MAX_SCENARIO_BYTES, and bytes that are not UTF-8 (with the line and column of the first).
 */
export function readScenarioText(file: string): string {
  const bytes = readRegularFile(file);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new ScenarioError(file, [
      {
        path: `line ${at.line}, column ${at.column}`,
        message: "expected UTF-8 text, got a byte sequence that is not UTF-8",
      },
    ]);
  }
}

function readRegularFile(file: string): Uint8Array {
  const problem = (message: string) => new ScenarioError(file, [{ path: "(file)", message }]);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait; fstat then tells what it is.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw problem(`expected a readable file, got ${errnoReason(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw problem(`expected a regular file, got ${kindOf(stat)}`);
    if (stat.size > MAX_SCENARIO_BYTES) {
      throw problem(
        `expected a scenario file of at most ${MAX_SCENARIO_BYTES} bytes, got ${stat.size} bytes`,
      );
    }
    // One byte more than the limit: a file that grew since fstat is still caught.
    const buffer = new Uint8Array(MAX_SCENARIO_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_SCENARIO_BYTES) {
        throw problem(`expected a scenario file of at most ${MAX_SCENARIO_BYTES} bytes`);
      }
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw problem(`expected a readable file, got ${errnoReason(error)}`);
  } finally {
    closeSync(fd);
  }
}

function errnoReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "a folder";
    case "ENAMETOOLONG":
      return "a path too long";
    case "ENOTDIR":
      return "a path through something that is not a folder";
    case "ELOOP":
      return "a loop of symbolic links";
    default:
      return "an unreadable file";
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "something that is not a file";
}

/** Line and column (1-based, in characters of the valid prefix) of the first non-UTF-8 byte. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
  let low = 0;
  let high = bytes.length;
  const valid = (end: number): boolean => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  // Streaming decode accepts a prefix that ends inside a character, so the longest valid prefix
  // is found by bisection: valid(low) holds, valid(high) fails.
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (valid(middle)) low = middle;
    else high = middle;
  }
  // Streaming leaves out a character the prefix ends inside: the bad sequence starts there.
  const prefix = new TextDecoder("utf-8").decode(bytes.subarray(0, low), { stream: true });
  const lines = prefix.split("\n");
  return { line: lines.length, column: (lines[lines.length - 1] ?? "").length + 1 };
}
