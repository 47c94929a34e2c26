/**
 * Runs a write of the file `path`. An error of the file system that names no file, as a write or
 * an fsync on a descriptor gives (a full disk: ENOSPC), is given `path`: the command then reports
 * it as the machine's problem with that file (exit 2) rather than as an internal error.
 */
export function writingTo<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    if (error instanceof Error && errno.code !== undefined && errno.path === undefined) {
      errno.path = path;
    }
    throw error;
  }
}
