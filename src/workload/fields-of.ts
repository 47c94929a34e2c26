/**
 * What a line of a trace held, told without its content: a path may name a file that is not a
 * trace (a scenario must not make skysim print any file of the machine).
 */
export function fieldsOf(fields: readonly number[]): string {
  const numbers = fields.every((field) => !Number.isNaN(field));
  return `${fields.length} field${fields.length === 1 ? "" : "s"}${numbers ? "" : ", not all numbers"}`;
}
