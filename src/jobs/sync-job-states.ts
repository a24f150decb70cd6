import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJob, SyncJobStatus, type SyncJobType } from '../../entities/integration/sync-job.entity';
import type { ChangeCursor } from '../connectors/system-connector';
import { snake } from '../db/snake-naming.strategy';
import { COUNTER_NAMES, noCounts, type JobCounters } from './job-counters';
import { retryTransient } from '../db/retry-transient';

/** A job as its requester describes it. */
export interface NewJob {
  readonly type: SyncJobType;
  readonly mappingName: string | null;
  readonly direction?: SyncDirection | null;
  readonly requestedBy: string;
  readonly runId?: string | null;
  readonly startedAt?: Date;
  readonly message?: string | null;
  /** Records a full synchronisation's job is expected to read, counted when its run starts. */
  readonly plannedTotal?: number | null;
}

type Values = { [K in keyof SyncJob]?: SyncJob[K] };

const { WAITING, READY, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED } = SyncJobStatus;

/**
 * The one owner of a sync job's state: every status a job row takes is written here, by a named
 * transition that says which statuses it leaves from. A transition from a status the job is no
 * longer in changes nothing (a cancellation made meanwhile is never overwritten) and says so.
 *
 *   queue:    WAITING → READY            (handed to the job engine)
 *   start:    READY | WAITING → RUNNING
 *   pause:    WAITING | READY | RUNNING → PAUSED     (a running one stops after its chunk)
 *   resume:   PAUSED | CANCELLED → WAITING           (continues from its committed position)
 *   succeed:  RUNNING → SUCCEEDED
 *   fail:     any unfinished → FAILED
 *   cancel:   WAITING | READY | RUNNING | PAUSED → CANCELLED (a running one stops after its chunk)
 *   hold:     WAITING → CANCELLED, because a job it depends on failed or was cancelled
 *   takeBack: RUNNING | READY → READY    (its worker stopped; another one resumes it)
 */
export class SyncJobStates {
  constructor(private readonly integration: DataSource) {}

  /** Jobs that wait for their turn: a full synchronisation's, or a run asked for while its mapping runs. */
  async createWaiting(manager: EntityManager, jobs: readonly NewJob[]): Promise<SyncJob[]> {
    const rows = jobs.map((job) => this.row(job, WAITING));
    if (rows.length > 0) await manager.insert(SyncJob, rows);
    return rows;
  }

  /** A run that starts at once: its row, running. */
  async startNew(job: NewJob, estimatedTotal: number | null): Promise<SyncJob> {
    const row = { ...this.row(job, RUNNING), estimatedTotal };
    await this.integration.manager.insert(SyncJob, row);
    return row;
  }

  /** A job that ran and finished inside the caller's transaction (a coupling, a transfer). */
  async recordCompleted(manager: EntityManager, job: NewJob & { startedAt: Date }, counters: JobCounters, processed?: number): Promise<SyncJob> {
    const now = new Date();
    const row: SyncJob = { ...this.row(job, SUCCEEDED), ...counters, finishedAt: now, processed: processed ?? 0, estimatedTotal: processed ?? null };
    await manager.insert(SyncJob, row);
    return row;
  }

  /** A job as a dry run found it would end, never stored: it has no state to move, and its id names no row. */
  dryRun(job: NewJob, counters: JobCounters, processed: number): SyncJob {
    const row = this.row(job, SUCCEEDED);
    return { ...row, ...counters, processed, estimatedTotal: processed, finishedAt: row.startedAt, message: job.message ?? 'Dry run: decided as a run would, nothing was written' };
  }

  queue(manager: EntityManager, jobId: string, queueJobId: string): Promise<SyncJob | null> {
    return this.move(manager, jobId, [WAITING], { status: READY, queueJobId });
  }

  /** A queued job's worker begins it; null when it was paused or cancelled meanwhile. */
  start(jobId: string, values: { startedAt?: Date; estimatedTotal: number | null }): Promise<SyncJob | null> {
    return this.move(this.integration.manager, jobId, [READY, WAITING, RUNNING], { ...values, status: RUNNING, message: null });
  }

  /** Adds a committed chunk to the job, inside the chunk's transaction: counters, records read and the resume position. */
  async recordChunk(manager: EntityManager, jobId: string, chunk: { last: ChangeCursor; counters: JobCounters; read: number }): Promise<SyncJob> {
    await this.add(manager, jobId, { resumeModifiedAt: chunk.last.modifiedAt, resumeKey: chunk.last.key }, chunk.counters, chunk.read);
    return manager.findOneByOrFail(SyncJob, { id: jobId });
  }

  /** The job did all its work: succeeded, unless it was cancelled meanwhile (then it is finished as cancelled). */
  async succeed(jobId: string, counters: JobCounters, values: { message?: string | null; read?: number; estimatedTotal?: number | null } = {}): Promise<SyncJob> {
    const { read, ...rest } = values;
    return this.finish(jobId, [RUNNING], { ...rest, status: SUCCEEDED }, counters, read ?? 0);
  }

  fail(jobId: string, message: string, counters: JobCounters, read = 0): Promise<SyncJob> {
    return this.finish(jobId, [WAITING, READY, RUNNING, PAUSED], { status: FAILED, message }, counters, read);
  }

