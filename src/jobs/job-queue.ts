import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { logger } from '../observability/logger';
import { QueueWorker } from './queue-worker';

/** The job engine's queues: pg-boss in the integration store's database, schema `pgboss`. */
export const Queue = {
  /** One full-synchronisation job (a SyncJob row) per queue job. */
  FULL_SYNC_JOB: 'full-sync-job',
  /** An incremental run of one mapping; one may wait behind the running one, per mapping. */
  INCREMENTAL_SYNC: 'incremental-sync',
  /** A run an operator asked for while its mapping was busy: it waits (as a WAITING job) for its turn. */
  SYNC_REQUEST: 'sync-request',
} as const;

export interface FullSyncJobData {
  readonly jobId: string;
}

export interface IncrementalSyncData {
  readonly mappingName: string;
  readonly reason: string;
}

export interface SyncRequestData {
  readonly jobId: string;
  /** The run as it was asked for (the engine's SyncRequest). */
  readonly request: object;
}

export type QueueJobStanding = { readonly kind: 'waiting' } | { readonly kind: 'taken'; readonly since: Date } | { readonly kind: 'over' };

/** What `/readyz` shows of the job engine. */
export interface JobEngineHealth {
  /** Started, and every worker of this process reached the queue at its last poll. */
  readonly running: boolean;
  /** This process's queue workers. */
  readonly workers: number;
  /** Queues whose worker could not fetch jobs at its last poll. */
  readonly failing: readonly string[];
}

export interface JobQueueOptions {
  /** Housekeeping only runs in workers; a gateway that only sends work leaves it to them. */
  readonly supervise: boolean;
}

/**
 * pg-boss, started on first use. Full-synchronisation jobs never expire while they run (a worker
 * that died is found through its released mapping lock instead, see the orphan check), and are
 * retried when their worker stops between chunks.
 */
export class JobQueue {
  private boss: Promise<PgBoss> | null = null;
  private stopped = false;
  /** This process's workers per queue, to wake when this process queues work for them. */
  private readonly workers = new Map<string, Array<QueueWorker<object>>>();

  constructor(
    private readonly url: string,
    private readonly options: JobQueueOptions,
  ) {}

  private started(): Promise<PgBoss> {
    // Work still finishing after a stop must not start a second engine nobody would stop.
    if (this.stopped) return Promise.reject(new Error('The job engine has stopped'));
    this.boss ??= (async () => {
      const boss = new PgBoss({
        connectionString: this.url,
        schema: 'pgboss',
        application_name: 'erp-crm-gateway:jobs',
        max: 4,
        supervise: this.options.supervise,
        schedule: false,
        maintenanceIntervalSeconds: 30,
        // Passed through to its pg pool (the typings omit it): a server that never answers fails the call instead of holding it.
        ...{ connectionTimeoutMillis: 10_000 },
      });
      boss.on('error', (error) => logger.warn({ err: error }, 'job engine error'));
      await boss.start();
      await boss.createQueue(Queue.FULL_SYNC_JOB, { name: Queue.FULL_SYNC_JOB, policy: 'standard', retryLimit: 1000, retryDelay: 1, expireInHours: 23 });
      // A waiting request is tried again every second while its mapping stays busy, for up to a day.
      await boss.createQueue(Queue.SYNC_REQUEST, { name: Queue.SYNC_REQUEST, policy: 'standard', retryLimit: 86_400, retryDelay: 1, expireInMinutes: 60 });
      await boss.createQueue(Queue.INCREMENTAL_SYNC, { name: Queue.INCREMENTAL_SYNC, policy: 'stately', retryLimit: 20, retryDelay: 1, expireInMinutes: 30 });
      return boss;
    })().catch((error: unknown) => {
      this.boss = null;
      throw error;
    });
    return this.boss;
  }

  /** Queues a full-synchronisation job in the caller's transaction, so it exists only if the transaction commits. */
  sendFullSyncJob(manager: EntityManager, data: FullSyncJobData): Promise<string> {
    return this.sendInTransaction(manager, Queue.FULL_SYNC_JOB, data);
  }

