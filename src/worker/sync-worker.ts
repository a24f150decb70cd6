import type { DataSource } from 'typeorm';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { FullSyncJobRunner } from '../full-sync/full-sync-job.runner';
import type { FullSyncService } from '../full-sync/full-sync.service';
import { Queue, type FullSyncJobData, type IncrementalSyncData, type JobQueue, type SyncRequestData } from '../jobs/job-queue';
import type { SyncJobStates } from '../jobs/sync-job-states';
import type { MappingRunService } from '../mapping-runs/mapping-runs.service';
import type { SyncEngine } from '../sync/sync-engine';
import { SyncMode } from '../sync/sync-mode';
import type { SyncRequest } from '../sync/sync-request';
import { FieldHistoryRetention } from '../lineage/field-history-retention';
import { AbandonedJobs } from './abandoned-jobs';
import { ChangePropagation } from './change-propagation';
import { IncrementalSchedule } from './incremental-schedule';

/** How long a change waits while a full synchronisation runs before it asks again. */
const FULL_SYNC_RETRY_SECONDS = 5;

export interface WorkerOptions {
  /** How often an idle worker looks for queued jobs it was not woken for. */
  readonly pollingIntervalSeconds: number;
  /** How long the first change of a mapping waits for others to ride on the same incremental run. */
  readonly changeWindowMs: number;
  /** How often the worker looks for abandoned jobs, mappings due a scheduled run and field lineage past its retention. */
  readonly housekeepingMs: number;
  /** Days field lineage is kept; 0 keeps it forever. */
  readonly fieldHistoryRetentionDays: number;
}

/**
 * A background worker: runs full-synchronisation jobs, incremental runs and runs that waited for
 * their mapping from the job engine, turns change notifications into incremental runs, and
 * resumes jobs of workers that died. Any number of them, in any number of processes, share the
 * work through the queue.
 */
export class SyncWorker {
  private stopping = false;
  private readonly changes: ChangePropagation;
  private readonly schedule: IncrementalSchedule;
  private readonly abandoned: AbandonedJobs;
  private readonly retention: FieldHistoryRetention;

  constructor(
    storeUrls: { readonly erp: string; readonly crm: string },
    private readonly integration: DataSource,
    private readonly queue: JobQueue,
    states: SyncJobStates,
    private readonly engine: SyncEngine,
    private readonly mappingRuns: MappingRunService,
    private readonly runner: FullSyncJobRunner,
    private readonly fullSync: FullSyncService,
    private readonly options: WorkerOptions,
  ) {
    const request = (mappingName: string, reason: string) => this.requestIncremental(mappingName, reason);
    this.changes = new ChangePropagation(storeUrls, integration, request, options.changeWindowMs);
    this.schedule = new IncrementalSchedule(integration, request, options.housekeepingMs);
    this.abandoned = new AbandonedJobs(integration, queue, states, (runId) => fullSync.jobFinished(runId), options.housekeepingMs);
    this.retention = new FieldHistoryRetention(integration, options.fieldHistoryRetentionDays, options.housekeepingMs);
  }

  async start(): Promise<void> {
    await this.abandoned.recover();
    await this.queue.work<FullSyncJobData>(Queue.FULL_SYNC_JOB, this.options.pollingIntervalSeconds, ({ jobId }) => this.runner.run(jobId, () => this.stopping));
    await this.queue.work<IncrementalSyncData>(Queue.INCREMENTAL_SYNC, this.options.pollingIntervalSeconds, (data) => this.runIncremental(data));
    // While the mapping is still busy the engine throws, and the job engine tries again in a second.
    await this.queue.work<SyncRequestData>(Queue.SYNC_REQUEST, this.options.pollingIntervalSeconds, ({ jobId, request }) =>
      this.engine.runQueued(jobId, request as SyncRequest).then(() => undefined),
    );
    await this.changes.start();
    this.schedule.start();
    this.abandoned.start();
    this.retention.start();
  }

  /** Stops taking work; a job under way stops after its current chunk and goes back to the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.schedule.stop();
    this.abandoned.stop();
    this.retention.stop();
    await this.changes.stop();
    await this.queue.stop();
  }

  private async requestIncremental(mappingName: string, reason: string): Promise<void> {
    await this.queue.sendIncrementalSync({ mappingName, reason });
    // The change arrived here, so this process's worker need not wait for its next poll.
    if (!this.stopping) await this.queue.wake(Queue.INCREMENTAL_SYNC);
  }

  private async runIncremental({ mappingName, reason }: IncrementalSyncData): Promise<void> {
    if (await this.fullSync.isRunning()) {
      // A full synchronisation decides the order records move in; changes made meanwhile follow it.
      await this.queue.sendIncrementalSync({ mappingName, reason }, FULL_SYNC_RETRY_SECONDS);
      return;
    }
    // An operator cancelled or paused the mapping's full-synchronisation job: nothing runs it until its run is resumed.
    if ((await this.integration.getRepository(TableMapping).findOneBy({ name: mappingName }))?.suspendedByRunId) return;
    try {
      await this.mappingRuns.run(mappingName, SyncMode.INCREMENTAL, `worker (${reason})`, 'retry');
    } catch (error) {
      // Another run has the mapping: the queue tries again in a moment. Sales orders wait for
      // Automatically Create Sales Orders to be switched on. Anything else is in the job log.
      if (error instanceof DomainError && error.code === ErrorCode.SYNC_ALREADY_RUNNING) throw error;
    }
  }
}
