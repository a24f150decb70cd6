import type { DataSource } from 'typeorm';
import { SyncJob, SyncJobStatus } from '../../entities/integration/sync-job.entity';
import type { JobQueue } from '../jobs/job-queue';
import type { SyncJobStates } from '../jobs/sync-job-states';
import { logger } from '../observability/logger';
import { withMappingLock } from '../sync/mapping-lock';

/** How long after a worker took a job from the queue it must have started it (marked it running). */
const UNSTARTED_AFTER_MS = 30_000;

/**
 * Finds full-synchronisation jobs whose worker died. A running job's worker holds its mapping's
 * lock on a session that PostgreSQL ends with the process, so a job marked running whose lock is
 * free has nobody working on it: it goes back to the queue and resumes from its last chunk. So does
 * a job a worker took from the queue long ago and never started.
 */
export class AbandonedJobs {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly integration: DataSource,
    private readonly queue: JobQueue,
    private readonly states: SyncJobStates,
    /** Moves a run along (queues jobs whose parents finished); safe to repeat. */
    private readonly advance: (runId: string) => Promise<void>,
    private readonly checkEveryMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.recover().catch((error: unknown) => logger.error({ err: error }, 'abandoned-jobs check failed')), this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async recover(): Promise<number> {
    const jobs = this.integration.getRepository(SyncJob);
    let recovered = 0;
    const running = await jobs.find({ where: { status: SyncJobStatus.RUNNING }, select: { id: true, mappingName: true, runId: true } });
    for (const candidate of running.filter((job) => job.runId && job.mappingName)) {
      if (await this.requeueIfUnattended(candidate, SyncJobStatus.RUNNING)) recovered += 1;
    }
    // A worker that died after taking a job from the queue but before starting it left the job
    // ready, and taken as far as the queue knows, until the queue's expiry a day later. A live
    // worker starts a job within moments of taking it; one taken long ago is nobody's. So is a
    // ready job whose queue job is over: its worker recorded the end just as the job was handed
    // back, or the queue gave up retrying it.
    const ready = await jobs.find({ where: { status: SyncJobStatus.READY }, select: { id: true, mappingName: true, runId: true, queueJobId: true } });
    for (const candidate of ready.filter((job) => job.runId && job.mappingName && job.queueJobId)) {
      const standing = await this.queue.standing(candidate.queueJobId!);
      const nobodys = standing.kind === 'over' || (standing.kind === 'taken' && Date.now() - standing.since.getTime() > UNSTARTED_AFTER_MS);
      if (nobodys && (await this.requeueIfUnattended(candidate, SyncJobStatus.READY))) recovered += 1;
    }
    // A worker that died between finishing a job and queueing its dependants left the run waiting.
    const runs: Array<{ id: string }> = await this.integration.query(`SELECT id FROM integration.full_sync_run WHERE status = 'RUNNING'`);
    for (const run of runs) await this.advance(run.id);
    return recovered;
  }

  /**
   * Puts a job back in the queue if nobody works on it: its mapping's lock is free (a running job's
   * worker holds it on a session PostgreSQL ends with the process) and it is still in `status`.
   */
  private async requeueIfUnattended(candidate: Pick<SyncJob, 'id' | 'mappingName'>, status: SyncJobStatus): Promise<boolean> {
    const held = await withMappingLock(this.integration, candidate.mappingName!, async (session) => {
      // With the lock held nobody can be running it. A worker that has just let go of the lock
      // may be about to record the end, so the job goes back to the queue only if it is still as it was.
      const taken = await this.states.takeBack(session.manager, candidate.id, [status], 'Resumed: its worker stopped');
      if (!taken) return false;
      await this.states.carriedBy(session.manager, candidate.id, await this.queue.requeueFullSyncJob(taken.queueJobId, { jobId: candidate.id }));
      return true;
    });
    return held.locked && held.value;
  }
}
