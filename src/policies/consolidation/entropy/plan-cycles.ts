/** A migration still to do, as an edge of the host graph: its VM leaves `from` for `to`. */
export interface PendingMove {
  readonly from: number;
  readonly to: number;
}

/**
 * The closed cycles of the graph whose nodes are hosts and whose edges are the pending
 * migrations: its strongly connected components of two hosts or more that no edge leaves (sinks
 * of the condensation). Returns the component of each host in one, numbered arbitrarily: use the
 * numbers only to tell components apart. Tarjan's algorithm, iterative (no recursion depth limit).
 *
 * Why sinks: every migration out of a host of a closed cycle goes to a host of the same cycle, so
 * the room on its hosts can only grow by one of its own migrations. If none of them fits now and
 * none of its hosts loses a VM in the current pool, none ever will: the cycle must be broken.
 */
export function closedCycles(
  hosts: readonly number[],
  moves: readonly PendingMove[],
): Map<number, number> {
  const successors = new Map<number, number[]>(hosts.map((host) => [host, []]));
  for (const move of moves) successors.get(move.from)?.push(move.to);
  const order = new Map<number, number>();
  const lowLink = new Map<number, number>();
  const stack: number[] = [];
  const onStack = new Set<number>();
  const component = new Map<number, number>();
  const componentSize: number[] = [];
  const low = (host: number): number => lowLink.get(host) ?? 0;
  const visit = (host: number): void => {
    order.set(host, order.size);
    lowLink.set(host, order.size - 1);
    stack.push(host);
    onStack.add(host);
  };
  for (const root of hosts) {
    if (order.has(root)) continue;
    visit(root);
    const frames = [{ host: root, next: 0 }];
    for (let frame = frames.at(-1); frame !== undefined; frame = frames.at(-1)) {
      const next = successors.get(frame.host)?.[frame.next];
      if (next !== undefined) {
        frame.next++;
        if (!order.has(next)) {
          visit(next);
          frames.push({ host: next, next: 0 });
        } else if (onStack.has(next)) {
          lowLink.set(frame.host, Math.min(low(frame.host), order.get(next) ?? 0));
        }
        continue;
      }
      frames.pop();
      const parent = frames.at(-1);
      if (parent !== undefined)
        lowLink.set(parent.host, Math.min(low(parent.host), low(frame.host)));
      if (low(frame.host) !== order.get(frame.host)) continue;
      const id = componentSize.length;
      let size = 0;
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.set(member, id);
        size++;
        if (member === frame.host) break;
      }
      componentSize.push(size);
    }
  }
  const open = new Set<number>();
  for (const move of moves) {
    const from = component.get(move.from);
    if (from !== undefined && from !== component.get(move.to)) open.add(from);
  }
  const closed = new Map<number, number>();
  for (const [host, id] of component) {
    if (!open.has(id) && (componentSize[id] ?? 0) >= 2) closed.set(host, id);
  }
  return closed;
}
