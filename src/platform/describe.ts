import { formatBandwidth, formatDuration, formatSize, formatSpeed } from "../sim/units.js";
import type { Platform } from "./platform.js";

/** Rows of a text table, columns padded to their widest cell. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

/**
 * What a platform holds, as text: totals, one row per cluster (hosts, cores, per-core speed,
 * memory, disk and NIC of its hosts, which are alike within a cluster), then the site uplinks and
 * the backbone links.
 */
export function describePlatform(platform: Platform): string[] {
  const cores = platform.hosts.reduce((n, h) => n + h.cores, 0);
  const memory = platform.hosts.reduce((n, h) => n + h.memory, 0);
  const clusterCount = platform.sites.reduce((n, s) => n + s.clusters.length, 0);
  const lines = [
    `${platform.name}: ${platform.sites.length} sites, ${clusterCount} clusters, ${platform.hosts.length} hosts, ${cores} cores, ${formatSize(memory, 4)} memory, ${platform.links.length} links`,
    "",
  ];
  const rows: string[][] = [
    ["site", "cluster", "hosts", "cores", "speed/core", "memory", "disk", "nic", "nic latency"],
  ];
  for (const site of platform.sites) {
    for (const cluster of site.clusters) {
      const host = platform.hosts[cluster.hosts[0] ?? -1];
      if (host === undefined) continue;
      const nic = platform.links[host.link];
      rows.push([
        site.name,
        cluster.name,
        String(cluster.hosts.length),
        String(host.cores),
        formatSpeed(host.speed, 4),
        formatSize(host.memory, 4),
        formatBandwidth(host.diskBandwidth, 4),
        nic === undefined ? "" : formatBandwidth(nic.bandwidth, 4),
        nic === undefined ? "" : formatDuration(nic.latency, 4),
      ]);
    }
  }
  lines.push(...table(rows), "");
  const hostLinks = new Set(platform.hosts.map((h) => h.link));
  const linkRows: string[][] = [["link", "bandwidth", "latency"]];
  platform.links.forEach((link, i) => {
    if (!hostLinks.has(i)) {
      linkRows.push([
        link.name,
        formatBandwidth(link.bandwidth, 4),
        formatDuration(link.latency, 4),
      ]);
    }
  });
  lines.push(...table(linkRows));
  return lines;
}
