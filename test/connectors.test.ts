import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { CrmConnector } from '../src/connectors/crm.connector';
import { ErpConnector } from '../src/connectors/erp.connector';
import { closeStores, openStores, type Stores } from '../src/db/data-sources';
import { seedDemoCompany } from '../src/demo/demo-company.generator';
import { describeConnector } from './support/connector-contract';
import { newAccount, newCustomer } from './support/records';
import { createTestDatabase } from './support/test-gateway';

/** A seeded database of the connector's own, dropped by close(). */
async function seededStores(label: string): Promise<{ stores: Stores; release: () => Promise<void> }> {
  const database = await createTestDatabase(label);
  const stores = await openStores({ erp: database.url, crm: database.url, integration: database.url }, { poolSize: 3 });
  await seedDemoCompany(stores, { customers: 60, seed: 3 });
  return {
    stores,
    release: async () => {
      await closeStores(stores);
      await database.drop();
    },
  };
}

let counter = 0;

describeConnector('erp', async () => {
  const { stores, release } = await seededStores('erp_connector');
  const connector = new ErpConnector(stores.erp);
  return {
    connector,
    table: connector.table('customer'),
    nameField: 'name',
    writer: 'GATEWAY',
    newRecord: (name) => newCustomer(`CT${String((counter += 1)).padStart(5, '0')}`, name),
    close: release,
  };
});

describeConnector('crm', async () => {
  const { stores, release } = await seededStores('crm_connector');
  const connector = new CrmConnector(stores.crm);
  return {
    connector,
    table: connector.table('account'),
    nameField: 'name',
    writer: randomUUID(),
    newRecord: (name) => newAccount(name, randomUUID()),
    close: release,
  };
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