  /** Queues a run that waits for its busy mapping, in the caller's transaction (with its job row). */
  sendSyncRequest(manager: EntityManager, data: SyncRequestData): Promise<string> {
    return this.sendInTransaction(manager, Queue.SYNC_REQUEST, data);
  }

  private async sendInTransaction(manager: EntityManager, queue: string, data: { jobId: string }): Promise<string> {
    const boss = await this.started();
    const client = (await manager.queryRunner!.connect()) as { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
    const id = await boss.send(queue, data, { db: { executeSql: (text, values) => client.query(text, values) } });
    if (!id) throw new Error(`The job engine did not accept job ${data.jobId} (${queue})`);
    return id;
  }

  /** Asks for an incremental run of a mapping (after a delay); while one is already waiting, this one is that one. */
  async sendIncrementalSync(data: IncrementalSyncData, afterSeconds = 0): Promise<void> {
    const boss = await this.started();
    await boss.send(Queue.INCREMENTAL_SYNC, data, { singletonKey: data.mappingName, startAfter: afterSeconds });
  }

  async work<T extends object>(queue: string, pollingIntervalSeconds: number, handler: (data: T) => Promise<void>): Promise<void> {
    const worker = new QueueWorker<T>(await this.started(), queue, pollingIntervalSeconds * 1_000, handler);
    this.workers.set(queue, [...(this.workers.get(queue) ?? []), worker as QueueWorker<object>]);
    worker.start();
  }

  /** Wakes this process's workers of a queue now instead of at their next poll (other processes' poll). */
  async wake(queue: string): Promise<void> {
    if (this.stopped) return;
    for (const worker of this.workers.get(queue) ?? []) worker.wake();
  }

  /**
   * Where a full-synchronisation queue job stands: waiting to be taken (or taken again after its
   * retry delay), taken by a worker (since when), or over (ended, or gone).
   */
  async standing(queueJobId: string): Promise<QueueJobStanding> {
    const boss = await this.started();
    const job = await boss.getJobById(Queue.FULL_SYNC_JOB, queueJobId);
    if (job?.state === 'active') return { kind: 'taken', since: job.startedOn };
    return job?.state === 'created' || job?.state === 'retry' ? { kind: 'waiting' } : { kind: 'over' };
  }

  /**
   * A full-synchronisation job whose worker died: its queue job (still active as far as the queue
   * knows) goes back to the queue at once; one that is gone is replaced. Returns the queue job's id.
   */
  async requeueFullSyncJob(queueJobId: string | null, data: FullSyncJobData): Promise<string> {
    const boss = await this.started();
    const job = queueJobId ? await boss.getJobById(Queue.FULL_SYNC_JOB, queueJobId) : null;
    if (job?.state === 'active') await boss.fail(Queue.FULL_SYNC_JOB, job.id, { reason: 'its worker stopped' });
    if (job && (job.state === 'active' || job.state === 'created' || job.state === 'retry')) return job.id;
    const id = await boss.send(Queue.FULL_SYNC_JOB, data);
    if (!id) throw new Error(`The job engine did not accept full-synchronisation job ${data.jobId}`);
    return id;
  }

  /**
   * Starts the engine if nothing has yet (a gateway without a worker starts it on first use: it
   * must be able to queue work), then reports its workers. Throws when it cannot start.
   */
  async health(): Promise<JobEngineHealth> {
    if (this.stopped) return { running: false, workers: 0, failing: [] };
    await this.started();
    const workers = [...this.workers.values()].flat();
    const failing = workers.filter((worker) => !worker.fetching).map((worker) => worker.queue);
    return { running: failing.length === 0, workers: workers.length, failing: [...new Set(failing)] };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.workers.values()].flat().map((worker) => worker.stop()));
    this.workers.clear();
    if (!this.boss) return;
    const boss = await this.boss.catch(() => null);
    this.boss = null;
    await boss?.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
