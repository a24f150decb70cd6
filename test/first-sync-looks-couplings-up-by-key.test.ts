import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RunSyncDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** Index pages of the integration records read so far, as the server counts them. */
async function indexPagesRead(gateway: TestGateway): Promise<number> {
  // Other sessions' counters reach the shared statistics once they are idle; a fresh snapshot then sees them.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const [{ pages }] = await gateway.stores.integration.query(
    `SELECT pg_stat_clear_snapshot(), sum(idx_blks_hit + idx_blks_read)::bigint AS pages FROM pg_statio_user_indexes WHERE schemaname = 'integration' AND relname = 'integration_record'`,
  );
  return Number(pages);
}

/**
 * A mapping's first full synchronisation (here: after its couplings were removed) starts from
 * planner statistics that count none of its integration records. The sync bench's run of 100,000
 * customers fell to 300 records/s: each lookup of a coupling by record key read every coupling
 * the run had made so far, through an index that starts with the mapping's name.
 */
describe('a first full synchronisation looks its couplings up by key', () => {
  let gateway: TestGateway;
  const customers = 12_000;

  before(async () => {
    gateway = await startTestGateway({ label: 'first_sync', customers, syncChunkSize: 500 });
    const { crm, integration } = gateway.stores;
    await crm.query('TRUNCATE crm.account CASCADE');
    await integration.query(`DELETE FROM integration.integration_record WHERE mapping_name = 'CUSTOMER'`);
    await integration.query(`UPDATE integration.table_mapping SET direction = 'TO_CRM', erp_synced_until = NULL, crm_synced_until = NULL WHERE name = 'CUSTOMER'`);
    await integration.query('VACUUM ANALYZE integration.integration_record');
  });
  after(() => gateway?.close());

  it('reads a bounded number of index pages per record, however many it has coupled', async (t) => {
    const before = await indexPagesRead(gateway);
    const ran = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
    assert.equal(ran.errors, undefined, JSON.stringify(ran.errors));
    const job = ran.data!.runSync;
    assert.equal(job.status, 'SUCCEEDED');
    assert.ok(job.inserted > customers / 2, `accounts created: ${job.inserted}`);
    const perRecord = ((await indexPagesRead(gateway)) - before) / (job.inserted + job.skipped);
    t.diagnostic(`index pages read per record: ${perRecord.toFixed(1)}`);
    // Writing a coupling touches each of the table's ten indexes (a few pages each), about 40 in all with its lookups by key;
    // a lookup through an index that does not hold the key reads half the couplings made so far: about 100 pages per record here.
    assert.ok(perRecord < 65, `index pages of the integration records read per record: ${perRecord.toFixed(1)}`);
  });
});
