import type { DataSource } from 'typeorm';
import { SyncJob, SyncJobStatus } from '../../entities/integration/sync-job.entity';
import { mappingLockName } from '../sync/mapping-lock';
import type { JobQueue } from './job-queue';

/**
 * Finds full-synchronisation jobs whose worker died. A running job's worker holds its mapping's
 * lock on a session that PostgreSQL ends with the process, so a job marked running whose lock is
 * free has nobody working on it: it goes back to the queue and resumes from its last chunk.
 */
export class AbandonedJobs {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly integration: DataSource,
    private readonly queue: JobQueue,
    private readonly checkEveryMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.recover().catch((error: unknown) => console.error('abandoned jobs:', error)), this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async recover(): Promise<number> {
    const running = await this.integration.getRepository(SyncJob).find({ where: { status: SyncJobStatus.RUNNING }, select: { id: true, mappingName: true, runId: true } });
    let recovered = 0;
    for (const candidate of running.filter((job) => job.runId && job.mappingName)) {
      const session = this.integration.createQueryRunner();
      await session.connect();
      try {
        const [{ locked }] = await session.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [mappingLockName(candidate.mappingName!)]);
        if (!locked) continue;
        try {
          // With the lock held nobody can be running it; the status tells whether it was left mid-way.
          const job = await session.manager.findOneBy(SyncJob, { id: candidate.id });
          if (job?.status !== SyncJobStatus.RUNNING) continue;
          const queueJobId = await this.queue.requeueFullSyncJob(job.queueJobId, { jobId: job.id });
          await session.manager.update(SyncJob, { id: job.id }, { status: SyncJobStatus.READY, queueJobId, message: 'Resumed: its worker stopped', modifiedAt: new Date() });
          recovered += 1;
        } finally {
          await session.query('SELECT pg_advisory_unlock(hashtext($1))', [mappingLockName(candidate.mappingName!)]);
        }
      } finally {
        await session.release();
      }
    }
    return recovered;
  }
}
