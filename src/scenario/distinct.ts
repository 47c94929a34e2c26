import type * as z from "zod";

/**
 * A check for lists whose items must differ (sites to keep, job names, seeds): each repeat is a
 * problem at its own index, naming the first occurrence. `field` is the key of an item's name when
 * items are objects ("name"), or undefined for a list of plain values.
 */
export function distinctItems<T>(what: string, keyOf: (item: T) => string, field?: string) {
  return (items: readonly T[], ctx: z.core.$RefinementCtx<readonly T[]>): void => {
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      const key = keyOf(item);
      const seen = first.get(key);
      if (seen === undefined) {
        first.set(key, i);
        return;
      }
      ctx.addIssue({
        code: "custom",
        path: field === undefined ? [i] : [i, field],
        message: `expected ${what} not listed before, got ${JSON.stringify(key)} again (also [${seen}])`,
        input: item,
      });
    });
  };
}
