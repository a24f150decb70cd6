import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrmConnector } from '../src/connectors/crm.connector';
import { ErpConnector } from '../src/connectors/erp.connector';
import { accountFixture, customerFixture, describeConnector } from './support/connector-contract';
import { newCustomer } from './support/records';
import { seededStores } from './support/seeded-stores';

describeConnector('erp', async () => {
  const { stores, release } = await seededStores('erp_connector');
  return customerFixture(new ErpConnector(stores.erp), 'CT', release);
});

describeConnector('crm', async () => {
  const { stores, release } = await seededStores('crm_connector');
  return accountFixture(new CrmConnector(stores.crm), release);
});

describe("the ERP's number series", () => {
  it('gives the same number again when the process that took it stopped before writing its record (no gap after a crash)', async () => {
    const { stores, release } = await seededStores('erp_numbers');
    try {
      const first = new ErpConnector(stores.erp);
      const [lastBefore] = await stores.erp.query(`SELECT last_no_used FROM erp.no_series WHERE table_name = 'customer'`);
      const [taken] = (await first.takeNumbers(first.table('customer'), 'no', 1))!;
      // A new process (the one that took the number was killed): the series has not moved, and the number comes again.
      const afterRestart = new ErpConnector(stores.erp);
      assert.deepEqual(await stores.erp.query(`SELECT last_no_used FROM erp.no_series WHERE table_name = 'customer'`), [lastBefore]);
      assert.deepEqual(await afterRestart.takeNumbers(afterRestart.table('customer'), 'no', 1), [taken]);
      // Written, the series moves past it in the same transaction, and the next take follows it.
      await afterRestart.bulkUpsert(afterRestart.table('customer'), [newCustomer(taken!, 'Numbered after a restart')], 'GATEWAY');
      assert.deepEqual(await stores.erp.query(`SELECT last_no_used FROM erp.no_series WHERE table_name = 'customer'`), [{ last_no_used: taken }]);
      const [following] = (await afterRestart.takeNumbers(afterRestart.table('customer'), 'no', 1))!;
      assert.notEqual(following, taken);
      const another = new ErpConnector(stores.erp);
      assert.deepEqual(await another.takeNumbers(another.table('customer'), 'no', 1), [following]);
    } finally {
      await release();
    }
  });
});
