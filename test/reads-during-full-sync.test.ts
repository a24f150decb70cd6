import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ContactsFirstDocument,
  CustomerByIdDocument,
  CustomerNumbersDocument,
  CustomersCountDocument,
  FullSyncReviewDocument,
  FullSyncRunDocument,
  ItemsFirstDocument,
  StartFullSyncDocument,
} from './generated/operations';
import { eventually } from './support/subscriptions';
import { startTestGateway, type GraphQLResult, type TestGateway } from './support/test-gateway';

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * Issue 10: a list read used to index changes itself, writing integration records while the full
 * synchronisation wrote its couplings; the two deadlocked and the run failed, leaving accounts it
 * had created without a coupling. Reads now only read, so polling them changes nothing.
 */
describe('lists and lookups polled during a full synchronisation', () => {
  let gateway: TestGateway;

  before(async () => {
    // Small chunks: many chunk commits, each a moment in which an index write could meet a coupling write.
    gateway = await startTestGateway({ label: 'readsduringsync', customers: 5000, worker: true, syncChunkSize: 500 });
    // Every uncoupled customer gets its counterpart, look-alikes too: the more couplings written, the more chances to meet a read.
    await gateway.services.mappings.updateTableMapping('CUSTOMER', { duplicateThreshold: 0 }, 'test');
  });
  after(() => gateway?.close());

  it('the run succeeds, every record it coupled is coupled, and no read fails', async () => {
    const knownId = (await gateway.request(CustomerNumbersDocument, { first: 1 })).data!.customers.edges[0]!.node.id;
    let polling = true;
    const failures: string[] = [];
    let reads = 0;
    const check = (result: GraphQLResult<unknown>) => {
      reads += 1;
      if (result.errors) failures.push(JSON.stringify(result.errors));
    };
    // Clients reading as fast as they are answered: lists of the mappings being synchronised, and lookups.
    const poll = async (...reads: Array<() => Promise<GraphQLResult<unknown>>>) => {
      while (polling) for (const read of reads) check(await read());
    };
    const customers = () => gateway.request(CustomerNumbersDocument, { first: 1 });
    const pollers = [
      poll(customers, () => gateway.request(ContactsFirstDocument, { first: 1 })),
      poll(customers, () => gateway.request(ItemsFirstDocument, { first: 1 })),
      poll(customers, () => gateway.request(CustomerByIdDocument, { id: knownId })),
      poll(() => gateway.request(CustomerNumbersDocument, { first: 1, filter: { coupled: false } })),
    ];

    let run;
    try {
      const started = await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin);
      assert.equal(started.errors, undefined, JSON.stringify(started.errors));
      const runId = started.data!.startFullSync.id;
      // Until the run finishes, or a read fails: reads that deadlocked with the run's commits could also leave it hanging.
      run = await eventually(
        async () => {
          const current = (await gateway.request(FullSyncRunDocument, { id: runId })).data!.fullSyncRun!;
          return FINISHED.includes(current.status) || failures.length > 0 ? current : undefined;
        },
        600_000,
        'the full synchronisation to finish',
      );
    } finally {
      polling = false;
      await Promise.all(pollers);
    }

    assert.deepEqual(failures, [], 'no read failed');
    assert.ok(reads > 20, `reads went on during the run (${reads})`);
    for (const job of run.jobs) assert.equal(job.status, 'SUCCEEDED', `${job.mappingName} ${job.direction}: ${job.message}`);
    assert.equal(run.status, 'SUCCEEDED');

    // Every account the run created is coupled: what the jobs say they coupled is what the store holds.
    const customerJobs = run.jobs.filter((job) => job.mappingName === 'CUSTOMER');
    const coupledByRun = customerJobs.reduce((total, job) => total + job.coupled, 0);
    assert.ok(coupledByRun > 1000, `the run coupled many customers (${coupledByRun})`);
    const review = (await gateway.request(FullSyncReviewDocument)).data!.fullSyncReview.find((line) => line.mappingName === 'CUSTOMER')!;
    const listed = (await gateway.request(CustomersCountDocument, { filter: { coupled: true } })).data!.customers.totalCount;
    assert.equal(listed, review.coupledRecords, 'the list counts every coupling the review counts');
    const [{ orphans }] = (await gateway.stores.crm.query(
      `SELECT count(*)::int AS orphans FROM crm.account a
         JOIN crm.system_user u ON u.id = a.modified_by AND u.is_integration_user
        WHERE NOT EXISTS (SELECT 1 FROM integration.integration_record r WHERE r.mapping_name = 'CUSTOMER' AND r.crm_id = a.id AND r.erp_id IS NOT NULL)`,
    )) as Array<{ orphans: number }>;
    assert.equal(orphans, 0, 'no account the integration wrote is left without its coupling');
  });
});
