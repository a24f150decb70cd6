import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { eventually } from './subscriptions';

export const WORKER_MAIN = path.join(__dirname, '..', '..', 'src', 'worker', 'worker.main.js');
export const GATEWAY_MAIN = path.join(__dirname, '..', '..', 'src', 'server', 'main.js');

/** One statement on a connection of its own: works across a database restart, where a pool's connections would not. */
export async function queryOnce<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end().catch(() => {});
  }
}

/** Like queryOnce, undefined while the server cannot be reached (a probe for `eventually`). */
export async function queryWhenUp<T>(url: string, text: string, values: unknown[] = []): Promise<T[] | undefined> {
  return queryOnce<T>(url, text, values).catch(() => undefined);
}

/** The full synchronisation's final status, once it has one. */
export async function finished(url: string, runId: string, ms: number): Promise<string> {
  try {
    return await eventually(async () => {
      const rows = await queryWhenUp<{ status: string }>(url, `SELECT status FROM integration.full_sync_run WHERE id = $1`, [runId]);
      return !rows || rows[0]!.status === 'RUNNING' ? undefined : rows[0]!.status;
    }, ms, 'the full synchronisation to finish');
  } catch (error) {
    // Where each job and its queue entry stood, so that a run that never ends can be told apart from a slow one.
    const jobs = await queryWhenUp(
      url,
      `SELECT j.mapping_name, j.direction, j.status, j.processed, j.estimated_total, j.message, q.state AS queue_state, q.retry_count, q.start_after
         FROM integration.sync_job j LEFT JOIN pgboss.job q ON q.id = j.queue_job_id WHERE j.run_id = $1 ORDER BY j.started_at`,
      [runId],
    );
    throw new Error(`${(error as Error).message}; jobs: ${JSON.stringify(jobs)}`);
  }
}

/** Records a run's jobs have processed so far, and whether they have all ended. */
export async function progress(url: string, runId: string): Promise<{ processed: number; done: boolean } | undefined> {
  const rows = await queryWhenUp<{ processed: number; done: boolean }>(
    url,
    `SELECT coalesce(sum(processed), 0)::int AS processed, bool_and(status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')) AS done FROM integration.sync_job WHERE run_id = $1`,
    [runId],
  );
  return rows?.[0];
}

/**
 * Everything both systems and the integration store hold after a run, without what differs between
 * two correct runs: timestamps (every write stamps the time) and the integration store's own row ids.
 */
export async function outcome(url: string): Promise<Record<string, string>> {
  const tables = await queryOnce<{ schema: string; table: string }>(
    url,
    `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
      WHERE table_schema IN ('erp', 'crm') AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%migrations' ORDER BY 1, 2`,
  );
  const result: Record<string, string> = {};
  for (const { schema, table } of tables) {
    const columns = await queryOnce<{ name: string }>(
      url,
      `SELECT column_name AS name FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = $2 AND data_type <> 'timestamp with time zone' ORDER BY ordinal_position`,
      [schema, table],
    );
    const list = columns.map((c) => `"${c.name}"`).join(', ');
    const [row] = await queryOnce<{ n: number; sum: string }>(url, `SELECT count(*)::int AS n, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS sum FROM (SELECT ${list} FROM "${schema}"."${table}") r`);
    result[`${schema}.${table}`] = `${row!.n} rows ${row!.sum}`;
  }
  const [couplings] = await queryOnce<{ n: number; sum: string }>(
    url,
    `SELECT count(*)::int AS n, md5(coalesce(string_agg(concat_ws(',', mapping_name, erp_id, crm_id, last_result, last_error), '|' ORDER BY mapping_name, erp_id, crm_id), '')) AS sum
       FROM integration.integration_record`,
  );
  result.couplings = `${couplings!.n} rows ${couplings!.sum}`;
  const jobs = await queryOnce<Record<string, unknown>>(
    url,
    `SELECT mapping_name, direction, status, processed, estimated_total, inserted, modified, deleted, unchanged, skipped, failed, coupled, uncoupled
       FROM integration.sync_job WHERE run_id IS NOT NULL ORDER BY mapping_name, direction`,
  );
  for (const job of jobs) result[`job ${job.mapping_name} ${job.direction}`] = JSON.stringify(job);
  return result;
}

/** A stand-alone worker process (`npm run worker`) on `url`, quick to react, syncing `chunk` records per transaction. */
export function startWorkerProcess(url: string, chunk: number): ChildProcess {
  return spawn(process.execPath, [WORKER_MAIN], {
    env: { ...process.env, DATABASE_URL: url, SYNC_CHUNK_SIZE: String(chunk), WORKER_POLL_SECONDS: '1', WORKER_HOUSEKEEPING_MS: '300', NODE_ENV: 'test', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
