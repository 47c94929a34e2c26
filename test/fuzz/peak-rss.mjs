// Preloaded (node --import) into a skysim command whose memory a test measures: writes the
// process's peak resident set size, in kB, on file descriptor 3 as the process exits.
import { writeSync } from "node:fs";
import process from "node:process";

process.on("exit", () => {
  writeSync(3, `${process.resourceUsage().maxRSS}\n`);
});
