import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Chart } from "./chart-specs.js";

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

/**
 * A self-contained HTML page showing the charts with vega-embed, one `<figure>` each, and the
 * lines of `facts` (the run's headline) above them.
 */
export function reportHtml(
  title: string,
  facts: readonly string[],
  charts: readonly Chart[],
): string {
  const specs = JSON.stringify(charts.map((c) => c.spec)).replaceAll("</", "<\\/");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>body { font-family: sans-serif; margin: 2em; } figure { margin: 2em 0; }</style>
${libraries()}
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${facts.map((fact) => `<p>${escapeHtml(fact)}</p>`).join("\n")}
${charts.map((c, i) => `<figure><figcaption>${escapeHtml(c.title)}</figcaption><div id="chart-${i}" class="chart"></div></figure>`).join("\n")}
<script>
const specs = ${specs};
Promise.all(specs.map((spec, i) => vegaEmbed("#chart-" + i, spec, { renderer: "svg", actions: false })))
  .then(() => document.body.setAttribute("data-charts-rendered", String(specs.length)))
  .catch((error) => console.error(error));
</script>
</body>
</html>
`;
}
