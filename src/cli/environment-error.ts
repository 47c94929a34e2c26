/**
 * File system errors that come from the machine a command runs on, not from skysim: a folder it
 * may not write, a full disk, a path through a regular file or too long. Reported as the user's
 * to mend (exit 2), with the path, rather than as an internal error.
 */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder",
  ENAMETOOLONG: "name too long",
  EEXIST: "something of that name is in the way",
  EMFILE: "too many open files",
  ENFILE: "too many open files on the system",
};

/** `cannot <syscall> <path>: <reason> (<code>)` for an environment error; undefined otherwise. */
export function environmentProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  const reason = code === undefined ? undefined : REASONS[code];
  if (reason === undefined || path === undefined) return undefined;
  return `cannot ${syscall ?? "write"} ${path}: ${reason} (${code ?? ""})`;
}
