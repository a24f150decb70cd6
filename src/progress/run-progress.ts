import type { FullSyncRun } from '../../entities/integration/full-sync-run.entity';
import { FullSyncRunStatus } from '../../entities/integration/full-sync-run.entity';
import type { SyncJob } from '../../entities/integration/sync-job.entity';
import { isFinished } from './finished-status';

/** A full synchronisation's progress as a whole: all its jobs together. */
export interface RunProgress {
  /** Source records its jobs have read. */
  readonly processed: number;
  /**
   * Records its jobs will have read: what a finished job read, what a started one counted (or has
   * read, if more), and for one not started, what it was expected to read when the run started;
   * null when a job's is unknown (a run started before the gateway counted them).
   */
  readonly estimatedTotal: number | null;
  /** Records per second since the run (last) started or was resumed; null while not running. */
  readonly recordsPerSecond: number | null;
  /** Seconds left at that rate. */
  readonly etaSeconds: number | null;
  readonly jobs: number;
  readonly jobsFinished: number;
}

type RunFigures = Pick<FullSyncRun, 'status' | 'startedAt' | 'rateSince' | 'processedAtRateSince'>;
type JobFigures = Pick<SyncJob, 'status' | 'processed' | 'estimatedTotal' | 'plannedTotal'>;

/** The run's progress from its jobs as they are now. */
export function runProgress(run: RunFigures, jobs: readonly JobFigures[], now = new Date()): RunProgress {
  let processed = 0;
  let total: number | null = 0;
  let finished = 0;
  for (const job of jobs) {
    processed += job.processed;
    if (isFinished(job.status)) finished += 1;
    const expected = isFinished(job.status) ? job.processed : (job.estimatedTotal ?? job.plannedTotal);
    total = total === null || expected === null ? null : total + Math.max(job.processed, expected);
  }
  const seconds = (now.getTime() - (run.rateSince ?? run.startedAt).getTime()) / 1000;
  const done = processed - (run.processedAtRateSince ?? 0);
  const recordsPerSecond = run.status === FullSyncRunStatus.RUNNING && seconds > 0 && done > 0 ? done / seconds : null;
  return {
    processed,
    estimatedTotal: total,
    recordsPerSecond,
    etaSeconds: recordsPerSecond !== null && total !== null ? Math.max(0, total - processed) / recordsPerSecond : null,
    jobs: jobs.length,
    jobsFinished: finished,
  };
}
