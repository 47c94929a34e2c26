import {
  type Chart,
  type EmptyChart,
  type TimelineRow,
  VEGA_LITE_SCHEMA,
  zoomTime,
} from "./chart-specs.js";

/** Vjobs drawn at most; a larger run's timeline shows those that started first. */
export const TIMELINE_MAX_VJOBS = 300;

const ACTIVITIES = ["queued", "booting", "restoring", "running"];
const OVERLAYS = ["snapshot", "snapshot failed"];
const MARKERS = ["failed", "restored", "restarted", "moved", "migration"];

/** One colour per thing drawn, shared by the bars, the overlays and the markers. */
const COLORS = {
  domain: [...ACTIVITIES, ...OVERLAYS, ...MARKERS],
  range: [
    "#c7c7c7",
    "#9ecae1",
    "#fdae6b",
    "#3182bd",
    "#31a354",
    "#e377c2",
    "#d62728",
    "#ff7f0e",
    "#7f7f7f",
    "#9467bd",
    "#000000",
  ],
};

/**
 * The timeline (Gantt chart) of a vjobs run: a panel per site, a row per vjob (in the order they
 * first started), its segments coloured by what it does (queued, booting, restoring, running), its
 * snapshots as thin bars over them, and markers where it failed, was restored or restarted, moved
 * to another site, or had a VM migrated; a site's outages shaded across its panel. Tooltips name
 * the vjob and the times; drag to zoom on time.
 */
export function timelineChart(rows: readonly TimelineRow[]): Chart | EmptyChart {
  const name = "timeline";
  const firstStart = new Map<string, number>();
  for (const row of rows) {
    if (!ACTIVITIES.includes(row.what) || row.what === "queued") continue;
    if (!firstStart.has(row.subject)) firstStart.set(row.subject, row.start);
  }
  const order = [...firstStart.entries()]
    .sort(([a, t], [b, u]) => t - u || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, TIMELINE_MAX_VJOBS);
  const rank = new Map(order.map(([vjob], i) => [vjob, i]));
  const shown =
    firstStart.size > order.length
      ? ` (the first ${order.length} of ${firstStart.size} to start)`
      : "";
  const title = `Timeline of the vjobs per site${shown}`;
  if (order.length === 0) return { name, title, empty: "No vjob started in this run." };
  const kindOf = (what: string): string | undefined =>
    ACTIVITIES.includes(what)
      ? "state"
      : OVERLAYS.includes(what)
        ? "overlay"
        : MARKERS.includes(what)
          ? "marker"
          : what === "site down"
            ? "outage"
            : undefined;
  const values = rows.flatMap((row) => {
    const kind = kindOf(row.what);
    const index = rank.get(row.subject);
    if (kind === undefined || (kind !== "outage" && index === undefined) || row.site === "") {
      return [];
    }
    const value = {
      site: row.site,
      vjob: row.subject,
      order: index ?? 0,
      what: row.what,
      from: row.start / 3600,
      to: row.end / 3600,
    };
    return [{ kind, value }];
  });
  const span = rows.reduce((end, row) => Math.max(end, row.end), 0) / 3600;
  const x = {
    field: "from",
    type: "quantitative" as const,
    title: "time (h)",
    scale: { domain: [0, span] },
  };
  const y = {
    field: "vjob",
    type: "nominal",
    sort: { field: "order", op: "min" },
    axis: { labels: false, ticks: false, title: "vjobs" },
  } as const;
  const color = { field: "what", type: "nominal", title: null, scale: COLORS } as const;
  const vjob = { field: "vjob", type: "nominal" as const };
  const what = { field: "what", type: "nominal" as const };
  const from = { field: "from", type: "quantitative" as const, title: "from (h)", format: ".3f" };
  const to = { field: "to", type: "quantitative" as const, title: "to (h)", format: ".3f" };
  const tooltip = [vjob, what, from, to];
  const sites = [...new Set(values.map((v) => v.value.site))].sort();
  const of = (site: string, kind: string) =>
    values.filter((v) => v.value.site === site && v.kind === kind).map((v) => v.value);
  /** A site's panel: its outages under its vjobs' bars, snapshots and markers. */
  const panel = (site: string) => ({
    title: site,
    width: 720,
    height: { step: 5 },
    layer: [
      {
        data: { values: of(site, "state") },
        params: [zoomTime()],
        mark: { type: "bar" as const },
        encoding: { x, x2: { field: "to" }, y, color, tooltip },
      },
      {
        data: { values: of(site, "outage") },
        mark: { type: "rect" as const, color: "#d62728", opacity: 0.12 },
        encoding: {
          x,
          x2: { field: "to" },
          tooltip: [{ field: "site", type: "nominal" as const, title: "site down" }, from, to],
        },
      },
      {
        data: { values: of(site, "overlay") },
        mark: { type: "bar" as const, size: 1 },
        encoding: { x, x2: { field: "to" }, y, color, tooltip },
      },
      {
        data: { values: of(site, "marker") },
        mark: { type: "point" as const, filled: true, size: 25 },
        encoding: {
          x,
          y,
          color,
          tooltip: [vjob, what, from],
        },
      },
    ],
  });
  return {
    name,
    title,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title,
      vconcat: sites.map(panel),
      resolve: { scale: { y: "independent" } },
    },
  };
}
