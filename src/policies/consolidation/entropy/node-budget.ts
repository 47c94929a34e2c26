/**
 * The search budget, counted in nodes so that a decision is reproducible: the same configuration
 * and budget explore the same nodes on any machine, however fast. A node is one unit of search
 * work whose cost is bounded and small: one item type examined while completing a bin, one host
 * examined for a VM, one completion or move evaluated.
 */
export class NodeBudget {
  private spent = 0;

  /** @param limit nodes this budget may spend (a non-negative integer); may be raised later. */
  constructor(public limit: number) {}

  /** Nodes spent so far (at most `limit`). */
  get nodes(): number {
    return this.spent;
  }

  get exhausted(): boolean {
    return this.spent >= this.limit;
  }

  /** Spends `count` nodes; false, spending what is left, when the budget cannot cover them. */
  spend(count = 1): boolean {
    if (this.spent + count > this.limit) {
      this.spent = this.limit;
      return false;
    }
    this.spent += count;
    return true;
  }
}
