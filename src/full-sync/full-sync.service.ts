import { randomUUID } from 'node:crypto';
import { requireUuid } from '../errors/input-checks';
import { In, IsNull, Not, QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { FullSyncRun, FullSyncRunStatus } from '../../entities/integration/full-sync-run.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import { SyncJob, SyncJobStatus, SyncJobType } from '../../entities/integration/sync-job.entity';
import type { SystemName } from '../connectors/system-connector';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { notFound, refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { retryTransient } from '../db/retry-transient';
import { Queue, type JobQueue } from '../jobs/job-queue';
import type { SyncJobStates } from '../jobs/sync-job-states';
import { isFinished } from '../progress/finished-status';
import type { ProgressPublisher } from '../progress/progress-publisher';
import { planJobs, prerequisitesOf, readiness, synchronisedMappings } from './full-sync-plan';

/** The unique index on runs under way refused a second one: FULL_SYNC_ALREADY_RUNNING with `message`. */
function refusingASecondRun(message: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof QueryFailedError && (error.driverError as { constraint?: string }).constraint === 'UQ_full_sync_run_running') {
      throw refused(ErrorCode.FULL_SYNC_ALREADY_RUNNING, message);
    }
    throw error;
  };
}

/** What a transaction changed, published once it has committed. */
interface Changes {
  readonly jobs: SyncJob[];
  run: FullSyncRun | null;
}

/**
 * Starts, pauses, resumes and cancels full synchronisations and moves their jobs along: a job is
 * queued when every job it depends on has succeeded, held when one of them failed, and the run
 * finishes with its last job. Each step locks the run's row, so workers finishing jobs at the same
 * moment take turns; the jobs' states are SyncJobStates'.
 */
export class FullSyncService {
  constructor(
    private readonly integration: DataSource,
    private readonly queue: JobQueue,
    private readonly states: SyncJobStates,
    private readonly publisher: ProgressPublisher,
    /** How many records one side of a mapping's full synchronisation would read now. */
    private readonly toRead: (mappingName: string, side: SystemName) => Promise<number>,
  ) {}

  async start(requestedBy: string): Promise<FullSyncRun> {
    // What each job will read, counted before the run starts, so that its progress has a total from the outset.
    const planned = await Promise.all(
      planJobs(await synchronisedMappings(this.integration.manager)).map(async (job) => ({
        ...job,
        total: await this.toRead(job.mappingName, job.direction === SyncDirection.TO_CRM ? 'erp' : 'crm'),
      })),
    );
    const changes = await this.integration
      .transaction(async (manager) => {
        const now = new Date();
        const run = manager.create(FullSyncRun, {
          id: randomUUID(),
          status: FullSyncRunStatus.RUNNING,
          startedAt: now,
          finishedAt: null,
          requestedBy: requestedBy.slice(0, 100),
          message: null,
          rateSince: now,
          processedAtRateSince: 0,
        });
        await manager.insert(FullSyncRun, run);
        // A new run supersedes a cancelled one: its mappings run again, automatically too.
        await manager.update(TableMapping, { suspendedByRunId: Not(IsNull()) }, { suspendedByRunId: null });
        const jobs = await this.states.createWaiting(
          manager,
          planned.map((job) => ({
            type: SyncJobType.SYNC,
            runId: run.id,
            mappingName: job.mappingName,
            direction: job.direction,
            requestedBy: run.requestedBy,
            startedAt: now,
            plannedTotal: job.total,
          })),
        );
        const changes = await this.advance(manager, run.id);
        return { run: changes.run ?? run, jobs: jobs.map((job) => changes.jobs.find((changed) => changed.id === job.id) ?? job) };
      })
      .catch(refusingASecondRun('A full synchronisation is running or paused; wait for it to finish, resume it, or cancel its jobs'));
    await this.publish(changes);
    return changes.run!;
  }

