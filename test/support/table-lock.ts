import { Client } from 'pg';

/**
 * An exclusive lock on `table`, held in a transaction of its own until `release`: statements that
 * read the table wait behind it. Watch them from another connection: within this transaction
 * pg_stat_activity keeps what it showed at its first read.
 */
export async function lockTable(databaseUrl: string, table: string): Promise<{ release: () => Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}
