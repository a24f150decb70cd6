import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import PgBoss from 'pg-boss';
import { closeStores, openStores, type Stores } from '../src/db/data-sources';
import { seedDemoCompany } from '../src/demo/demo-company.generator';
import { Queue } from '../src/jobs/job-queue';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { createServices, startWorker } from '../src/server/bootstrap';
import { mappingLockName } from '../src/sync/mapping-lock';
import type { GatewayServices } from '../src/server/services';
import { eventually } from './support/subscriptions';
import { createTestDatabase, TEST_WORKER } from './support/test-gateway';

/**
 * The housekeeping that finds abandoned full-synchronisation jobs (AbandonedJobs) takes a running
 * job whose mapping lock is free for one whose worker died, and puts a job back in the queue.
 * A job must never be left ready with nothing in the queue to run it.
 */
describe('full-synchronisation jobs the queue lost track of', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  /** A company of its own, and a full synchronisation started with no worker yet to run it. */
  async function startedRun(label: string): Promise<{ stores: Stores; services: GatewayServices; runId: string; boss: PgBoss }> {
    const database = await createTestDatabase(label);
    cleanup.push(database.drop);
    const stores = await openStores({ erp: database.url, crm: database.url, integration: database.url }, { poolSize: 4 });
    cleanup.push(() => closeStores(stores));
    await installStandardMappings(stores.integration);
    await seedDemoCompany(stores, { customers: 20, seed: 5 });
    const services = createServices(stores, 'x'.repeat(32), { runsWorker: true });
    cleanup.push(() => services.close());
    const run = await services.fullSync.start('test');
    const boss = new PgBoss({ connectionString: database.url, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
    // Its pool's end does not wait for the sockets: dropping the database may close one under it, and
    // pg-boss passes that on as an error event, which unheard would fail whichever test is running.
    boss.on('error', () => {});
    await boss.start();
    cleanup.push(() => boss.stop({ graceful: false, wait: true }));
    return { stores, services, runId: run.id, boss };
  }

  async function finishedRun(stores: Stores, services: GatewayServices, runId: string): Promise<string> {
    const worker = await startWorker(services, TEST_WORKER);
    cleanup.push(() => worker.stop());
    return eventually(
      async () => {
        const [row] = await stores.integration.query(`SELECT status FROM integration.full_sync_run WHERE id = $1`, [runId]);
        return row.status === 'RUNNING' ? undefined : (row.status as string);
      },
      30_000,
      'the run to finish',
    );
  }

  it('a job taken by a worker that died before starting it goes back to the queue and the run finishes', async () => {
    const { stores, services, runId, boss } = await startedRun('unstarted_job');
    // The queue marks the job active; a minute later nobody has started it.
    const [taken] = await boss.fetch<{ jobId: string }>(Queue.FULL_SYNC_JOB);
    assert.ok(taken, 'the run queued a job to take');
    await stores.integration.query(`UPDATE pgboss.job SET started_on = now() - interval '1 minute' WHERE id = $1`, [taken.id]);

    assert.equal(await finishedRun(stores, services, runId), 'SUCCEEDED');
    const [job] = await stores.integration.query(`SELECT status FROM integration.sync_job WHERE id = $1`, [taken.data.jobId]);
    assert.equal(job.status, 'SUCCEEDED');
  });

  it('a ready job whose queue job has ended is queued again and the run finishes', async () => {
    // What a worker leaves when it records its queue job's end just as the housekeeping hands the job back.
    const { stores, services, runId, boss } = await startedRun('ended_queue_job');
    const [taken] = await boss.fetch<{ jobId: string }>(Queue.FULL_SYNC_JOB);
    assert.ok(taken, 'the run queued a job to take');
    await boss.complete(Queue.FULL_SYNC_JOB, taken.id);

    assert.equal(await finishedRun(stores, services, runId), 'SUCCEEDED');
    const [job] = await stores.integration.query(`SELECT status FROM integration.sync_job WHERE id = $1`, [taken.data.jobId]);
    assert.equal(job.status, 'SUCCEEDED');
  });

  it('a job records its end while its worker still holds the mapping lock, so the housekeeping never takes a finished job for an abandoned one', async () => {
    const { stores, services, runId } = await startedRun('end_under_lock');
    // At each job's move from running to succeeded, whether some session holds its mapping's lock.
    await stores.integration.query(`
      CREATE TABLE public.job_end (job_id uuid, mapping_name text, lock_held boolean);
      CREATE FUNCTION public.note_job_end() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE key bigint := hashtext('${mappingLockName('')}' || NEW.mapping_name);
      BEGIN
        INSERT INTO public.job_end SELECT NEW.id, NEW.mapping_name, EXISTS (
          SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
            AND classid = ((key >> 32) & 4294967295)::oid AND objid = (key & 4294967295)::oid);
        RETURN NEW;
      END $$;
      CREATE TRIGGER note_job_end BEFORE UPDATE ON integration.sync_job
        FOR EACH ROW WHEN (OLD.status = 'RUNNING' AND NEW.status = 'SUCCEEDED') EXECUTE FUNCTION public.note_job_end();
    `);

    assert.equal(await finishedRun(stores, services, runId), 'SUCCEEDED');
    const ends: Array<{ mapping_name: string; lock_held: boolean }> = await stores.integration.query(`SELECT mapping_name, lock_held FROM public.job_end`);
    const [{ jobs }] = await stores.integration.query(`SELECT count(*)::int AS jobs FROM integration.sync_job WHERE run_id = $1`, [runId]);
    assert.equal(ends.length, jobs, 'every job of the run went from running to succeeded');
    assert.deepEqual(
      ends.filter((end) => !end.lock_held).map((end) => end.mapping_name),
      [],
      'jobs that recorded their end after letting go of their mapping lock',
    );
  });
});
