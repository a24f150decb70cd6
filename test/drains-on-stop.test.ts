import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storeUrl } from '../src/db/data-sources';
import { CustomersPageDocument } from './generated/operations';
import { eventually } from './support/subscriptions';
import { lockTable } from './support/table-lock';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** Holds every read of the unified index until `release` is called: a request that takes as long as the test wants. */
const holdReads = (gateway: TestGateway) => lockTable(storeUrl(gateway.stores.integration), 'integration.integration_record');

const waitingForLock = (gateway: TestGateway) =>
  eventually(
    async () => {
      const rows = await gateway.stores.erp.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'erp-crm-gateway:%' AND wait_event_type = 'Lock'`,
      );
      return rows.length > 0 ? true : undefined;
    },
    30_000,
    'the request to wait for the lock',
  );

describe('stopping drains requests under way', () => {
  it('lets a request finish that runs longer than the old 10-second cut, by default (30 s)', async () => {
    const gateway = await startTestGateway({ label: 'drain_default' });
    try {
      const hold = await holdReads(gateway);
      const answer = gateway.request(CustomersPageDocument, { first: 5 });
      await waitingForLock(gateway);
      const stopped = gateway.stop();
      // The request's own duration, not a wait for an effect: it must outlast the old 10-second grace.
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      await hold.release();
      const result = await answer;
      assert.equal(result.errors, undefined);
      assert.ok(result.data!.customers.edges.length > 0 || result.data!.customers.totalCount === 0);
      await stopped;
    } finally {
      await gateway.close();
    }
  });

  it('cuts a request still running when a shorter drain has passed', async () => {
    const gateway = await startTestGateway({ label: 'drain_short', drainMs: 500 });
    try {
      const hold = await holdReads(gateway);
      const answer = gateway.request(CustomersPageDocument, { first: 5 }).then(
        () => 'answered',
        () => 'cut',
      );
      await waitingForLock(gateway);
      await gateway.stop();
      assert.equal(await answer, 'cut');
      await hold.release();
    } finally {
      await gateway.close();
    }
  });
});
