import type { VjobSpec } from "../../workload/vjob.js";
import { type Constraint, appliesTo } from "./placement-constraints.js";

/**
 * The vjobs, as they come, with their VMs' CPU reservations: the most cores a `preserve`
 * constraint on the vjob asks for (at most each VM's vCPUs: validation refuses more). Vjobs under
 * none are unchanged.
 */
export function* withReservations(
  vjobs: Iterable<VjobSpec>,
  constraints: readonly Constraint[],
): Generator<VjobSpec> {
  const preserves = constraints.filter((constraint) => constraint.type === "preserve");
  for (const vjob of vjobs) {
    const asked = preserves.filter((c) => appliesTo(c, vjob.name)).map((c) => c.cores);
    if (asked.length === 0) {
      yield vjob;
      continue;
    }
    const cores = Math.max(...asked);
    yield { ...vjob, vms: vjob.vms.map((vm) => ({ ...vm, reserved: Math.min(cores, vm.vcpus) })) };
  }
}
