import type { OperatorJobFragment, OperatorRunFragment, SyncJobStatus } from './generated/operations';

/** A job as the last event showed it, with the rate and time left the event carried. */
export interface LiveJob extends OperatorJobFragment {
  readonly recordsPerSecond: number | null;
  readonly etaSeconds: number | null;
}

/** The run as a whole, as the gateway reports it on every event of the run (fullSyncProgress.runProgress). */
export interface RunFigures {
  readonly processed: number;
  readonly estimatedTotal: number | null;
  readonly recordsPerSecond: number | null;
  readonly etaSeconds: number | null;
  readonly jobs: number;
  readonly jobsFinished: number;
}

/** A full synchronisation as the subscription has shown it so far. */
export interface LiveRun {
  readonly run: Omit<OperatorRunFragment, 'jobs'> | null;
  readonly jobs: ReadonlyMap<string, LiveJob>;
  /** The run's own figures from the latest event that carried them. */
  readonly progress?: RunFigures | null;
  /** How far the run's figures have shown it, 0 to 1: a total that grows as a job counts its records never moves the bar back. */
  readonly furthest?: number;
}

/** The parts of a progress event (fullSyncProgress or syncJobProgress) that move a run or a job on. */
export interface ProgressEventLike {
  readonly kind: string;
  readonly recordsPerSecond?: number | null;
  readonly etaSeconds?: number | null;
  readonly run?: Omit<OperatorRunFragment, 'jobs'> | null;
  readonly job?: OperatorJobFragment | null;
  readonly runProgress?: RunFigures | null;
}

const FINISHED: ReadonlySet<SyncJobStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export const isFinishedStatus = (status: string): boolean => FINISHED.has(status as SyncJobStatus);

export const emptyRun: LiveRun = { run: null, jobs: new Map() };

/** A run as a query returned it, before any event. */
export function liveRunOf(run: OperatorRunFragment | null | undefined): LiveRun {
  if (!run) return emptyRun;
  const { jobs, ...rest } = run;
  return { run: rest, jobs: new Map(jobs.map((job) => [job.id, { ...job, recordsPerSecond: null, etaSeconds: null }])) };
}

/** The state after one more event; events of a job carry the whole job, so the latest wins. */
export function applyProgressEvent(state: LiveRun, event: ProgressEventLike): LiveRun {
  let next = state;
  if (event.run) next = { ...next, run: event.run };
  if (event.runProgress) {
    const { processed, estimatedTotal } = event.runProgress;
    const fraction = estimatedTotal ? Math.min(1, processed / estimatedTotal) : 0;
    next = { ...next, progress: event.runProgress, furthest: Math.max(next.furthest ?? 0, fraction) };
  }
  if (event.job) {
    const jobs = new Map(next.jobs);
    const running = event.job.status === 'RUNNING';
    jobs.set(event.job.id, {
      ...event.job,
      // A rate is measured while a job runs; other events leave the last known one (or none once finished).
      recordsPerSecond: running ? (event.recordsPerSecond ?? next.jobs.get(event.job.id)?.recordsPerSecond ?? null) : null,
      etaSeconds: running ? (event.etaSeconds ?? null) : null,
    });
    next = { ...next, jobs };
  }
  return next;
}

/** How far a job is, 0 to 1; a finished job is complete whatever its estimate said. */
export function jobFraction(job: Pick<OperatorJobFragment, 'status' | 'processed' | 'estimatedTotal'>): number {
  if (isFinishedStatus(job.status)) return 1;
  if (!job.estimatedTotal) return 0;
  return Math.min(1, job.processed / job.estimatedTotal);
}

/**
 * How far the whole run is, 0 to 1: the records its jobs have read of those they will read, as the
 * gateway counts them for the run. Before any event carried those, each job weighs what `expected`
 * says it will read (the Full Sync Review's record counts), or else the same as every other: a
 * weight that appeared only once a job started (its estimate) would move the bar backwards.
 */
export function runFraction(state: LiveRun, expected: (job: OperatorJobFragment) => number | null = () => null): number {
  if (state.run && isFinishedStatus(state.run.status)) return 1;
  if (state.progress?.estimatedTotal) return state.furthest ?? 0;
  let done = 0;
  let total = 0;
  for (const job of state.jobs.values()) {
    const weight = Math.max(1, expected(job) ?? 1);
    done += jobFraction(job) * weight;
    total += weight;
  }
  return total === 0 ? 0 : done / total;
}

/** What a job of a full synchronisation will read, from the Full Sync Review's record counts per mapping. */
export function expectedFromReview(lines: readonly { mappingName: string; erpRecords: number; crmRecords: number }[]): (job: OperatorJobFragment) => number | null {
  return (job) => {
    const line = lines.find((l) => l.mappingName === job.mappingName);
    return line ? (job.direction === 'FROM_CRM' ? line.crmRecords : line.erpRecords) : null;
  };
}

export const percent = (fraction: number): string => `${Math.floor(fraction * 100)} %`;

/** The run in one line: jobs finished, and (from the run's own figures) records read of its total, rate and time left. */
export function runLine(state: LiveRun): string {
  const figures = state.progress;
  const finished = figures?.jobsFinished ?? [...state.jobs.values()].filter((j) => isFinishedStatus(j.status)).length;
  const parts = [`${finished} of ${figures?.jobs ?? state.jobs.size} jobs finished`];
  if (figures)
    parts.push(
      `${figures.processed}${figures.estimatedTotal !== null ? ` of ${figures.estimatedTotal}` : ''} records`,
      formatRate(figures.recordsPerSecond),
      formatEta(figures.etaSeconds),
    );
  return parts.filter(Boolean).join(' · ');
}

export function formatRate(recordsPerSecond: number | null | undefined): string {
  return recordsPerSecond ? `${recordsPerSecond >= 100 ? Math.round(recordsPerSecond) : recordsPerSecond.toFixed(1)} records/s` : '';
}

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `ETA ${whole} s`;
  const minutes = Math.floor(whole / 60);
  return minutes < 60 ? `ETA ${minutes} min ${whole % 60} s` : `ETA ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "to CRM" / "from CRM": a full synchronisation's two jobs of a bidirectional mapping. */
export const directionLabel = (direction: string | null | undefined): string =>
  direction === 'TO_CRM' ? 'to CRM' : direction === 'FROM_CRM' ? 'from CRM' : direction === 'BIDIRECTIONAL' ? 'both ways' : '';

/** A job a mutation answered with: its mapping, and its summary (jobSummary). */
export const jobOutcome = (job: OperatorJobFragment): string => `${job.mappingName}: ${jobSummary(job)}`;

/** What a job did, and how it ended unless it succeeded (a queued one: waiting, and why), so a waiting job never reads as 'nothing to do'. */
export function jobSummary(job: OperatorJobFragment): string {
  const ended = job.status === 'SUCCEEDED' ? '' : ` (${job.status.toLowerCase()}${job.message ? `: ${job.message}` : ''})`;
  return `${jobCounters(job)}${ended}`;
}

/** What a job did, in one line. */
export function jobCounters(job: OperatorJobFragment): string {
  const parts: [string, number][] = [
    ['inserted', job.inserted],
    ['modified', job.modified],
    ['deleted', job.deleted],
    ['unchanged', job.unchanged],
    ['skipped', job.skipped],
    ['failed', job.failed],
    ['conflicts', job.conflicts],
    ['held as duplicate', job.heldAsDuplicate],
    ['coupled', job.coupled],
    ['uncoupled', job.uncoupled],
  ];
  return (
    parts
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${n} ${name}`)
      .join(', ') || 'nothing to do'
  );
}
