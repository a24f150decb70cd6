import type { GatewayConfig } from '../config/config';
import type { Stores } from '../db/data-sources';
import { isDemoSeeded } from './demo-seeded';

/** Generates the demo company (DEMO_CUSTOMERS customers) into stores whose ERP holds no customer yet. */
export async function seedDemoIfEmpty(stores: Stores, config: GatewayConfig, log: (message: string) => void): Promise<void> {
  if (config.demoCustomers === 0 || (await isDemoSeeded(stores))) return;
  log(`Empty database: generating the demo company (${config.demoCustomers} customers)…`);
  // Loaded only to seed: the generator and faker hold about 8 MB of heap a running gateway never uses.
  const { seedDemoCompany } = await import('./demo-company.generator.js');
  await seedDemoCompany(stores, { customers: config.demoCustomers, onProgress: log });
}
