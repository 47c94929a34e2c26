import { readFileSync } from "node:fs";
import { packageFile } from "../package-files.js";

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
