import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { logger, withoutPassword } from '../observability/logger';
import { errorCode, isConnectionLost } from './retry-transient';

/** How a store is reached at start-up, and what a person should change when it cannot be. */
export interface StoreConnectOptions {
  /** Per attempt: a server that accepts the connection and never answers is given up on after this. */
  readonly timeoutMs: number;
  /** Attempts in all; the delay between them doubles from half a second (at most 5 s). */
  readonly attempts: number;
  /** The environment variable the store's URL came from, named in the message when it cannot be reached. */
  readonly variable: string;
}

export const DEFAULT_CONNECT: Omit<StoreConnectOptions, 'variable'> = { timeoutMs: 10_000, attempts: 5 };

/** A store that could not be reached at start-up: the message says which, where, why, and which variable to check. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running on that host and port?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'the connection timed out',
  '3D000': 'the database does not exist',
  '28P01': 'password authentication failed',
  '28000': 'the server refused the user',
  '57P03': 'the server is starting up',
};

function reason(error: unknown, timeoutMs: number): string {
  const code = errorCode(error);
  if (code && REASONS[code]) return REASONS[code]!;
  const message = error instanceof Error ? error.message : String(error);
  if (/timeout/i.test(message)) return `no answer within ${timeoutMs / 1000} s`;
  return message;
}

/**
 * Opens a data source's pool, trying again with backoff while the server cannot be reached (not
 * running yet, restarting, unreachable); a refusal that waiting cannot mend (no such database,
 * wrong password) fails at once. Either way the failure is one StoreUnavailableError naming the
 * store, its URL without password, and the variable to check.
 */
export async function connectStore(store: string, dataSource: DataSource, options: StoreConnectOptions): Promise<void> {
  const url = withoutPassword((dataSource.options as { url: string }).url);
  for (let attempt = 1; ; attempt += 1) {
    try {
      await dataSource.initialize();
      return;
    } catch (error) {
      const why = reason(error, options.timeoutMs);
      if (!isConnectionLost(error) || attempt >= options.attempts) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        throw new StoreUnavailableError(`Cannot connect to the ${store} store at ${url}: ${why}${tries}. Check ${options.variable}.`);
      }
      const delay = Math.min(5_000, 500 * 2 ** (attempt - 1));
      logger.warn({ store, url, attempt, retryInMs: delay, reason: why }, `cannot connect to the ${store} store yet; trying again`);
      await sleep(delay);
    }
  }
}
