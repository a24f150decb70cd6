import { randomUUID } from 'node:crypto';
import { Account } from '../entities/crm';
import { Customer } from '../entities/erp';
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
  return {
    connector: new ErpConnector(stores.erp),
    table: Customer,
    nameField: 'name',
    writer: 'GATEWAY',
    newRecord: (name) => newCustomer(`CT${String((counter += 1)).padStart(5, '0')}`, name),
    close: release,
  };
});

describeConnector('crm', async () => {
  const { stores, release } = await seededStores('crm_connector');
  return {
    connector: new CrmConnector(stores.crm),
    table: Account,
    nameField: 'name',
    writer: randomUUID(),
    newRecord: (name) => newAccount(name, randomUUID()),
    close: release,
  };
});
