// A user consolidation policy: every period, empty the least loaded active host if the other
// active hosts can take all its VMs within their cores (host.cpu: the cores a decision may fill,
// `headroom` of them, a setting of every consolidation).
export default {
  kind: "consolidation",
  name: "drain-lightest",
  description: "empty the least loaded active host when the others have room",
  create: () => ({
    name: "drain-lightest",
    decide({ configuration: { hosts, vms } }) {
      const target = vms.map((vm) => vm.host);
      const used = new Map(hosts.map((host) => [host.id, { cpu: 0, memory: 0 }]));
      for (const vm of vms) {
        used.get(vm.host).cpu += vm.cpu;
        used.get(vm.host).memory += vm.memory;
      }
      const active = hosts
        .filter((host) => used.get(host.id).memory > 0)
        .sort((a, b) => used.get(a.id).cpu - used.get(b.id).cpu || a.id - b.id);
      const [lightest, ...others] = active;
      for (const vm of vms.filter((vm) => vm.host === lightest?.id)) {
        const to = others.find(
          (host) =>
            used.get(host.id).cpu + vm.cpu <= host.cpu &&
            used.get(host.id).memory + vm.memory <= host.memory,
        );
        // All or nothing: a half-drained host saves no energy.
        if (to === undefined || vm.pinned)
          return { target: vms.map((vm) => vm.host), computeTime: 0 };
        target[vm.id] = to.id;
        used.get(to.id).cpu += vm.cpu;
        used.get(to.id).memory += vm.memory;
      }
      return { target, computeTime: 0 };
    },
  }),
};
