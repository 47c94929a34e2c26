import type { Cloud } from "../compute/cloud.js";
import { BackboneTraffic } from "./backbone-traffic.js";
import type { CloudMetrics } from "./cloud-metrics.js";
import type { TableFile, TableSpec } from "./table-file.js";

export const TIMESERIES_COLUMNS = [
  "time",
  "site",
  "hosts",
  "upHosts",
  "hostsOn",
  "hostsBooting",
  "hostsSwitchingOff",
  "hostsOff",
  "activeHosts",
  "vms",
  "suspendedVms",
  "migrations",
  "backboneBytes",
  "cpuDemandCores",
  "cpuCores",
  "overloadedHosts",
  "watts",
];

export const TIMESERIES_TABLE: TableSpec = {
  name: "timeseries",
  columns: TIMESERIES_COLUMNS,
  text: ["site"],
};

/**
 * Samples the cloud every `step` seconds from 0 to `until` (both included), one row per site:
 * hosts, hosts up (not crashed), hosts on, booting, switching off and off, hosts holding a VM,
 * VMs running (vCPUs placed), VMs suspended (where their image lies), live migrations completed
 * since the previous sample (at their destination's site), bytes through the site's uplink since
 * the previous sample (both directions, see BackboneTraffic), cores demanded and cores of the
 * hosts on, overloaded hosts, watts drawn. Sampling reads the models and changes nothing.
 */
export function sampleTimeseries(
  cloud: Cloud,
  metrics: CloudMetrics,
  step: number,
  until: number,
  out: TableFile,
): void {
  const { platform } = cloud;
  const siteOf = (host: number): number => platform.hosts[host]?.site ?? 0;
  let migrations = new Array<number>(platform.sites.length).fill(0);
  cloud.migrationEnded.subscribe(({ state, destination }) => {
    if (state === "completed") {
      migrations[siteOf(destination)] = (migrations[siteOf(destination)] ?? 0) + 1;
    }
  });
  const backbone = new BackboneTraffic(cloud);
  const sample = (): void => {
    const backboneBytes = backbone.takeStep();
    const vmsPerSite = new Array<number>(platform.sites.length).fill(0);
    const suspendedPerSite = new Array<number>(platform.sites.length).fill(0);
    for (const vm of cloud.liveVms()) {
      if (vm.state === "suspended" && vm.host !== undefined) {
        suspendedPerSite[siteOf(vm.host)] = (suspendedPerSite[siteOf(vm.host)] ?? 0) + 1;
      }
      const host = vm.consumer?.host;
      if (host === undefined || vm.state === "suspended") continue;
      vmsPerSite[siteOf(host)] = (vmsPerSite[siteOf(host)] ?? 0) + 1;
    }
    for (const site of platform.sites) {
      let hosts = 0;
      let up = 0;
      const power = { on: 0, booting: 0, "switching-off": 0, off: 0, down: 0 };
      let active = 0;
      let demand = 0;
      let cores = 0;
      let overloaded = 0;
      let watts = 0;
      for (const cluster of site.clusters) {
        for (const id of cluster.hosts) {
          const host = platform.hosts[id];
          if (host === undefined) continue;
          const hostDemand = cloud.cpu.demand(id);
          hosts++;
          const state = cloud.power.stateOf(id);
          power[state]++;
          if (state !== "down") up++;
          if (cloud.isActive(id)) active++;
          demand += hostDemand;
          if (state === "on") cores += host.cores;
          if (hostDemand > host.cores) overloaded++;
          watts += metrics.hostWatts(id);
        }
      }
      out.write([
        cloud.sim.now,
        site.name,
        hosts,
        up,
        power.on,
        power.booting,
        power["switching-off"],
        power.off,
        active,
        vmsPerSite[site.id] ?? 0,
        suspendedPerSite[site.id] ?? 0,
        migrations[site.id] ?? 0,
        backboneBytes[site.id] ?? 0,
        demand,
        cores,
        overloaded,
        watts,
      ]);
    }
    migrations = migrations.map(() => 0);
  };
  for (let k = 0; k * step <= until; k++) cloud.sim.scheduleAt(k * step, sample);
}