  /**
   * Cancels a job of a full synchronisation, or a run waiting for its busy mapping. A waiting or
   * queued job stops at once; a running one stops after the chunk it is writing, so nothing is
   * left half-written. Jobs depending on it are held, and its mapping gets no automatic runs
   * (change notifications, the schedule) until the run is resumed.
   */
  async cancelJob(jobId: string, requestedBy: string): Promise<SyncJob> {
    const { job, changes } = await this.integration.transaction(async (manager) => {
      // The mapping's row before the job's: a chunk's transaction moves the watermark, then the job.
      const unlocked = await this.findJob(manager, jobId, false);
      if (unlocked.runId) await manager.update(TableMapping, { name: unlocked.mappingName! }, { suspendedByRunId: unlocked.runId });
      const found = await this.findJob(manager, jobId, true);
      const waitingRequest = !found.runId && found.status === SyncJobStatus.WAITING && found.queueJobId !== null;
      if ((!found.runId && !waitingRequest) || isFinished(found.status)) {
        throw refused(
          ErrorCode.JOB_NOT_CANCELLABLE,
          found.runId || waitingRequest
            ? `The job has finished (${found.status})`
            : "Only background jobs can be cancelled: a full synchronisation's, or a run waiting for its mapping",
        );
      }
      const job = (await this.states.cancel(manager, found, requestedBy))!;
      if (!job.runId) return { job, changes: { jobs: [job], run: null } };
      // A running job's worker holds it back until its chunk is written, then moves the run on.
      return { job, changes: found.status === SyncJobStatus.RUNNING ? { jobs: [job], run: null } : await this.advance(manager, job.runId, [job]) };
    });
    await this.publish(changes);
    return job;
  }

  /**
   * Pauses a full synchronisation: jobs not started wait, running ones stop after the chunk they
   * are writing, each keeping its committed position; its mappings get no automatic runs meanwhile.
   */
  async pause(runId: string, requestedBy: string): Promise<FullSyncRun> {
    const changes = await this.integration.transaction(async (manager) => {
      const run = await this.lockRun(manager, runId);
      if (run.status !== FullSyncRunStatus.RUNNING) throw refused(ErrorCode.RUN_NOT_PAUSABLE, `The full synchronisation is ${run.status}; only a running one can be paused`);
      const unfinished = await manager.find(SyncJob, { where: { runId, status: In([SyncJobStatus.WAITING, SyncJobStatus.READY, SyncJobStatus.RUNNING]) } });
      // The mappings' rows before the jobs': a chunk's transaction moves the watermark, then the job.
      await manager.update(TableMapping, { name: In([...new Set(unfinished.map((job) => job.mappingName!))]) }, { suspendedByRunId: runId });
      const paused: SyncJob[] = [];
      for (const job of unfinished) {
        const moved = await this.states.pause(manager, job, requestedBy);
        if (moved) paused.push(moved);
      }
      Object.assign(run, { status: FullSyncRunStatus.PAUSED, message: `Paused by ${requestedBy}` });
      await manager.save(FullSyncRun, run);
      return { jobs: paused, run };
    });
    await this.publish(changes);
    return changes.run;
  }

  /**
   * Resumes a paused or cancelled full synchronisation: its paused, cancelled and held jobs wait
   * again for their turn and continue from their committed position; automatic runs of its
   * mappings start again.
   */
  async resume(runId: string, requestedBy: string): Promise<FullSyncRun> {
    const changes = await this.integration
      .transaction(async (manager) => {
        const run = await this.lockRun(manager, runId);
        const latest = await manager.findOne(FullSyncRun, { where: {}, order: { startedAt: 'DESC' } });
        const resumable = run.status === FullSyncRunStatus.PAUSED || (run.status === FullSyncRunStatus.CANCELLED && latest?.id === run.id);
        if (!resumable)
          throw refused(
            ErrorCode.RUN_NOT_RESUMABLE,
            `The full synchronisation is ${run.status}${run.status === FullSyncRunStatus.CANCELLED ? ' and a later one has started' : ''}; only a paused run, or the latest cancelled one, can be resumed`,
          );
        await manager.update(TableMapping, { suspendedByRunId: runId }, { suspendedByRunId: null });
        const resumed: SyncJob[] = [];
        for (const job of await manager.find(SyncJob, { where: { runId, status: In([SyncJobStatus.PAUSED, SyncJobStatus.CANCELLED]) } })) {
          const moved = await this.states.resume(manager, job, requestedBy);
          if (moved) resumed.push(moved);
        }
        // The run's rate is measured afresh: the pause is not time spent reading.
        const [{ processed }]: Array<{ processed: number }> = await manager.query(
          `SELECT coalesce(sum(processed), 0)::int AS processed FROM integration.sync_job WHERE run_id = $1`,
          [runId],
        );
        Object.assign(run, { status: FullSyncRunStatus.RUNNING, finishedAt: null, message: `Resumed by ${requestedBy}`, rateSince: new Date(), processedAtRateSince: processed });
        await manager.save(FullSyncRun, run);
        const moved = await this.advance(manager, runId, resumed);
        return { jobs: moved.jobs, run: moved.run ?? run };
      })
      .catch(refusingASecondRun('Another full synchronisation is running or paused'));
    await this.publish(changes);
    return changes.run!;
  }

