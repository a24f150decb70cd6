import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SystemUser } from '../entities/crm';
import { encodeUnifiedId } from '../src/unify/unified-id';
import { CustomerByIdDocument, RunSyncDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** Issue 12, defect 6: what a run reports and what a record's state says are true. */
describe('truthful state and counters', () => {
  let gateway: TestGateway;
  let pairs: Array<{ erp_id: string; crm_id: string }>;

  before(async () => {
    gateway = await startTestGateway({ label: 'truthful', customers: 40 });
    await runSync();
    pairs = await gateway.stores.integration.query(
      `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_code LIMIT 2`,
    );
  });
  after(() => gateway?.close());

  async function runSync() {
    const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.runSync;
  }

  it('a run reports what it read and expected to read, and conflicts apart from failures', async () => {
    const [pair] = pairs;
    const user = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false, isDisabled: false });
    await gateway.stores.erp.query(`UPDATE erp.customer SET name = 'Both edited (ERP)', modified_at = now(), modified_by = 'ERP USER' WHERE system_id = $1`, [pair!.erp_id]);
    await gateway.stores.crm.query(`UPDATE crm.account SET name = 'Both edited (CRM)', modified_at = now(), modified_by = $2 WHERE id = $1`, [pair!.crm_id, user.id]);
    const job = await runSync();
    assert.deepEqual([job.conflicts, job.failed], [1, 0]);
    assert.ok(job.processed >= 2, `read ${job.processed}`);
    assert.ok(job.estimatedTotal !== null && job.estimatedTotal >= job.processed, `expected ${job.estimatedTotal}, read ${job.processed}`);
  });

  it('a coupled record whose counterpart was deleted is not IN_SYNC', async () => {
    const [, pair] = pairs;
    const id = encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: pair!.erp_id });
    assert.equal((await gateway.request(CustomerByIdDocument, { id })).data!.customer!.syncState, 'IN_SYNC');
    await gateway.stores.crm.query(`DELETE FROM crm.account WHERE id = $1`, [pair!.crm_id]);
    const customer = (await gateway.request(CustomerByIdDocument, { id })).data!.customer!;
    assert.equal(customer.crm, null);
    assert.equal(customer.syncState, 'PENDING', 'a deletion waits for the deletion policy');
  });
});
