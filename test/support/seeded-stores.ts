import { closeStores, openStores, type Stores } from '../../src/db/data-sources';
import { seedDemoCompany } from '../../src/demo/demo-company.generator';
import { createTestDatabase } from './test-gateway';

/** A database of the test's own holding a small demo company, dropped by release(). */
export async function seededStores(label: string, customers = 60): Promise<{ stores: Stores; release: () => Promise<void> }> {
  const database = await createTestDatabase(label);
  const stores = await openStores({ erp: database.url, crm: database.url, integration: database.url }, { poolSize: 3 });
  await seedDemoCompany(stores, { customers, seed: 3 });
  return {
    stores,
    release: async () => {
      await closeStores(stores);
      await database.drop();
    },
  };
}
