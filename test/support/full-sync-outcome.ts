import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { CrmConnector } from '../../src/connectors/crm.connector';
import { ErpConnector } from '../../src/connectors/erp.connector';
import { closeStores, openStores } from '../../src/db/data-sources';
import { DiscoveryService } from '../../src/unify/discovery.service';
import { eventually } from './subscriptions';

export const WORKER_MAIN = path.join(__dirname, '..', '..', 'src', 'server', 'worker.main.js');
export const GATEWAY_MAIN = path.join(__dirname, '..', '..', 'src', 'server', 'main.js');
/** The demo's entry point (`npm start`): the gateway, seeding the demo company into an empty database. */
export const DEMO_MAIN = path.join(__dirname, '..', '..', 'src', 'demo', 'demo.main.js');

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
    return await eventually(
      async () => {
        const rows = await queryWhenUp<{ status: string }>(url, `SELECT status FROM integration.full_sync_run WHERE id = $1`, [runId]);
        return !rows || rows[0]!.status === 'RUNNING' ? undefined : rows[0]!.status;
      },
      ms,
      'the full synchronisation to finish',
    );
  } catch (error) {
    // Where each job and its queue entry stood, so that a run that never ends can be told apart from a slow one.
    const jobs = await queryWhenUp(
      url,
      `SELECT j.mapping_name, j.direction, j.status, j.processed, j.estimated_total, j.message, q.state AS queue_state, q.retry_count, q.start_after
         FROM integration.sync_job j LEFT JOIN pgboss.job q ON q.id = j.queue_job_id WHERE j.run_id = $1 ORDER BY j.started_at`,
      [runId],
    );
    throw new Error(`${(error as Error).message}; jobs: ${JSON.stringify(jobs)}`, { cause: error });
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

/** The systems' record tables: not the gateway's own there (its migrations, and the write counts of referred-to tables, which count statements). */
const SYSTEM_TABLES = `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
  WHERE table_schema IN ('erp', 'crm') AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%migrations' AND table_name <> 'target_table_version' ORDER BY 1, 2`;

/** A table's columns but its timestamps (every write stamps the time), and with `withoutKey`, but its primary key. */
async function comparableColumns(url: string, schema: string, table: string, withoutKey: boolean): Promise<string> {
  const columns = await queryOnce<{ name: string }>(
    url,
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 AND data_type <> 'timestamp with time zone'
        AND NOT ($3 AND column_name IN (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                                         WHERE i.indrelid = format('%I.%I', $1::text, $2::text)::regclass AND i.indisprimary))
      ORDER BY ordinal_position`,
    [schema, table, withoutKey],
  );
  return columns.map((c) => `"${c.name}"`).join(', ');
}

/**
 * Brings the unified index up to date with both systems, as a read-model follower does when it has
 * read every change: then two runs' indexes compare whatever processes (with or without a
 * follower) ran beside them. Call it once no follower runs on `url` any more.
 */
export async function catchUpIndex(url: string): Promise<void> {
  const stores = await openStores({ erp: url, crm: url, integration: url }, { poolSize: 2 });
  try {
    await new DiscoveryService({ erp: new ErpConnector(stores.erp), crm: new CrmConnector(stores.crm) }, stores.integration).catchUpAll();
  } finally {
    await closeStores(stores);
  }
}

/**
 * Everything both systems and the integration store hold after a run, without what differs between
 * two correct runs: timestamps (every write stamps the time) and the integration store's own row ids.
 * The couplings (what the sync engine owns) are apart from the records the index knows on one side
 * only (what the read model owns), so that a lost coupling is told apart from an index that lags.
 */
export async function outcome(url: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const { schema, table } of await queryOnce<{ schema: string; table: string }>(url, SYSTEM_TABLES)) {
    const list = await comparableColumns(url, schema, table, false);
    const [row] = await queryOnce<{ n: number; sum: string }>(
      url,
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS sum FROM (SELECT ${list} FROM "${schema}"."${table}") r`,
    );
    result[`${schema}.${table}`] = `${row!.n} rows ${row!.sum}`;
  }
  const indexed = async (where: string, columns: string) => {
    const [row] = await queryOnce<{ n: number; sum: string }>(
      url,
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(concat_ws(',', ${columns}), '|' ORDER BY mapping_name, erp_id, crm_id), '')) AS sum
         FROM integration.integration_record WHERE ${where}`,
    );
    return `${row!.n} rows ${row!.sum}`;
  };
  result.couplings = await indexed('erp_id IS NOT NULL AND crm_id IS NOT NULL', 'mapping_name, erp_id, crm_id, last_result, last_error');
  result['one-sided records'] = await indexed('erp_id IS NULL OR crm_id IS NULL', 'mapping_name, erp_id, crm_id, erp_in_scope, crm_in_scope, erp_code, sort_key');
  const jobs = await queryOnce<Record<string, unknown>>(
    url,
    `SELECT mapping_name, direction, status, processed, estimated_total, inserted, modified, deleted, unchanged, skipped, failed, coupled, uncoupled
       FROM integration.sync_job WHERE run_id IS NOT NULL ORDER BY mapping_name, direction`,
  );
  for (const job of jobs) result[`job ${job.mapping_name} ${job.direction}`] = JSON.stringify(job);
  return result;
}

/**
 * Rows of the systems' tables that another row of the same table repeats in everything but its
 * primary key and timestamps: a record written twice. A demo company synchronised once has none.
 */
export async function duplicatedRecords(url: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const { schema, table } of await queryOnce<{ schema: string; table: string }>(url, SYSTEM_TABLES)) {
    const list = await comparableColumns(url, schema, table, true);
    const [row] = await queryOnce<{ extra: number }>(
      url,
      `SELECT coalesce(sum(n - 1), 0)::int AS extra FROM (SELECT count(*) AS n FROM "${schema}"."${table}" GROUP BY ${list}) g WHERE n > 1`,
    );
    if (row!.extra > 0) result[`${schema}.${table}`] = row!.extra;
  }
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
