import type { SkyPolicy } from "./sky-policy.js";

/** Stay home: every vjob tries its home site (a homeless one, where it ran); none ever flies. */
export function stayHome(): SkyPolicy {
  return {
    name: "stay-home",
    relocation: undefined,
    siteFor: (_view, request) => request.homeSite ?? request.from,
  };
}
