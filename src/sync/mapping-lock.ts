import type { DataSource, QueryRunner } from 'typeorm';

/**
 * The name of the advisory lock one run of a mapping holds for its whole duration (taken with
 * `pg_try_advisory_lock(hashtext(name))` on a session of the integration store): one writer per
 * mapping across every process, released by PostgreSQL when the holder's session ends.
 */
export const mappingLockName = (mappingName: string): string => `sync:${mappingName}`;

export type Locked<T> = { readonly locked: true; readonly value: T } | { readonly locked: false };

/**
 * Runs `work` holding the mapping's lock, on the session that holds it; does nothing when another
 * session holds the lock. A worker that dies leaves the lock with its session, so a running job's
 * lock held by nobody means nobody runs it (see the abandoned-jobs check).
 */
export async function withMappingLock<T>(integration: DataSource, mappingName: string, work: (session: QueryRunner) => Promise<T>): Promise<Locked<T>> {
  const session = integration.createQueryRunner();
  await session.connect();
  try {
    const [{ locked }] = await session.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [mappingLockName(mappingName)]);
    if (!locked) return { locked: false };
    try {
      return { locked: true, value: await work(session) };
    } finally {
      await session.query('SELECT pg_advisory_unlock(hashtext($1))', [mappingLockName(mappingName)]).catch(() => {});
    }
  } finally {
    await session.release();
  }
}

/**
 * Runs `work` holding the mapping's lock, waiting for it when another session holds it: for work
 * that is short and must not be refused, such as transferring sales orders, where two transfers
 * of the same order one after the other find it transferred instead of both creating it.
 */
export async function whileHoldingMappingLock<T>(integration: DataSource, mappingName: string, work: () => Promise<T>): Promise<T> {
  const session = integration.createQueryRunner();
  await session.connect();
  try {
    await session.query('SELECT pg_advisory_lock(hashtext($1))', [mappingLockName(mappingName)]);
    try {
      return await work();
    } finally {
      await session.query('SELECT pg_advisory_unlock(hashtext($1))', [mappingLockName(mappingName)]).catch(() => {});
    }
  } finally {
    await session.release();
  }
}
