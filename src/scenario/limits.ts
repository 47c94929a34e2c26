/**
 * Upper bounds of the scenario format's counts. They are far above anything a study runs (the
 * largest platform of the field's studies has about a million hosts) and exist so that a typo
 * (`hostsPerSite: 1e15`) is a scenario problem, not an allocation that hangs or crashes. Whether a
 * scenario within them fits in memory is checked separately (scenario-size.ts).
 */
export const LIMITS = {
  sites: 10_000,
  hostsPerCluster: 1_000_000,
  cores: 4096,
  vcpus: 1024,
  vmsPerJob: 100_000,
  jobs: 10_000_000,
  servers: 1_000_000,
  grid5000Scale: 10_000,
  seeds: 10_000,
  failureVictims: 10_000_000,
  nodeBudget: 1_000_000_000,
  traceVm: 1_000_000_000,
  /**
   * Characters of a scenario's name, which names its results folder: far below a file name's
   * 255 bytes, leaving room for what is added to it (a sweep's cells are folders inside it).
   */
  name: 128,
  /** Characters of a sweep cell's name (variant and parameter values), which names its folder. */
  cell: 200,
} as const;
