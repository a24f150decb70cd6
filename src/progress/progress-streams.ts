import type { DataSource } from 'typeorm';
import { requireUuid } from '../errors/input-checks';
import type { FullSyncRun } from '../../entities/integration/full-sync-run.entity';
import { SyncJob } from '../../entities/integration/sync-job.entity';
import { notFound } from '../errors/domain-error';
import { SyncProgressKind, type SyncProgressEvent } from './progress-event';
import { isFinished } from './finished-status';
import type { ProgressHub } from './progress-hub';
import { runProgress, type RunProgress } from './run-progress';

const snapshotOf = (job: SyncJob | null, run: FullSyncRun | null, progress: RunProgress | null = null): SyncProgressEvent => ({
  kind: SyncProgressKind.SNAPSHOT,
  runId: run?.id ?? job?.runId ?? null,
  job,
  run,
  recordsPerSecond: null,
  etaSeconds: null,
  at: new Date(),
  runProgress: progress,
});

/**
 * Whether an event is no older than what the subscriber was last shown of its job, noting it if so. Events of one job
 * can arrive out of order (a progress event thinned by the publisher goes out on a timer, and jobs run in any process):
 * a late one would show a finished job running again.
 */
function shownInOrder(event: SyncProgressEvent, shown: Map<string, Date>): boolean {
  if (!event.job) return true;
  const last = shown.get(event.job.id);
  if (last && event.job.modifiedAt.getTime() < last.getTime()) return false;
  shown.set(event.job.id, event.job.modifiedAt);
  return true;
}

/** Where the streams find the runs they report on (the full-synchronisation service). */
export interface RunLookup {
  runById(id: string): Promise<FullSyncRun | null>;
  currentRun(): Promise<FullSyncRun | null>;
  jobsOf(runIds: readonly string[]): Promise<SyncJob[]>;
}

/**
 * The subscriptions' event streams: the current state first, then every event of the job or run
 * from any process, until its final event. Listening starts before the state is read, so nothing
 * published in between is missed.
 */
export class ProgressStreams {
  constructor(
    private readonly hub: ProgressHub,
    private readonly integration: DataSource,
    private readonly runs: RunLookup,
  ) {}

  async job(jobId: string): Promise<AsyncIterable<SyncProgressEvent>> {
    requireUuid(jobId, 'jobId', 'job id');
    const listening = new AbortController();
    const events = await this.hub.events(listening.signal);
    const job = await this.integration.getRepository(SyncJob).findOneBy({ id: jobId });
    if (!job) {
      listening.abort();
      throw notFound(`No job with id ${jobId}`, { argument: 'jobId' });
    }
    const shown = new Map([[job.id, job.modifiedAt]]);
    return (async function* () {
      try {
        yield snapshotOf(job, null);
        if (isFinished(job.status)) return;
        for await (const event of events) {
          if (event.job?.id !== jobId || !shownInOrder(event, shown)) continue;
          yield event;
          if (event.kind === SyncProgressKind.FINISHED) return;
        }
      } finally {
        listening.abort();
      }
    })();
  }

  /** A run's events; without an id, the run under way, or else the next one to start. */
  async run(runId: string | null): Promise<AsyncIterable<SyncProgressEvent>> {
    const listening = new AbortController();
    const events = await this.hub.events(listening.signal);
    let run: FullSyncRun | null;
    try {
      run = runId ? await this.runs.runById(runId) : await this.runs.currentRun();
      if (runId && !run) throw notFound(`No full synchronisation with id ${runId}`, { argument: 'runId' });
    } catch (error) {
      listening.abort();
      throw error;
    }
    if (!runId && run && isFinished(run.status)) run = null;
    const jobs = run ? await this.runs.jobsOf([run.id]) : [];
    const shown = new Map(jobs.map((job) => [job.id, job.modifiedAt]));
    return (async function* () {
      try {
        let followed = run?.id ?? null;
        if (run) {
          const progress = runProgress(run, jobs);
          yield snapshotOf(null, run, progress);
          for (const job of jobs) yield snapshotOf(job, null, progress);
          if (isFinished(run.status)) return;
        }
        for await (const event of events) {
          followed ??= event.runId;
          if (event.runId === null || event.runId !== followed || !shownInOrder(event, shown)) continue;
          yield event;
          if (event.kind === SyncProgressKind.FINISHED && event.run) return;
        }
      } finally {
        listening.abort();
      }
    })();
  }
}
