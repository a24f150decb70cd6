import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { QueryRunner } from 'typeorm';
import { CancelSyncJobDocument, CustomersPageDocument, RunSyncDocument, SyncJobProgressByIdDocument, SyncRecordsDocument } from './generated/operations';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/**
 * Issue 12, defect 4: an operator's request for a mapping that another run is writing waits behind
 * it and returns its job (WAITING); it runs when the mapping is free. Operators never see
 * SYNC_ALREADY_RUNNING.
 */
describe('runs asked for while their mapping is busy', () => {
  let gateway: TestGateway;
  let otherRun: QueryRunner;

  before(async () => {
    gateway = await startTestGateway({ label: 'busymapping', customers: 60, worker: true });
  });
  after(() => gateway?.close());

  /** Another gateway's run of CUSTOMER: it holds the mapping's lock as a run does. */
  const holdCustomerMapping = async () => {
    otherRun = gateway.stores.integration.createQueryRunner();
    await otherRun.connect();
    await otherRun.query(`SELECT pg_advisory_lock(hashtext('sync:CUSTOMER'))`);
  };
  const releaseCustomerMapping = async () => {
    await otherRun.query('SELECT pg_advisory_unlock_all()');
    await otherRun.release();
  };
  const jobById = async (id: string) => (await gateway.request(SyncJobProgressByIdDocument, { id })).data!.syncJob!;

  it('syncRecords and runSync wait behind the run under way, then run, and other mappings are not held', async () => {
    const pending = (await gateway.request(CustomersPageDocument, { first: 1000, filter: { syncState: 'PENDING' } }))
      .data!.customers.edges.map((edge) => edge.node)
      .find((node) => node.erp!.phoneNo !== node.crm!.telephone1)!;
    await holdCustomerMapping();
    try {
      const records = await gateway.request(SyncRecordsDocument, { ids: [pending.id], direction: 'TO_CRM' }, gateway.tokens.operator);
      assert.equal(records.errors, undefined, JSON.stringify(records.errors));
      const [waiting] = records.data!.syncRecords;
      assert.deepEqual([waiting!.mappingName, waiting!.status], ['CUSTOMER', 'WAITING']);
      const mapping = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
      assert.equal(mapping.errors, undefined, JSON.stringify(mapping.errors));
      assert.equal(mapping.data!.runSync.status, 'WAITING');
      const other = await gateway.request(RunSyncDocument, { mapping: 'CURRENCY', mode: 'INCREMENTAL' }, gateway.tokens.operator);
      assert.equal(other.data!.runSync.status, 'SUCCEEDED', 'other mappings are not held');
      assert.equal((await jobById(waiting!.id)).status, 'WAITING', 'it waits while the mapping is busy');

      await releaseCustomerMapping();
      const done = await eventually(
        async () => {
          const job = await jobById(waiting!.id);
          return job.status === 'SUCCEEDED' ? job : undefined;
        },
        30_000,
        'the waiting request to run',
      );
      assert.deepEqual([done.modified, done.processed, done.estimatedTotal], [1, 1, 1]);
      await eventually(async () => ((await jobById(mapping.data!.runSync.id)).status === 'SUCCEEDED' ? true : undefined), 30_000, 'the waiting run');
      // Whichever of the two ran first, the pair ends in step (the incremental run may have brought a CRM edit over first).
      const [{ telephone1 }] = await gateway.stores.crm.query(`SELECT telephone1 FROM crm.account WHERE id = $1`, [pending.crm!.id]);
      const [{ phone_no }] = await gateway.stores.erp.query(`SELECT phone_no FROM erp.customer WHERE system_id = $1`, [pending.erp!.systemId]);
      assert.equal(telephone1, phone_no, 'the pair was synchronised once the mapping was free');
    } finally {
      if (!otherRun.isReleased) await releaseCustomerMapping();
    }
  });

  it('a waiting request can be cancelled, and then never runs', async () => {
    await holdCustomerMapping();
    try {
      const waiting = (await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator)).data!.runSync;
      assert.equal(waiting.status, 'WAITING');
      const cancelled = await gateway.request(CancelSyncJobDocument, { id: waiting.id }, gateway.tokens.operator);
      assert.equal(cancelled.errors, undefined, JSON.stringify(cancelled.errors));
      assert.equal(cancelled.data!.cancelSyncJob.status, 'CANCELLED');
      await releaseCustomerMapping();
      // The job engine hands the request to the worker once the mapping is free, which finds it cancelled.
      await eventually(
        async () => {
          const [queued] = await gateway.stores.integration.query(`SELECT q.state FROM integration.sync_job j JOIN pgboss.job q ON q.id = j.queue_job_id WHERE j.id = $1`, [
            waiting.id,
          ]);
          return queued?.state === 'completed' ? true : undefined;
        },
        30_000,
        'the worker to take the cancelled request',
      );
      const job = await jobById(waiting.id);
      assert.deepEqual([job.status, job.processed, job.modified], ['CANCELLED', 0, 0]);
    } finally {
      if (!otherRun.isReleased) await releaseCustomerMapping();
    }
  });
});
