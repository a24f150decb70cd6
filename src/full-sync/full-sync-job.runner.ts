import type { DataSource, EntityManager } from 'typeorm';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJob, SyncJobStatus } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { SystemName } from '../connectors/system-connector';
import { isConnectionLost, retryTransient } from '../db/retry-transient';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { JobCounters } from '../jobs/job-log.service';
import { isFinished } from '../progress/progress-event';
import type { ProgressPublisher } from '../progress/progress-publisher';
import type { SyncEngine } from '../sync/sync-engine';
import type { FullSyncService } from './full-sync.service';

const COUNTERS = ['inserted', 'modified', 'deleted', 'unchanged', 'skipped', 'failed', 'coupled', 'uncoupled'] as const;

type JobValues = { [K in keyof SyncJob]?: SyncJob[K] | (() => string) };

/** A status that does not overwrite a cancellation made meanwhile (cancelling only writes the status). */
const unlessCancelled = (status: SyncJobStatus) => () => `CASE WHEN status = '${SyncJobStatus.CANCELLED}' THEN status ELSE '${status}' END`;

/** Thrown to the job engine so that another worker (or this one, later) resumes the job. */
export class JobInterrupted extends Error {
  override readonly name = 'JobInterrupted';
}

/**
 * Runs one job of a full synchronisation in a worker: all records of one side of one mapping,
 * chunk by chunk from where it last stopped. Each chunk's writes, couplings, counters and resume
 * position are committed together, so a worker that dies loses at most the chunk it was writing,
 * and that chunk is written again, to the same records, by the worker that resumes the job.
 */
export class FullSyncJobRunner {
  constructor(
    private readonly integration: DataSource,
    private readonly engine: SyncEngine,
    private readonly fullSync: FullSyncService,
    private readonly publisher: ProgressPublisher,
  ) {}

  /** `stopping` tells the job its worker is shutting down: it stops between chunks and is resumed elsewhere. */
  async run(jobId: string, stopping: () => boolean): Promise<void> {
    const jobs = this.integration.getRepository(SyncJob);
    const queued = await jobs.findOneBy({ id: jobId });
    if (!queued || !queued.runId || isFinished(queued.status)) return;
    const mapping = await this.integration.getRepository(TableMapping).findOneByOrFail({ name: queued.mappingName! });
    const side: SystemName = queued.direction === SyncDirection.FROM_CRM ? 'crm' : 'erp';
    let current = queued;
    try {
      const outcome = await this.engine.runResumable({
        mappingName: mapping.name,
        side,
        after: queued.resumeModifiedAt && queued.resumeKey ? { modifiedAt: queued.resumeModifiedAt, key: queued.resumeKey } : null,
        // A job that has begun once has its total counted; until then its start is when it was queued.
        startedAt: queued.estimatedTotal === null ? null : queued.startedAt,
        // The mapping's last job looks for couplings that lost a record, once all records were read.
        handleDeletions: !(mapping.direction === SyncDirection.BIDIRECTIONAL && side === 'erp'),
        begin: async (startedAt, total) => {
          const firstStart = queued.estimatedTotal === null ? { startedAt } : {};
          current = await this.update(this.integration.manager, jobId, { ...firstStart, status: unlessCancelled(SyncJobStatus.RUNNING), estimatedTotal: total, message: null }, {}, 0);
          await this.publisher.jobState(current, false);
        },
        shouldContinue: async () => !stopping() && (await jobs.findOneBy({ id: jobId }))?.status === SyncJobStatus.RUNNING,
        onChunk: async (manager, chunk) => {
          current = await this.update(manager, jobId, { resumeModifiedAt: chunk.last.modifiedAt, resumeKey: chunk.last.key }, chunk.counters, chunk.read);
        },
        afterChunk: () => this.publisher.jobProgress(current),
      });
      if (!outcome.completed) {
        const now = await jobs.findOneByOrFail({ id: jobId });
        if (now.status === SyncJobStatus.CANCELLED) return this.finish(jobId, { finishedAt: new Date() }, outcome.counters);
        // Shutting down: back to the queue, to be resumed from the last committed chunk.
        await this.publisher.jobState(await this.update(this.integration.manager, jobId, { status: SyncJobStatus.READY, message: 'Paused: its worker stopped; it resumes where it was' }, outcome.counters, 0), false);
        throw new JobInterrupted(`${mapping.name} ${queued.direction}: stopped between chunks`);
      }
      return this.finish(jobId, { status: unlessCancelled(SyncJobStatus.SUCCEEDED), finishedAt: new Date() }, outcome.counters);
    } catch (error) {
      // A lost connection (the database restarting) interrupts the job: it resumes from its last committed chunk.
      if (error instanceof JobInterrupted || isConnectionLost(error)) throw error;
      // Another run holds the mapping (an incremental or manual run): try again shortly.
      if (error instanceof DomainError && error.code === ErrorCode.SYNC_ALREADY_RUNNING) throw new JobInterrupted(error.message);
      return this.finish(jobId, { status: SyncJobStatus.FAILED, finishedAt: new Date(), message: error instanceof Error ? error.message : String(error) }, {});
    }
  }

  private async finish(jobId: string, values: JobValues, counters: JobCounters): Promise<void> {
    const job = await retryTransient('job log', () => this.update(this.integration.manager, jobId, values, counters, 0));
    await this.publisher.jobState(job, true);
    await this.fullSync.jobFinished(job.runId!);
  }

  /** Sets `values` and adds `counters` and `read` to the job's, in one statement. */
  private async update(manager: EntityManager, jobId: string, values: JobValues, counters: JobCounters, read: number): Promise<SyncJob> {
    await manager
      .createQueryBuilder()
      .update(SyncJob)
      .set({
        ...values,
        processed: () => `processed + ${Math.trunc(read)}`,
        ...Object.fromEntries(COUNTERS.map((name) => [name, () => `${name} + ${Math.trunc(counters[name] ?? 0)}`])),
        modifiedAt: new Date(),
      })
      .where('id = :jobId', { jobId })
      .execute();
    return manager.findOneByOrFail(SyncJob, { id: jobId });
  }
}
