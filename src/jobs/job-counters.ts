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

export const noCounts = (): Required<JobCounters> => Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as Required<JobCounters>;

/** Adds `more` into `total` and returns a copy of the sum. */
export function addCounters(total: JobCounters, more: JobCounters): JobCounters {
  for (const name of COUNTER_NAMES) if (more[name] !== undefined) total[name] = (total[name] ?? 0) + more[name]!;
  return { ...total };
}

/** What was counted since `before`. */
export function countedSince(now: Required<JobCounters>, before: JobCounters): JobCounters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, now[name] - (before[name] ?? 0)]));
}
