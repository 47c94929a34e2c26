import type { LinkSpec } from "../network/network.js";

/** Links between sites; `from`/`to` name sites or routers (any other name). */
export interface BackboneLink extends LinkSpec {
  readonly from: string;
  readonly to: string;
}

/**
 * How sites are joined. `shared`: one link crossed by every inter-site route (SimGrid's flat
 * backbone); `star`: a link from each site to a central router; `ring`: each site to the next;
 * `mesh`: a link per pair of sites; `graph`: explicit links between sites and routers.
 */
export type BackboneSpec =
  | { readonly type: "shared"; readonly bandwidth: number; readonly latency: number }
  | {
      readonly type: "star" | "ring" | "mesh";
      readonly bandwidth: number;
      readonly latency: number;
    }
  | { readonly type: "graph"; readonly links: readonly BackboneLink[] };

/** The backbone's links (to append to the platform's) and the site-to-site routing over them. */
export interface Backbone {
  readonly links: readonly LinkSpec[];
  /** Indices into `links`, in route order. */
  route(a: number, b: number): readonly number[];
}

export function buildBackbone(spec: BackboneSpec, sites: readonly string[]): Backbone {
  if (spec.type === "shared") {
    const links = [{ name: "backbone", bandwidth: spec.bandwidth, latency: spec.latency }];
    return { links, route: (a, b) => (a === b ? [] : [0]) };
  }
  return graphBackbone(graphLinks(spec, sites), sites);
}

function graphLinks(spec: Exclude<BackboneSpec, { type: "shared" }>, sites: readonly string[]) {
  if (spec.type === "graph") return spec.links;
  const { bandwidth, latency } = spec;
  const edge = (from: string, to: string, name: string): BackboneLink => ({
    name,
    from,
    to,
    bandwidth,
    latency,
  });
  switch (spec.type) {
    case "star":
      return sites.map((site) => edge(site, "core", `${site}-core`));
    case "ring": {
      // Two sites need one link, not two parallel ones; one site needs none.
      const count = sites.length < 3 ? sites.length - 1 : sites.length;
      return sites.slice(0, Math.max(0, count)).map((site, i) => {
        const next = sites[(i + 1) % sites.length] ?? "";
        return edge(site, next, `${site}-${next}`);
      });
    }
    case "mesh":
      return sites.flatMap((a, i) => sites.slice(i + 1).map((b) => edge(a, b, `${a}-${b}`)));
  }
}

interface PathCost {
  readonly hops: number;
  readonly latency: number;
  readonly names: readonly string[];
  readonly links: readonly number[];
}

/** Fewest hops, then lowest latency, then the smaller sequence of link names. */
function better(a: PathCost, b: PathCost): boolean {
  if (a.hops !== b.hops) return a.hops < b.hops;
  if (a.latency !== b.latency) return a.latency < b.latency;
  for (let i = 0; i < a.names.length; i++) {
    const x = a.names[i] ?? "";
    const y = b.names[i] ?? "";
    if (x !== y) return x < y;
  }
  return false;
}

function graphBackbone(links: readonly BackboneLink[], sites: readonly string[]): Backbone {
  const adjacency = new Map<string, { to: string; link: number }[]>();
  links.forEach((link, i) => {
    for (const [from, to] of [
      [link.from, link.to],
      [link.to, link.from],
    ] as const) {
      const list = adjacency.get(from) ?? [];
      list.push({ to, link: i });
      adjacency.set(from, list);
    }
  });
  const cache = new Map<string, readonly number[]>();
  const route = (a: number, b: number): readonly number[] => {
    if (a === b) return [];
    const key = `${a}>${b}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const from = sites[a] ?? "";
    const to = sites[b] ?? "";
    const found = shortestPath(adjacency, links, from, to);
    if (found === undefined) throw new RangeError(`no backbone route from site ${from} to ${to}`);
    cache.set(key, found);
    return found;
  };
  return { links, route };
}

/** Dijkstra on lexicographic costs (hops, latency, names): small graphs, so a linear scan. */
function shortestPath(
  adjacency: ReadonlyMap<string, readonly { to: string; link: number }[]>,
  links: readonly BackboneLink[],
  from: string,
  to: string,
): readonly number[] | undefined {
  const best = new Map<string, PathCost>([[from, { hops: 0, latency: 0, names: [], links: [] }]]);
  const done = new Set<string>();
  for (;;) {
    let node: string | undefined;
    let cost: PathCost | undefined;
    for (const [candidate, c] of best) {
      if (done.has(candidate)) continue;
      if (cost === undefined || better(c, cost) || (!better(cost, c) && candidate < (node ?? ""))) {
        node = candidate;
        cost = c;
      }
    }
    if (node === undefined || cost === undefined) return undefined;
    if (node === to) return cost.links;
    done.add(node);
    for (const { to: next, link } of adjacency.get(node) ?? []) {
      if (done.has(next) || cost.links.includes(link)) continue;
      const spec = links[link] as BackboneLink;
      const candidate: PathCost = {
        hops: cost.hops + 1,
        latency: cost.latency + spec.latency,
        names: [...cost.names, spec.name],
        links: [...cost.links, link],
      };
      const known = best.get(next);
      if (known === undefined || better(candidate, known)) best.set(next, candidate);
    }
  }
}
