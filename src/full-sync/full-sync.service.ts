import { randomUUID } from 'node:crypto';
import { requireUuid } from '../errors/input-checks';
import { In, QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { FullSyncRun, FullSyncRunStatus } from '../../entities/integration/full-sync-run.entity';
import { SyncJob, SyncJobStatus, SyncJobType } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { notFound, refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { Queue, type JobQueue } from '../jobs/job-queue';
import { transferredMappings } from '../mappings/standard-mappings';
import { isFinished } from '../progress/progress-event';
import type { ProgressPublisher } from '../progress/progress-publisher';
import { planJobs, prerequisitesOf, readiness, type PlannedMapping } from './full-sync-plan';

/** What a transaction changed, published once it has committed. */
interface Changes {
  readonly jobs: SyncJob[];
  run: FullSyncRun | null;
}

/**
 * Starts full synchronisations and moves their jobs along: a job is queued when every job it
 * depends on has succeeded, held when one of them failed, and the run finishes with its last job.
 * Each step locks the run's row, so workers finishing jobs at the same moment take turns.
 */
export class FullSyncService {
  constructor(
    private readonly integration: DataSource,
    private readonly queue: JobQueue,
    private readonly publisher: ProgressPublisher,
  ) {}

  async start(requestedBy: string): Promise<FullSyncRun> {
    const changes = await this.integration
      .transaction(async (manager) => {
        const now = new Date();
        const run = manager.create(FullSyncRun, { id: randomUUID(), status: FullSyncRunStatus.RUNNING, startedAt: now, finishedAt: null, requestedBy: requestedBy.slice(0, 100), message: null });
        await manager.insert(FullSyncRun, run);
        const mappings = await this.synchronisedMappings(manager);
        const jobs = planJobs(mappings).map((planned) =>
          manager.create(SyncJob, {
            id: randomUUID(),
            runId: run.id,
            mappingName: planned.mappingName,
            type: SyncJobType.SYNC,
            direction: planned.direction,
            status: SyncJobStatus.WAITING,
            startedAt: now,
            finishedAt: null,
            message: null,
            requestedBy: run.requestedBy,
            modifiedAt: now,
            modifiedBy: 'full-sync',
          }),
        );
        await manager.insert(SyncJob, jobs);
        const changes = await this.advance(manager, run.id);
        return { run: changes.run ?? run, jobs: jobs.map((job) => changes.jobs.find((changed) => changed.id === job.id) ?? job) };
      })
      .catch((error: unknown) => {
        if (error instanceof QueryFailedError && (error.driverError as { constraint?: string }).constraint === 'UQ_full_sync_run_running') {
          throw refused(ErrorCode.FULL_SYNC_ALREADY_RUNNING, 'A full synchronisation is running; wait for it to finish or cancel its jobs');
        }
        throw error;
      });
    await this.publish(changes);
    return changes.run!;
  }

  /**
   * Cancels a job of a full synchronisation. A waiting or queued job stops at once; a running one
   * stops after the chunk it is writing, so nothing is left half-written. Jobs depending on it are held.
   */
  async cancelJob(jobId: string, requestedBy: string): Promise<SyncJob> {
    requireUuid(jobId, 'id', 'job id');
    const { job, changes } = await this.integration.transaction(async (manager) => {
      const job = await manager.findOne(SyncJob, { where: { id: jobId }, lock: { mode: 'pessimistic_write' } });
      if (!job) throw notFound(`No job with id ${jobId}`, { argument: 'id' });
      if (!job.runId || isFinished(job.status)) {
        throw refused(ErrorCode.JOB_NOT_CANCELLABLE, job.runId ? `The job has finished (${job.status})` : 'Only jobs of a full synchronisation run in the background');
      }
      const running = job.status === SyncJobStatus.RUNNING;
      job.status = SyncJobStatus.CANCELLED;
      job.message = `Cancelled by ${requestedBy}${running ? '; it stops after the chunk it is writing' : ''}`;
      job.finishedAt = running ? null : new Date();
      job.modifiedAt = new Date();
      await manager.save(SyncJob, job);
      // A running job's worker holds it back until its chunk is written, then moves the run on.
      return { job, changes: running ? { jobs: [job], run: null } : await this.advance(manager, job.runId, [job]) };
    });
    await this.publish(changes);
    return job;
  }

  /** After a job finished: queues the jobs now free to start, holds those whose parent failed, finishes the run. */
  async jobFinished(runId: string): Promise<void> {
    await this.publish(await this.integration.transaction((manager) => this.advance(manager, runId)));
  }

  async isRunning(): Promise<boolean> {
    return this.integration.getRepository(FullSyncRun).existsBy({ status: FullSyncRunStatus.RUNNING });
  }

  runById(id: string): Promise<FullSyncRun | null> {
    requireUuid(id, 'runId', 'run id');
    return this.integration.getRepository(FullSyncRun).findOneBy({ id });
  }

  /** The run under way, else the latest. */
  async currentRun(): Promise<FullSyncRun | null> {
    return this.integration.getRepository(FullSyncRun).findOne({ where: {}, order: { startedAt: 'DESC' } });
  }

  jobsOf(runIds: readonly string[]): Promise<SyncJob[]> {
    return this.integration.getRepository(SyncJob).find({ where: { runId: In([...runIds]) }, order: { startedAt: 'ASC' } });
  }

  private async synchronisedMappings(manager: EntityManager): Promise<PlannedMapping[]> {
    const mappings = await manager.find(TableMapping, { order: { sequence: 'ASC' } });
    return mappings.filter((mapping) => !transferredMappings.has(mapping.name));
  }

  private async advance(manager: EntityManager, runId: string, alreadyChanged: SyncJob[] = []): Promise<Changes> {
    const run = await manager.findOne(FullSyncRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
    if (!run || run.status !== FullSyncRunStatus.RUNNING) return { jobs: alreadyChanged, run: null };
    const mappings = new Map((await this.synchronisedMappings(manager)).map((mapping) => [mapping.name, mapping]));
    const jobs = await manager.find(SyncJob, { where: { runId }, order: { startedAt: 'ASC', id: 'ASC' } });
    const changed = new Map(alreadyChanged.map((job) => [job.id, job]));
    const now = new Date();
    // Holding a job may hold its dependants in turn, so look again until nothing moves.
    for (let moved = true; moved; ) {
      moved = false;
      for (const job of jobs.filter((j) => j.status === SyncJobStatus.WAITING)) {
        const state = readiness(prerequisitesOf(job, jobs, mappings));
        if (state.kind === 'WAITING') continue;
        if (state.kind === 'HELD') Object.assign(job, { status: SyncJobStatus.CANCELLED, message: state.reason, finishedAt: now });
        else Object.assign(job, { status: SyncJobStatus.READY, queueJobId: await this.queue.sendFullSyncJob(manager, { jobId: job.id }) });
        job.modifiedAt = now;
        await manager.update(SyncJob, { id: job.id }, { status: job.status, message: job.message, finishedAt: job.finishedAt, queueJobId: job.queueJobId, modifiedAt: now });
        changed.set(job.id, job);
        moved = true;
      }
    }
    let finishedRun: FullSyncRun | null = null;
    if (jobs.every((job) => isFinished(job.status))) {
      const failed = jobs.filter((job) => job.status === SyncJobStatus.FAILED).length;
      const cancelled = jobs.filter((job) => job.status === SyncJobStatus.CANCELLED).length;
      run.status = failed > 0 ? FullSyncRunStatus.FAILED : cancelled > 0 ? FullSyncRunStatus.CANCELLED : FullSyncRunStatus.SUCCEEDED;
      run.finishedAt = now;
      run.message = failed + cancelled > 0 ? `${failed} job(s) failed, ${cancelled} cancelled or held, of ${jobs.length}` : `${jobs.length} jobs succeeded`;
      await manager.save(FullSyncRun, run);
      finishedRun = run;
    }
    return { jobs: [...changed.values()], run: finishedRun };
  }

  private async publish(changes: Changes): Promise<void> {
    // Jobs just queued start now if this process has a worker, not at its next poll.
    if (changes.jobs.some((job) => job.status === SyncJobStatus.READY)) await this.queue.wake(Queue.FULL_SYNC_JOB);
    for (const job of changes.jobs) await this.publisher.jobState(job, isFinished(job.status) && job.finishedAt !== null);
    if (changes.run) await this.publisher.runState(changes.run, isFinished(changes.run.status));
  }
}
