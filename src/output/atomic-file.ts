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
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temporary = temporaryOf(path);
  try {
    const fd = openSync(temporary, "w");
    try {
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameInto(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
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
