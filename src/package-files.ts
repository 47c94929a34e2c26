import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of skysim's package.json, found by climbing from this file: the same answer whether
 * the code runs from src/ (tests) or dist/src/ (the installed command).
 */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      if (pkg.name === "skysim") return folder;
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error("skysim's package.json not found above " + folder);
    folder = parent;
  }
}

/** A file shipped with the package (data/, scenarios/...). */
export function packageFile(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** skysim's version, from its package.json (works from src/ and dist/). */
export function skysimVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}
