import type { Pool, PoolClient } from 'pg';

/** Heard while a connection is held; the statement under way reports the loss itself. */
const lost = () => undefined;

/**
 * Runs `work` on a connection of `pool`'s held for it alone. pg-pool listens for errors only on
 * idle connections, and pg reports a connection that drops under a statement (a network cut, a
 * killed server process) to the statement and also as an error event on the connection: unheard,
 * that event ends the process. A connection whose work failed is not handed out again, as
 * pool.query does: it may be gone, or left inside a transaction.
 */
export async function withHeldConnection<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  client.on('error', lost);
  let failed = true;
  try {
    const result = await work(client);
    failed = false;
    return result;
  } finally {
    client.removeListener('error', lost);
    client.release(failed);
  }
}
