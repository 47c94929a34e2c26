import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type ReportChart, isDrawn } from "./chart-specs.js";

const require = createRequire(import.meta.url);

/** The folder of an installed package (its exports hide the browser builds from `resolve`). */
function packageDir(name: string): string {
  let folder = dirname(require.resolve(name));
  while (!isPackageFolder(folder, name)) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`package ${name} not found`);
    folder = parent;
  }
  return folder;
}

function isPackageFolder(folder: string, name: string): boolean {
  const manifest = join(folder, "package.json");
  return (
    existsSync(manifest) &&
    (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === name
  );
}

/** The browser builds of vega, vega-lite and vega-embed, inlined: the report works offline. */
function libraries(): string {
  return [
    ["vega", "build/vega.min.js"],
    ["vega-lite", "build/vega-lite.min.js"],
    ["vega-embed", "build/vega-embed.min.js"],
  ]
    .map(([name, file]) => {
      const code = readFileSync(join(packageDir(name as string), file as string), "utf8");
      return `<script>${code.replaceAll("</script", "<\\/script")}</script>`;
    })
    .join("\n");
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c,
  );
}

/** What a report says besides its charts. */
export interface ReportContext {
  readonly title: string;
  /** The scenario's description, if it has one. */
  readonly description?: string;
  /** The run's headline, a line each. */
  readonly facts: readonly string[];
  /** Label and value of each parameter worth showing (seed, duration, policies...). */
  readonly parameters: readonly (readonly [string, string])[];
  /** The run's tables and files, relative to the report. */
  readonly links: readonly { readonly name: string; readonly href: string }[];
}

const STYLE = `body { font-family: sans-serif; margin: 2em; max-width: 60em; }
figure { margin: 2em 0; }
table { border-collapse: collapse; }
td, th { text-align: left; padding: 0.1em 1em 0.1em 0; vertical-align: top; }
td code { white-space: pre-wrap; overflow-wrap: anywhere; }
p.empty { color: #555; font-style: italic; }
p.files { font-size: 0.85em; }
nav a { margin-right: 1em; }`;

/**
 * A self-contained HTML page (it works offline): the run's title, description, parameters, headline
 * and links to its tables, then each chart drawn by vega-embed (tooltips, drag to zoom time, export
 * to PNG or SVG from its menu) with links to its SVG and spec, or the sentence that replaces an
 * empty one. `data-charts-rendered` on the body counts the charts once all are drawn.
 */
export function reportHtml(context: ReportContext, charts: readonly ReportChart[]): string {
  const drawn = charts.filter(isDrawn);
  const specs = JSON.stringify(drawn.map((c) => c.spec)).replaceAll("</", "<\\/");
  const figure = (chart: ReportChart): string => {
    if (!isDrawn(chart)) {
      return `<figure id="${chart.name}"><h3>${escapeHtml(chart.title)}</h3><p class="empty">${escapeHtml(chart.empty)}</p></figure>`;
    }
    const index = drawn.indexOf(chart);
    return `<figure id="${chart.name}"><div id="chart-${index}" class="chart"></div><p class="files"><a href="${chart.name}.svg">SVG</a> · <a href="${chart.name}.vl.json">Vega-Lite spec</a></p></figure>`;
  };
  const parameters = context.parameters
    .map(
      ([label, value]) =>
        `<tr><th>${escapeHtml(label)}</th><td><code>${escapeHtml(value)}</code></td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(context.title)}</title>
<style>${STYLE}</style>
${libraries()}
</head>
<body>
<h1>${escapeHtml(context.title)}</h1>
${context.description === undefined ? "" : `<p>${escapeHtml(context.description)}</p>`}
<h2>Parameters</h2>
<table>
${parameters}
</table>
<h2>Outcome</h2>
${context.facts.map((fact) => `<p>${escapeHtml(fact)}</p>`).join("\n")}
<p>Tables: ${context.links.map((link) => `<a href="${escapeHtml(link.href)}">${escapeHtml(link.name)}</a>`).join(" · ")}</p>
<h2>Charts</h2>
<nav>${charts.map((c) => `<a href="#${c.name}">${escapeHtml(c.title)}</a>`).join("\n")}</nav>
${charts.map(figure).join("\n")}
<script>
const specs = ${specs};
const options = { renderer: "svg", actions: { export: true, source: false, compiled: false, editor: false } };
Promise.all(specs.map((spec, i) => vegaEmbed("#chart-" + i, spec, options)))
  .then(() => document.body.setAttribute("data-charts-rendered", String(specs.length)))
  .catch((error) => console.error(error));
</script>
</body>
</html>
`;
}