  /** After a job finished: queues the jobs now free to start, holds those whose parent failed, finishes the run. */
  async jobFinished(runId: string): Promise<void> {
    await this.publish(await retryTransient('full synchronisation run', () => this.integration.transaction((manager) => this.advance(manager, runId))));
  }

  /** Whether a full synchronisation is running or paused: it decides the order records move in, and changes wait for it. */
  async isRunning(): Promise<boolean> {
    return this.integration.getRepository(FullSyncRun).existsBy({ status: In([FullSyncRunStatus.RUNNING, FullSyncRunStatus.PAUSED]) });
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

  private async findJob(manager: EntityManager, jobId: string, lock: boolean): Promise<SyncJob> {
    requireUuid(jobId, 'id', 'job id');
    const job = await manager.findOne(SyncJob, { where: { id: jobId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!job) throw notFound(`No job with id ${jobId}`, { argument: 'id' });
    return job;
  }

  private async lockRun(manager: EntityManager, runId: string): Promise<FullSyncRun> {
    requireUuid(runId, 'runId', 'run id');
    const run = await manager.findOne(FullSyncRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
    if (!run) throw notFound(`No full synchronisation with id ${runId}`, { argument: 'runId' });
    return run;
  }

  private async advance(manager: EntityManager, runId: string, alreadyChanged: SyncJob[] = []): Promise<Changes> {
    const run = await manager.findOne(FullSyncRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
    if (!run || run.status !== FullSyncRunStatus.RUNNING) return { jobs: alreadyChanged, run: null };
    const mappings = new Map((await synchronisedMappings(manager)).map((mapping) => [mapping.name, mapping]));
    const jobs = await manager.find(SyncJob, { where: { runId }, order: { startedAt: 'ASC', id: 'ASC' } });
    const changed = new Map(alreadyChanged.map((job) => [job.id, job]));
    // Holding a job may hold its dependants in turn, so look again until nothing moves.
    for (let moved = true; moved;) {
      moved = false;
      for (const job of jobs.filter((j) => j.status === SyncJobStatus.WAITING)) {
        const state = readiness(prerequisitesOf(job, jobs, mappings));
        if (state.kind === 'WAITING') continue;
        const now =
          state.kind === 'HELD'
            ? await this.states.hold(manager, job.id, state.reason)
            : await this.states.queue(manager, job.id, await this.queue.sendFullSyncJob(manager, { jobId: job.id }));
        if (!now) continue;
        Object.assign(job, now);
        changed.set(job.id, job);
        moved = true;
      }
    }
    let finishedRun: FullSyncRun | null = null;
    if (jobs.every((job) => isFinished(job.status))) {
      const failed = jobs.filter((job) => job.status === SyncJobStatus.FAILED).length;
      const cancelled = jobs.filter((job) => job.status === SyncJobStatus.CANCELLED).length;
      run.status = failed > 0 ? FullSyncRunStatus.FAILED : cancelled > 0 ? FullSyncRunStatus.CANCELLED : FullSyncRunStatus.SUCCEEDED;
      run.finishedAt = new Date();
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
