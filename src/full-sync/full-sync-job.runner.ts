import type { DataSource } from 'typeorm';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJob, SyncJobStatus } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { SystemName } from '../connectors/system-connector';
import { isConnectionLost } from '../db/retry-transient';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { SyncJobStates } from '../jobs/sync-job-states';
import { isFinished } from '../progress/finished-status';
import type { ProgressPublisher } from '../progress/progress-publisher';
import type { SyncEngine } from '../sync/sync-engine';
import type { FullSyncService } from './full-sync.service';

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
    private readonly states: SyncJobStates,
    private readonly publisher: ProgressPublisher,
  ) {}

  /** `stopping` tells the job its worker is shutting down: it stops between chunks and is resumed elsewhere. */
  async run(jobId: string, stopping: () => boolean): Promise<void> {
    const jobs = this.integration.getRepository(SyncJob);
    const queued = await jobs.findOneBy({ id: jobId });
    // A paused job waits for its run to be resumed, which queues it again.
    if (!queued || !queued.runId || isFinished(queued.status) || queued.status === SyncJobStatus.PAUSED) return;
    const mapping = await this.integration.getRepository(TableMapping).findOneByOrFail({ name: queued.mappingName! });
    const side: SystemName = queued.direction === SyncDirection.FROM_CRM ? 'crm' : 'erp';
    let current = queued;
    try {
      const outcome = await this.engine.runResumable({
        jobId,
        mappingName: mapping.name,
        side,
        after: queued.resumeModifiedAt && queued.resumeKey ? { modifiedAt: queued.resumeModifiedAt, key: queued.resumeKey } : null,
        // A job that has begun once has its total counted; until then its start is when it was queued.
        startedAt: queued.estimatedTotal === null ? null : queued.startedAt,
        // The mapping's last job looks for couplings that lost a record, once all records were read.
        handleDeletions: !(mapping.direction === SyncDirection.BIDIRECTIONAL && side === 'erp'),
        begin: async (startedAt, total) => {
          const started = await this.states.start(jobId, { ...(queued.estimatedTotal === null ? { startedAt } : {}), estimatedTotal: total });
          if (!started) return false;
          current = started;
          await this.publisher.jobState(current, false);
          return true;
        },
        shouldContinue: async () => !stopping() && (await jobs.findOneBy({ id: jobId }))?.status === SyncJobStatus.RUNNING,
        onChunk: async (manager, chunk) => {
          current = await this.states.recordChunk(manager, jobId, chunk);
        },
        afterChunk: () => this.publisher.jobProgress(current),
        complete: async (counters) => {
          current = await this.states.succeed(jobId, counters);
        },
      });
      if (!outcome.completed) {
        const now = await jobs.findOneByOrFail({ id: jobId });
        if (now.status === SyncJobStatus.CANCELLED || now.status === SyncJobStatus.PAUSED) return this.finish(await this.states.stopped(jobId, outcome.counters));
        // Shutting down: back to the queue, to be resumed from the last committed chunk.
        const taken = await this.states.takeBack(this.integration.manager, jobId, [SyncJobStatus.RUNNING], 'Paused: its worker stopped; it resumes where it was', outcome.counters);
        if (taken) await this.publisher.jobState(taken, false);
        throw new JobInterrupted(`${mapping.name} ${queued.direction}: stopped between chunks`);
      }
      return this.finish(current);
    } catch (error) {
      // A lost connection (the database restarting) interrupts the job: it resumes from its last committed chunk.
      if (error instanceof JobInterrupted || isConnectionLost(error)) throw error;
      // Another run holds the mapping (an incremental or manual run): try again shortly.
      if (error instanceof DomainError && error.code === ErrorCode.SYNC_ALREADY_RUNNING) throw new JobInterrupted(error.message);
      return this.finish(await this.states.fail(jobId, error instanceof Error ? error.message : String(error), {}));
    }
  }

  private async finish(job: SyncJob): Promise<void> {
    await this.publisher.jobState(job, isFinished(job.status));
    await this.fullSync.jobFinished(job.runId!);
  }
}