  /** A running job that stopped between chunks because it was paused or cancelled: its last counters; a cancelled one has finished. */
  async stopped(jobId: string, counters: JobCounters): Promise<SyncJob> {
    await this.add(this.integration.manager, jobId, {}, counters, 0);
    await this.integration.manager.update(SyncJob, { id: jobId, status: CANCELLED }, { finishedAt: new Date() });
    return this.integration.manager.findOneByOrFail(SyncJob, { id: jobId });
  }

  /** Cancels a job; a running one stops after the chunk it is writing (its worker records when). */
  cancel(manager: EntityManager, job: SyncJob, by: string): Promise<SyncJob | null> {
    const running = job.status === RUNNING;
    return this.move(manager, job.id, [WAITING, READY, RUNNING, PAUSED], {
      status: CANCELLED,
      message: `Cancelled by ${by}${running ? '; it stops after the chunk it is writing' : ''}`,
      finishedAt: running ? null : new Date(),
    });
  }

  /** A waiting job that cannot start because a job it depends on failed or was cancelled. */
  hold(manager: EntityManager, jobId: string, reason: string): Promise<SyncJob | null> {
    return this.move(manager, jobId, [WAITING], { status: CANCELLED, message: reason, finishedAt: new Date() });
  }

  /** Pauses a job; a running one stops after the chunk it is writing and keeps its position. */
  pause(manager: EntityManager, job: SyncJob, by: string): Promise<SyncJob | null> {
    return this.move(manager, job.id, [WAITING, READY, RUNNING], { status: PAUSED, message: `Paused by ${by}; it continues where it stopped when its run is resumed` });
  }

  /** A paused or cancelled job waits again for its turn, to continue from its committed position. */
  resume(manager: EntityManager, job: SyncJob, by: string): Promise<SyncJob | null> {
    return this.move(manager, job.id, [PAUSED, CANCELLED], { status: WAITING, message: `Resumed by ${by}`, finishedAt: null, queueJobId: null });
  }

  /** A job nobody works on any more (its worker stopped or died) goes back to the queue, to resume where it was. */
  async takeBack(manager: EntityManager, jobId: string, from: readonly SyncJobStatus[], message: string, counters: JobCounters = {}): Promise<SyncJob | null> {
    await this.add(manager, jobId, {}, counters, 0);
    return this.move(manager, jobId, from, { status: READY, message });
  }

  /** Records which job-engine job now carries the job. */
  async carriedBy(manager: EntityManager, jobId: string, queueJobId: string): Promise<void> {
    await manager.update(SyncJob, { id: jobId }, { queueJobId });
  }

  private async finish(jobId: string, from: readonly SyncJobStatus[], values: Values, counters: JobCounters, read: number): Promise<SyncJob> {
    const manager = this.integration.manager;
    // Each statement on its own, outside any transaction: one rolled back by a deadlock is sent again, and only it.
    await retryTransient('job log', () => this.add(manager, jobId, {}, counters, read));
    const moved = await retryTransient('job log', () => this.move(manager, jobId, from, { ...values, finishedAt: new Date() }));
    if (moved) return moved;
    // Cancelled (or paused) meanwhile: that decision stands; the job has stopped now.
    return this.stopped(jobId, {});
  }

  /** Sets `values` if the job is in one of `from`; the job as it is now, or null when it was not. */
  private async move(manager: EntityManager, jobId: string, from: readonly SyncJobStatus[], values: Values): Promise<SyncJob | null> {
    const result = await manager
      .createQueryBuilder()
      .update(SyncJob)
      .set({ ...values, modifiedAt: new Date() })
      .where('id = :jobId AND status IN (:...from)', { jobId, from })
      .execute();
    return result.affected ? manager.findOneByOrFail(SyncJob, { id: jobId }) : null;
  }

  /** Adds counters and records read to the job's, with `values`, in one statement. */
  private async add(manager: EntityManager, jobId: string, values: Values, counters: JobCounters, read: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(SyncJob)
      .set({
        ...values,
        processed: () => `processed + ${Math.trunc(read)}`,
        ...Object.fromEntries(COUNTER_NAMES.map((name) => [name, () => `${snake(name)} + ${Math.trunc(counters[name] ?? 0)}`])),
        modifiedAt: new Date(),
      })
      .where('id = :jobId', { jobId })
      .execute();
  }

  private row(job: NewJob, status: SyncJobStatus): SyncJob {
    const now = new Date();
    return this.integration.manager.create(SyncJob, {
      id: randomUUID(),
      runId: job.runId ?? null,
      mappingName: job.mappingName,
      type: job.type,
      direction: job.direction ?? null,
      status,
      startedAt: job.startedAt ?? now,
      finishedAt: null,
      ...noCounts(),
      processed: 0,
      estimatedTotal: null,
      plannedTotal: job.plannedTotal ?? null,
      resumeModifiedAt: null,
      resumeKey: null,
      queueJobId: null,
      message: job.message ?? null,
      requestedBy: job.requestedBy.slice(0, 100),
      modifiedAt: now,
      modifiedBy: 'gateway',
    });
  }
}
