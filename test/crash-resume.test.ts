import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { closeStores, openStores, type Stores } from '../src/db/data-sources';
import { seedDemoCompany } from '../src/demo/demo-company.generator';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { createServices, startWorker } from '../src/server/bootstrap';
import { eventually } from './support/subscriptions';
import { createTestDatabase, TEST_WORKER } from './support/test-gateway';

const CHUNK = 150;
const WORKER_MAIN = path.join(__dirname, '..', 'src', 'worker', 'worker.main.js');

async function open(url: string): Promise<Stores> {
  return openStores({ erp: url, crm: url, integration: url }, { poolSize: 4 });
}

async function finished(stores: Stores, runId: string, ms: number): Promise<string> {
  try {
    return await eventually(async () => {
      const [run] = await stores.integration.query(`SELECT status FROM integration.full_sync_run WHERE id = $1`, [runId]);
      return run.status === 'RUNNING' ? undefined : (run.status as string);
    }, ms, 'the full synchronisation to finish');
  } catch (error) {
    // Where each job and its queue entry stood, so that a run that never ends can be told apart from a slow one.
    const jobs: unknown[] = await stores.integration.query(
      `SELECT j.mapping_name, j.direction, j.status, j.processed, j.estimated_total, j.message, q.state AS queue_state, q.retry_count, q.start_after
         FROM integration.sync_job j LEFT JOIN pgboss.job q ON q.id = j.queue_job_id WHERE j.run_id = $1 ORDER BY j.started_at`,
      [runId],
    );
    throw new Error(`${(error as Error).message}; jobs: ${JSON.stringify(jobs)}`);
  }
}

/**
 * Everything both systems and the integration store hold after a run, without what differs between
 * two correct runs: timestamps (every write stamps the time) and the integration store's own row ids.
 */
async function outcome(stores: Stores): Promise<Record<string, string>> {
  const tables: Array<{ schema: string; table: string }> = await stores.erp.query(
    `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
      WHERE table_schema IN ('erp', 'crm') AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%migrations' ORDER BY 1, 2`,
  );
  const result: Record<string, string> = {};
  for (const { schema, table } of tables) {
    const columns: Array<{ name: string }> = await stores.erp.query(
      `SELECT column_name AS name FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = $2 AND data_type <> 'timestamp with time zone' ORDER BY ordinal_position`,
      [schema, table],
    );
    const list = columns.map((c) => `"${c.name}"`).join(', ');
    const [row] = await stores.erp.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS sum FROM (SELECT ${list} FROM "${schema}"."${table}") r`);
    result[`${schema}.${table}`] = `${row.n} rows ${row.sum}`;
  }
  const [couplings] = await stores.integration.query(
    `SELECT count(*)::int AS n, md5(coalesce(string_agg(concat_ws(',', mapping_name, erp_id, crm_id, last_result, last_error), '|' ORDER BY mapping_name, erp_id, crm_id), '')) AS sum
       FROM integration.integration_record`,
  );
  result.couplings = `${couplings.n} rows ${couplings.sum}`;
  const jobs: Array<Record<string, unknown>> = await stores.integration.query(
    `SELECT mapping_name, direction, status, processed, estimated_total, inserted, modified, deleted, unchanged, skipped, failed, coupled, uncoupled
       FROM integration.sync_job WHERE run_id IS NOT NULL ORDER BY mapping_name, direction`,
  );
  for (const job of jobs) result[`job ${job.mapping_name} ${job.direction}`] = JSON.stringify(job);
  return result;
}

function startWorkerProcess(url: string): ChildProcess {
  return spawn(process.execPath, [WORKER_MAIN], {
    env: { ...process.env, DATABASE_URL: url, SYNC_CHUNK_SIZE: String(CHUNK), WORKER_POLL_SECONDS: '1', WORKER_HOUSEKEEPING_MS: '300', NODE_ENV: 'test' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('a full synchronisation whose worker is stopped, then killed', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('finishes, after restarts, exactly as an uninterrupted run on the same data', async () => {
    const data = await createTestDatabase('crash_data');
    cleanup.push(data.drop);
    const seeding = await open(data.url);
    await installStandardMappings(seeding.integration);
    await seedDemoCompany(seeding, { customers: 600, seed: 11 });
    await closeStores(seeding);
    const reference = await createTestDatabase('crash_reference', data.name);
    cleanup.push(reference.drop);

    // The uninterrupted run, with a worker in this process.
    const calm = await open(reference.url);
    const calmServices = createServices(calm, 'x'.repeat(32), { runsWorker: true, syncChunkSize: CHUNK });
    const calmWorker = await startWorker(calmServices, TEST_WORKER);
    const calmRun = await calmServices.fullSync.start('reference');
    assert.equal(await finished(calm, calmRun.id, 120_000), 'SUCCEEDED');
    await calmWorker.stop();
    await calmServices.close();
    const expected = await outcome(calm);
    await closeStores(calm);

    // The same run in a worker process that is killed (SIGKILL: no clean-up) at random moments.
    const stores = await open(data.url);
    cleanup.push(() => closeStores(stores));
    const services = createServices(stores, 'x'.repeat(32), { syncChunkSize: CHUNK });
    cleanup.push(() => services.close());
    const run = await services.fullSync.start('crash test');
    let worker = startWorkerProcess(data.url);
    cleanup.push(async () => {
      worker.kill('SIGKILL');
      await exited(worker);
    });
    const kills: number[] = [];
    for (let kill = 0; kill < 4; kill += 1) {
      const [{ processed }] = await stores.integration.query(`SELECT coalesce(sum(processed), 0)::int AS processed FROM integration.sync_job WHERE run_id = $1`, [run.id]);
      const target = processed + randomInt(CHUNK, 4 * CHUNK);
      const reached = await eventually(async () => {
        const [row] = await stores.integration.query(
          `SELECT coalesce(sum(processed), 0)::int AS processed, bool_and(status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')) AS done FROM integration.sync_job WHERE run_id = $1`,
          [run.id],
        );
        return row.done || row.processed >= target ? row : undefined;
      }, 60_000, 'the worker to make progress');
      if (reached.done) break;
      // A moment later, so the kill may land inside a chunk as well as between two.
      await new Promise((resolve) => setTimeout(resolve, randomInt(0, 150)));
      if (kill === 0) {
        // Stopped the polite way first: the worker finishes its chunk, hands the job back and exits cleanly.
        worker.kill('SIGTERM');
        await exited(worker);
        assert.equal(worker.exitCode, 0);
        const [{ running }] = await stores.integration.query(`SELECT count(*)::int AS running FROM integration.sync_job WHERE run_id = $1 AND status = 'RUNNING'`, [run.id]);
        assert.equal(running, 0, 'a stopped worker leaves no job marked running');
      } else {
        worker.kill('SIGKILL');
        await exited(worker);
      }
      kills.push(reached.processed);
      worker = startWorkerProcess(data.url);
    }
    assert.ok(kills.length >= 3, `the worker was stopped ${kills.length} times before the run ended; the run is too short to test`);
    assert.equal(await finished(stores, run.id, 120_000), 'SUCCEEDED');
    worker.kill('SIGTERM');
    await exited(worker);

    const actual = await outcome(stores);
    assert.deepEqual(actual, expected, `killed after ${kills.join(', ')} records`);
  });
});
