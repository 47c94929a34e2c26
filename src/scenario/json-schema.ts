import * as z from "zod";
import { scenarioSchema } from "./schema.js";

/** The JSON Schema of scenario files (what a file may contain), generated from the zod schema. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, {
    io: "input",
    target: "draft-2020-12",
    // A user policy module has no `name`: "must be absent" is `not: {}` in JSON Schema.
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === "undefined") jsonSchema.not = {};
    },
  });
}
