/**
 * A results file (a sweep's aggregate.csv, a run's run.json or summary.json) that is not as skysim
 * writes it: damaged, edited, or of another tool. Reported in one line naming the file, exit 2,
 * without its content.
 */
export class ResultFileError extends Error {
  override name = "ResultFileError";

  constructor(file: string, expected: string) {
    super(`${file}: expected ${expected}`);
  }
}
