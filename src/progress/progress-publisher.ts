import type { DataSource } from 'typeorm';
import { FullSyncRun } from '../../entities/integration/full-sync-run.entity';
import { SyncJob } from '../../entities/integration/sync-job.entity';
import { runProgress, type RunProgress } from './run-progress';
import { jobRate, SyncProgressKind, type SyncProgressEvent } from './progress-event';

/** The channel every gateway process listens on; NOTIFY reaches all of them, whichever runs the job. */
export const PROGRESS_CHANNEL = 'sync_progress';

/** Subscribers get at most this many progress events per second per job (state changes always). */
const MAX_EVENTS_PER_SECOND = 10;

/** NOTIFY payloads are limited to 8000 bytes; a long job message is cut for the event. */
const MESSAGE_LIMIT = 1000;

interface Attempt {
  readonly startedAt: Date;
  readonly processedAtStart: number;
  lastSentAt: number;
  trailing: NodeJS.Timeout | null;
  /** A progress event on its way; a change of state waits for it, so it is not published after that change. */
  sending: Promise<void> | null;
}

/**
 * Publishes job and run events on PostgreSQL's NOTIFY, after the state they describe has been
 * committed. Progress events of one job are thinned to the rate limit, keeping the latest.
 */
export class ProgressPublisher {
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly integration: DataSource) {}

  /** A job changed status; a job that starts running begins a new rate measurement. */
  async jobState(job: SyncJob, finished: boolean): Promise<void> {
    const attempt = this.attempts.get(job.id);
    if (attempt?.trailing) clearTimeout(attempt.trailing);
    await attempt?.sending?.catch(() => undefined);
    if (finished) this.attempts.delete(job.id);
    else if (job.status === 'RUNNING') this.attempts.set(job.id, { startedAt: new Date(), processedAtStart: job.processed, lastSentAt: Date.now(), trailing: null, sending: null });
    await this.send(await this.jobEvent(finished ? SyncProgressKind.FINISHED : SyncProgressKind.STATE, job, attempt));
  }

  /** A job committed a chunk. */
  async jobProgress(job: SyncJob): Promise<void> {
    const attempt = this.attempts.get(job.id);
    if (!attempt) return this.send(await this.jobEvent(SyncProgressKind.PROGRESS, job, undefined));
    if (attempt.trailing) clearTimeout(attempt.trailing);
    const wait = attempt.lastSentAt + 1000 / MAX_EVENTS_PER_SECOND - Date.now();
    if (wait > 0) {
      attempt.trailing = setTimeout(() => void this.sendProgress(job, attempt).catch(() => {}), wait);
      attempt.trailing.unref();
      return;
    }
    await this.sendProgress(job, attempt);
  }

  async runState(run: FullSyncRun, finished: boolean): Promise<void> {
    await this.send({
      kind: finished ? SyncProgressKind.FINISHED : SyncProgressKind.STATE,
      runId: run.id,
      job: null,
      run,
      recordsPerSecond: null,
      etaSeconds: null,
      at: new Date(),
      runProgress: await this.runProgress(run.id),
    });
  }

  private async sendProgress(job: SyncJob, attempt: Attempt): Promise<void> {
    attempt.trailing = null;
    attempt.lastSentAt = Date.now();
    attempt.sending = this.jobEvent(SyncProgressKind.PROGRESS, job, attempt).then((event) => this.send(event));
    await attempt.sending;
  }

  private async jobEvent(kind: SyncProgressKind, job: SyncJob, attempt: Attempt | undefined): Promise<SyncProgressEvent> {
    const message = job.message && job.message.length > MESSAGE_LIMIT ? `${job.message.slice(0, MESSAGE_LIMIT)}…` : job.message;
    return {
      kind,
      runId: job.runId,
      job: { ...job, message },
      run: null,
      ...jobRate(job, attempt?.startedAt ?? null, attempt?.processedAtStart ?? 0),
      at: new Date(),
      runProgress: job.runId ? await this.runProgress(job.runId) : null,
    };
  }

  /** The run as a whole now, from its row and its jobs' (committed by whichever process runs them). */
  private async runProgress(runId: string): Promise<RunProgress | null> {
    const [run, jobs] = await Promise.all([
      this.integration.getRepository(FullSyncRun).findOneBy({ id: runId }),
      this.integration.getRepository(SyncJob).find({ where: { runId }, select: { status: true, processed: true, estimatedTotal: true, plannedTotal: true } }),
    ]);
    return run ? runProgress(run, jobs) : null;
  }

  private async send(event: SyncProgressEvent): Promise<void> {
    await this.integration.query('SELECT pg_notify($1, $2)', [PROGRESS_CHANNEL, JSON.stringify(event)]);
  }
}
