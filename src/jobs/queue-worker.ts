import type PgBoss from 'pg-boss';
import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionLost } from '../db/retry-transient';
import { logger } from '../observability/logger';

/** How often, and how far apart at most, a job's outcome is sent again while the database is away (about five minutes in all). */
const OUTCOME_ATTEMPTS = 150;
const OUTCOME_MAX_DELAY_MS = 2_000;

/**
 * One queue's worker loop: takes a job, runs its handler, records the outcome, and waits for the
 * next poll (or a wake-up). pg-boss's own `work` records the outcome without waiting for it, so
 * with the database down (a restart) that write's failure is an unhandled rejection, which ends
 * the process. Here every step is awaited and a failure is logged: the loop goes on polling until
 * the database is back, and a job's outcome is sent again until the database takes it, so that
 * no job is left active behind a run that has ended.
 */
export class QueueWorker<T extends object> {
  private stopping = false;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private fetchFailed = false;

  constructor(
    private readonly boss: PgBoss,
    readonly queue: string,
    private readonly pollingIntervalMs: number,
    private readonly handler: (data: T) => Promise<void>,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Whether the last look for a job reached the job engine's tables (it did not while the database was down). */
  get fetching(): boolean {
    return this.loop !== null && !this.stopping && !this.fetchFailed;
  }

  /** Looks for a job now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Takes no more jobs; resolves once the job under way (if any) has ended and its outcome is recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      let job: PgBoss.Job<T> | undefined;
      let failure: unknown = null;
      try {
        [job] = await this.boss.fetch<T>(this.queue, { batchSize: 1, db: this.recordingFailure((error) => (failure = error)) });
      } catch (error) {
        failure = error;
      }
      if (failure !== null && !this.fetchFailed) logger.warn({ queue: this.queue, err: failure }, 'job engine: cannot fetch jobs; trying again at every poll');
      if (failure === null && this.fetchFailed) logger.info({ queue: this.queue }, 'job engine: fetching jobs again');
      this.fetchFailed = failure !== null;
      if (job) await this.runJob(job);
      else if (!this.woken && !this.stopping) await this.idle();
    }
  }

  /**
   * The engine's own connection, noting a failed statement: pg-boss's fetch swallows its errors
   * and answers "no job", which would hide a database that cannot be reached.
   */
  private recordingFailure(onError: (error: unknown) => void): PgBoss.Db {
    const db = this.boss.getDb();
    return {
      executeSql: (text, values) =>
        db.executeSql(text, values).catch((error: unknown) => {
          onError(error);
          throw error;
        }),
    };
  }

  private async runJob(job: PgBoss.Job<T>): Promise<void> {
    let failure: unknown = null;
    try {
      await this.handler(job.data);
    } catch (error) {
      failure = error;
    }
    const record = () =>
      failure === null
        ? this.boss.complete(this.queue, job.id)
        : this.boss.fail(this.queue, job.id, { name: (failure as Error)?.name, message: failure instanceof Error ? failure.message : String(failure) });
    for (let attempt = 1; ; attempt += 1) {
      try {
        await record();
        return;
      } catch (error) {
        // Both are idempotent, so sending one again after a lost connection is safe; given up, the job stays active until it expires.
        if (!isConnectionLost(error) || this.stopping || attempt >= OUTCOME_ATTEMPTS) {
          logger.error({ queue: this.queue, jobId: job.id, err: error }, 'job engine: cannot record how a job ended; it stays active until it expires');
          return;
        }
        if (attempt === 1) logger.warn({ queue: this.queue, jobId: job.id, err: error }, 'job engine: cannot record how a job ended yet; trying again until the database is back');
        await sleep(Math.min(OUTCOME_MAX_DELAY_MS, 100 * 2 ** attempt));
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, this.pollingIntervalMs);
      this.wakeUp = done;
    });
  }
}
