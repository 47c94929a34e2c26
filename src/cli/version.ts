import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** skysim's version, from the nearest package.json above this file (works from src/ and dist/). */
export function skysimVersion(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "skysim" && pkg.version !== undefined) return pkg.version;
    } catch {
      // no package.json here: keep climbing
    }
    const parent = dirname(folder);
    if (parent === folder) return "unknown";
    folder = parent;
  }
}
