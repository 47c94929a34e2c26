import type { SharingProblem } from "./sharing-problem.js";

/**
 * The slow, obviously correct solver, kept to check the fast one: progressive filling written
 * straight from its definition. Raise one level t for every unfrozen flow (rate = weight x t);
 * at each step find the smallest t at which a link saturates (remaining capacity / sum of the
 * unfrozen weights on it) or a flow reaches its bound (bound / weight); freeze those flows there;
 * repeat. O(links x flows) per step. Ties go to the lowest link index, then to bounds.
 */
export function solveMaxMinReference(problem: SharingProblem): Float64Array {
  const { capacity, flows } = problem;
  const rates = new Float64Array(flows.length);
  const frozen = new Array<boolean>(flows.length).fill(false);
  const remaining = Array.from(capacity);
  let unfrozen = flows.length;
  while (unfrozen > 0) {
    let bestLevel = Infinity;
    let bestLink = -1;
    for (let link = 0; link < remaining.length; link++) {
      let weights = 0;
      flows.forEach((flow, f) => {
        if (!frozen[f] && Array.from(flow.route).includes(link)) weights += flow.weight;
      });
      if (weights === 0) continue;
      const level = Math.max(0, remaining[link] as number) / weights;
      if (level < bestLevel) {
        bestLevel = level;
        bestLink = link;
      }
    }
    let bestFlow = -1;
    flows.forEach((flow, f) => {
      if (frozen[f]) return;
      const level = flow.bound / flow.weight;
      if (level < bestLevel || (bestLink < 0 && bestFlow < 0)) {
        bestLevel = level;
        bestFlow = f;
        bestLink = -1;
      }
    });
    const freezing =
      bestFlow >= 0
        ? [bestFlow]
        : flows.flatMap((flow, f) =>
            !frozen[f] && Array.from(flow.route).includes(bestLink) ? [f] : [],
          );
    for (const f of freezing) {
      const flow = flows[f];
      if (flow === undefined) continue;
      const rate = flow.weight * bestLevel;
      rates[f] = rate;
      frozen[f] = true;
      unfrozen--;
      for (const link of Array.from(flow.route)) remaining[link] = (remaining[link] ?? 0) - rate;
    }
  }
  return rates;
}
