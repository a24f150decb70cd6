import type { DataSource } from 'typeorm';

/** What the integration store says about background work, read at scrape time (so it covers every worker process). */
export interface StoreState {
  /** Synchronisation jobs per status. */
  readonly jobs: ReadonlyArray<{ status: string; count: number }>;
  /** Records per mapping and outcome, summed over the job log. */
  readonly records: ReadonlyArray<{ mapping: string; outcome: string; count: number }>;
  /** Queue jobs not yet finished, per queue and state. */
  readonly queue: ReadonlyArray<{ queue: string; state: string; count: number }>;
}

const OUTCOMES = ['inserted', 'modified', 'deleted', 'unchanged', 'skipped', 'failed'] as const;

/** A scrape must not wait on a busy store for long; its other series are served anyway. */
const STATEMENT_TIMEOUT_MS = 2_000;

export async function readStoreState(integration: DataSource): Promise<StoreState> {
  return integration.transaction(async (manager) => {
    await manager.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
    const jobs: Array<{ status: string; count: number }> = await manager.query(`SELECT status, count(*)::int AS count FROM integration.sync_job GROUP BY status`);
    const sums: Array<Record<string, string | number>> = await manager.query(
      `SELECT coalesce(mapping_name, '') AS mapping, ${OUTCOMES.map((o) => `sum(${o})::bigint AS ${o}`).join(', ')}
         FROM integration.sync_job GROUP BY 1`,
    );
    const [{ present }] = await manager.query(`SELECT to_regclass('pgboss.job') IS NOT NULL AS present`);
    const queue: Array<{ queue: string; state: string; count: number }> = present
      ? await manager.query(`SELECT name AS queue, state::text AS state, count(*)::int AS count FROM pgboss.job WHERE state < 'completed' GROUP BY 1, 2`)
      : [];
    const records = sums.flatMap((row) => OUTCOMES.map((outcome) => ({ mapping: String(row.mapping), outcome, count: Number(row[outcome]) })));
    return { jobs, records, queue };
  });
}
