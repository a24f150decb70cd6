import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '../observability/logger';

/** Deadlock detected, serialization failure: PostgreSQL rolled the transaction back, and trying it again may succeed. */
const CONFLICT_CODES = new Set(['40P01', '40001']);

/**
 * A lost or refused connection: the server is restarting (57P01 admin shutdown, 57P02, 57P03
 * starting up), the network failed, or pg gave up connecting. Unlike a conflict, a statement cut
 * off this way may or may not have committed, so it is not simply sent again.
 */
const CONNECTION_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout expired|Client has encountered a connection error|not queryable|terminating connection|the database system is (starting up|shutting down)/i;

/** The PostgreSQL (or socket) error code of an error, through TypeORM's QueryFailedError wrapper. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  const driver = (error as { driverError?: unknown }).driverError;
  return driver && driver !== error ? errorCode(driver) : undefined;
}

export function isTransientConflict(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && CONFLICT_CODES.has(code);
}

export function isConnectionLost(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  return error instanceof Error && CONNECTION_MESSAGES.test(error.message);
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * Runs `work` (a whole transaction, or one statement outside any) and runs it again when
 * PostgreSQL rolled it back for a deadlock or a serialization failure, after a random delay
 * that doubles with each try ("full jitter", so that the transactions that collided do not
 * collide again). Anything else, and the last conflict, is thrown.
 */
export async function retryTransient<T>(what: string, work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 25;
  const max = options.maxDelayMs ?? 2_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      const delay = Math.round(Math.random() * Math.min(max, base * 2 ** attempt));
      logger.warn({ what, code: errorCode(error), attempt, delayMs: delay }, `${what}: transaction rolled back by PostgreSQL (${errorCode(error)}), trying again`);
      await sleep(delay);
    }
  }
}
