import * as z from "zod";
import { scenarioSchema } from "./schema.js";

/** The JSON Schema of scenario files (what a file may contain), generated from the zod schema. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: "input", target: "draft-2020-12" });
}
