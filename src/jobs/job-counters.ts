/** What a job did, counted per kind of outcome. */
export interface JobCounters {
  inserted?: number;
  modified?: number;
  deleted?: number;
  unchanged?: number;
  skipped?: number;
  failed?: number;
  /** Pairs changed in both systems that the conflict policy left for an operator (not failures). */
  conflicts?: number;
  /** Records held for duplicate review instead of created (neither inserted nor failed). */
  heldAsDuplicate?: number;
  coupled?: number;
  uncoupled?: number;
}

export const COUNTER_NAMES = [
  'inserted',
  'modified',
  'deleted',
  'unchanged',
  'skipped',
  'failed',
  'conflicts',
  'heldAsDuplicate',
  'coupled',
  'uncoupled',
] as const satisfies ReadonlyArray<keyof JobCounters>;

export const noCounts = (): Required<JobCounters> => ({
  inserted: 0,
  modified: 0,
  deleted: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
  conflicts: 0,
  heldAsDuplicate: 0,
  coupled: 0,
  uncoupled: 0,
});

/** Adds `more` into `total` and returns a copy of the sum. */
export function addCounters(total: JobCounters, more: JobCounters): JobCounters {
  for (const name of COUNTER_NAMES) if (more[name] !== undefined) total[name] = (total[name] ?? 0) + more[name]!;
  return { ...total };
}

/** What was counted since `before`. */
export function countedSince(now: Required<JobCounters>, before: JobCounters): JobCounters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, now[name] - (before[name] ?? 0)]));
}
