import type { Cloud } from "../compute/cloud.js";
import type { FailureInjector } from "../failures/failure-injector.js";
import type { VjobRunner } from "../workload/vjob-runner.js";
import type { ConstraintMetrics } from "./constraint-metrics.js";
import type { TableFile, TableSpec } from "./table-file.js";

export const EVENT_COLUMNS = ["time", "kind", "subject", "what", "where"];

export const EVENTS_TABLE: TableSpec = {
  name: "events",
  columns: EVENT_COLUMNS,
  text: ["kind", "subject", "what", "where"],
};

/**
 * Every VM state change, migration and snapshot end, vjob submission, start, restart and end,
 * failure and repair (kind host, cluster, site or link), and, with constraints, each one broken or
 * kept again (kind constraint, subject its vjob or group), one row each in the order they happen
 * (`--trace events`).
 */
export function traceEvents(
  cloud: Cloud,
  runner: VjobRunner,
  injector: FailureInjector,
  out: TableFile,
  constraints?: ConstraintMetrics,
): void {
  const hostName = (host: number | undefined): string =>
    host === undefined ? "" : (cloud.platform.hosts[host]?.name ?? String(host));
  cloud.vmStateChanged.subscribe((t) => {
    out.write([t.time, "vm", t.vm.name, `${t.from}>${t.to}`, hostName(t.vm.host)]);
  });
  cloud.migrationEnded.subscribe((m) => {
    out.write([
      m.end,
      "migration",
      m.vm.name,
      m.state,
      `${hostName(m.source)}>${hostName(m.destination)}`,
    ]);
  });
  cloud.snapshotEnded.subscribe((s) => {
    out.write([s.end, "snapshot", s.vms.map((vm) => vm.name).join(" "), s.state, ""]);
  });
  const vjob = (what: string) => (record: { spec: { name: string } }) => {
    out.write([cloud.sim.now, "vjob", record.spec.name, what, ""]);
  };
  runner.vjobSubmitted.subscribe(vjob("submitted"));
  runner.vjobStarted.subscribe(vjob("started"));
  runner.vjobFinished.subscribe(vjob("finished"));
  runner.vjobFailed.subscribe(vjob("failed"));
  runner.vjobRestarted.subscribe(vjob("restarted"));
  runner.vjobRestored.subscribe(vjob("restored"));
  injector.changed.subscribe((e) => {
    out.write([e.time, e.target.kind, e.target.name, e.event, ""]);
  });
  constraints?.changed.subscribe((c) => {
    const what = `${c.broken ? "broken" : "kept"} #${c.constraint} ${c.type}`;
    out.write([c.time, "constraint", c.subject, what, ""]);
  });
}
