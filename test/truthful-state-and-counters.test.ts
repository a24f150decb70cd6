import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account, SystemUser } from '../entities/crm';
import { encodeUnifiedId } from '../src/unify/unified-id';
import { CustomerByIdDocument, CustomerNumbersDocument, RunSyncDocument } from './generated/operations';
import { newAccount } from './support/records';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** Issue 12, defect 6: what a run reports and what a record's state says are true. */
describe('truthful state and counters', () => {
  let gateway: TestGateway;
  let pairs: Array<{ erp_id: string; crm_id: string }>;

  before(async () => {
    gateway = await startTestGateway({ label: 'truthful', customers: 40 });
    await runSync();
    pairs = await gateway.stores.integration.query(
      `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_code LIMIT 3`,
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

  it('an edit by the CRM integration user leaves the record IN_SYNC, not PENDING forever', async () => {
    const [, , pair] = pairs;
    const id = encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: pair!.erp_id });
    const integrationUser = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: true });
    await gateway.stores.crm.query(`UPDATE crm.account SET name = 'Renamed by the integration user', modified_at = now(), modified_by = $2 WHERE id = $1`, [
      pair!.crm_id,
      integrationUser.id,
    ]);
    await eventually(async () => ((await gateway.request(CustomerByIdDocument, { id })).data!.customer!.syncState === 'IN_SYNC' ? true : undefined), 10_000, 'IN_SYNC');
    const pending = await gateway.request(CustomerNumbersDocument, { first: 100, filter: { syncState: 'PENDING' } });
    assert.ok(!pending.data!.customers.edges.some((edge) => edge.node.id === id), 'not listed as PENDING either');
    const job = await runSync();
    assert.equal(job.modified, 0, 'and the engine writes nothing back');
  });

  it('numbers ERP customers created from CRM accounts from the number series', async () => {
    const owner = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false, isDisabled: false });
    const accounts = [newAccount('Numbered from the series one', owner.id), newAccount('Numbered from the series two', owner.id)];
    await gateway.services.connectors.crm.bulkUpsert(gateway.services.connectors.crm.table<Account>('account'), accounts, owner.id);
    const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const numbers: string[] = [];
    for (const account of accounts) {
      const customer = (await gateway.request(CustomerByIdDocument, { id: encodeUnifiedId({ typeName: 'Customer', system: 'crm', key: account.id }) })).data!.customer!;
      assert.match(customer.erp!.no, /^CUST\d{6}$/);
      numbers.push(customer.erp!.no);
    }
    const fromSeries = await gateway.stores.erp.query(`SELECT no FROM erp.customer WHERE no LIKE 'CUST%' ORDER BY no`);
    assert.deepEqual(
      fromSeries.map((row: { no: string }) => row.no),
      fromSeries.map((_: unknown, i: number) => `CUST${String(i + 1).padStart(6, '0')}`),
      'one after the other, none twice',
    );
    assert.ok(numbers.every((no) => fromSeries.some((row: { no: string }) => row.no === no)));
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
