import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { RunSyncDocument } from './generated/operations';
import { storeUrl } from '../src/db/data-sources';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/**
 * A transaction of the sync engine chosen by PostgreSQL as a deadlock's victim (40P01) is rolled
 * back; the engine runs it again and the run succeeds, as if nothing had happened.
 */
describe('a deadlock in the sync path', () => {
  let gateway: TestGateway;
  /** The same company, synchronised undisturbed. */
  let control: TestGateway;
  before(async () => {
    [gateway, control] = await Promise.all([startTestGateway({ label: 'deadlock', customers: 40 }), startTestGateway({ label: 'deadlock_control', customers: 40 })]);
  });
  after(() => Promise.all([gateway.close(), control.close()]));

  it("is retried: the chunk's commit, chosen as the victim, commits on its next try and the run succeeds", async () => {
    const url = storeUrl(gateway.stores.integration);
    const other = new Client({ connectionString: url });
    await other.connect();
    try {
      // This session waits long before looking for deadlocks, so the gateway's session (1 s) finds the cycle and is rolled back.
      await other.query(`SET deadlock_timeout = '30s'`);
      await other.query('BEGIN');
      // The chunk's commit updates the mapping's watermark after writing its couplings: it will wait here.
      await other.query(`UPDATE integration.table_mapping SET name = name WHERE name = 'CUSTOMER'`);
      const run = gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
      await eventually(
        async () => {
          const waiting = await gateway.stores.erp.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'erp-crm-gateway:integration' AND wait_event_type = 'Lock'`,
          );
          return waiting.length > 0 ? true : undefined;
        },
        60_000,
        'the chunk commit to wait for the watermark row',
      );
      // Now this session waits for the couplings the chunk's transaction holds: a cycle. It gets its
      // rows only once that transaction has been rolled back, since it cannot commit while we hold the watermark.
      await other.query(`SELECT id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' FOR UPDATE`);
      await other.query('ROLLBACK');
      const result = await run;
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      const undisturbed = await control.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, control.tokens.operator);
      assert.ok(undisturbed.data!.runSync.modified + undisturbed.data!.runSync.inserted > 0, 'the run writes records');
      assert.deepEqual({ ...result.data!.runSync, id: null }, { ...undisturbed.data!.runSync, id: null });
      // Everything it decided was committed: a second run finds nothing left to write.
      const again = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
      assert.equal(again.data!.runSync.modified + again.data!.runSync.inserted, 0);
    } finally {
      await other.end();
    }
  });
});
