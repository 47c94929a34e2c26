import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { writingTo } from "./file-errors.js";

/** The hidden file a final file is written to before it takes its name. */
export function temporaryOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial`);
}

/**
 * Writes a file so that readers only ever see the old content or the whole new one, even if the
 * process is killed or the machine stops: the content goes to a hidden temporary file in the same
 * folder, is flushed to the disk (fsync), then renamed over the target, and the folder's entry is
 * flushed in turn.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = writeTemporary(path, content);
  try {
    renameInto(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes `content` to the hidden temporary file of `path` and flushes it to the disk; returns the
 * temporary's path. Nothing is left of it if that fails (a full disk shows here).
 */
export function writeTemporary(path: string, content: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryOf(path);
  try {
    writingTo(path, () => {
      const fd = openSync(temporary, "w");
      try {
        writeFileSync(fd, content);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return temporary;
}

/** Renames a flushed temporary file over its target and flushes the folder's entry. */
export function renameInto(temporary: string, path: string): void {
  renameSync(temporary, path);
  const folder = openSync(dirname(path), "r");
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}
