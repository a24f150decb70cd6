import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import PgBoss from 'pg-boss';
import { closeStores, openStores } from '../src/db/data-sources';
import { seedDemoCompany } from '../src/demo/demo-company.generator';
import { Queue } from '../src/jobs/job-queue';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { createServices, startWorker } from '../src/server/bootstrap';
import { eventually } from './support/subscriptions';
import { createTestDatabase, TEST_WORKER } from './support/test-gateway';

describe('a full-synchronisation job whose worker died after taking it from the queue', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('goes back to the queue and the run finishes', async () => {
    const database = await createTestDatabase('unstarted_job');
    cleanup.push(database.drop);
    const stores = await openStores({ erp: database.url, crm: database.url, integration: database.url }, { poolSize: 4 });
    cleanup.push(() => closeStores(stores));
    await installStandardMappings(stores.integration);
    await seedDemoCompany(stores, { customers: 20, seed: 5 });
    const services = createServices(stores, 'x'.repeat(32), { runsWorker: true });
    cleanup.push(() => services.close());

    const run = await services.fullSync.start('test');
    // A worker takes a job (the queue marks it active) and dies before it marks the job running:
    // a minute later nobody has started it.
    const boss = new PgBoss({ connectionString: database.url, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
    await boss.start();
    const [taken] = await boss.fetch<{ jobId: string }>(Queue.FULL_SYNC_JOB);
    await boss.stop({ graceful: false, wait: true });
    assert.ok(taken, 'the run queued a job to take');
    await stores.integration.query(`UPDATE pgboss.job SET started_on = now() - interval '1 minute' WHERE id = $1`, [taken.id]);

    const worker = await startWorker(services, TEST_WORKER);
    cleanup.push(() => worker.stop());
    const status = await eventually(
      async () => {
        const [row] = await stores.integration.query(`SELECT status FROM integration.full_sync_run WHERE id = $1`, [run.id]);
        return row.status === 'RUNNING' ? undefined : (row.status as string);
      },
      60_000,
      'the run to finish',
    );
    assert.equal(status, 'SUCCEEDED');
    const [job] = await stores.integration.query(`SELECT status, message FROM integration.sync_job WHERE id = $1`, [taken.data.jobId]);
    assert.equal(job.status, 'SUCCEEDED');
  });
});
