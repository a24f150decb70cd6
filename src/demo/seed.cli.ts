import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config';
import { closeStores, openStores } from '../db/data-sources';
import { installStandardMappings } from '../mappings/mapping-installer';
import { DEFAULT_DEMO_SEED, type DemoSummary, isDemoSeeded, MAX_DEMO_SEED, seedDemoCompany } from './demo-company.generator';

const USAGE = `Usage: npm run seed -- --customers N [--seed S]

Fills empty ERP, CRM and integration stores with a generated demo company of N customers.
The same seed (default ${DEFAULT_DEMO_SEED}) always produces the same data.

  --customers N   ERP customers to create (1 to 10000000); everything else scales with it
  --seed S        random seed, an integer from 0 to ${MAX_DEMO_SEED}

Environment: DATABASE_URL (required), ERP_DATABASE_URL and CRM_DATABASE_URL (default: DATABASE_URL).`;

class UsageError extends Error {}

function integerOption(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${raw}`);
  return value;
}

function parseCommandLine(argv: string[]): { customers: number; seed: number } | 'help' {
  let values: { customers?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { customers: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  if (values.customers === undefined) throw new UsageError('--customers is required');
  return {
    customers: integerOption('customers', values.customers, 1, 10_000_000),
    seed: values.seed === undefined ? DEFAULT_DEMO_SEED : integerOption('seed', values.seed, 0, MAX_DEMO_SEED),
  };
}

function printSummary(summary: DemoSummary, seconds: number): void {
  const total = (tables: Readonly<Record<string, number>>) => Object.values(tables).reduce((sum, count) => sum + count, 0);
  const rows = total(summary.rows.erp) + total(summary.rows.crm) + total(summary.rows.integration);
  console.log(
    `\nDemo company seeded in ${seconds.toFixed(1)} s: ${summary.customers} customers (seed ${summary.seed}), ${rows} rows, ` +
      `${Math.round(summary.customers / seconds)} customers/s, ${Math.round(rows / seconds)} rows/s`,
  );
  for (const store of ['erp', 'crm', 'integration'] as const) {
    console.log(`\n  ${store} (${total(summary.rows[store])} rows)`);
    for (const [table, count] of Object.entries(summary.rows[store])) console.log(`    ${table.padEnd(28)} ${String(count).padStart(10)}`);
  }
  console.log('\n  couplings per mapping');
  for (const [mapping, count] of Object.entries(summary.couplings)) console.log(`    ${mapping.padEnd(28)} ${String(count).padStart(10)}`);
  console.log('\n  coupled pairs left');
  for (const [syncCase, count] of Object.entries(summary.syncCases)) console.log(`    ${syncCase.padEnd(28)} ${String(count).padStart(10)}`);
}

async function main(argv: string[]): Promise<number> {
  const command = parseCommandLine(argv);
  if (command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  if (config.databaseUrl === null) {
    console.error(
      'DATABASE_URL is required: set it to the postgres:// URL of the database to seed, for example\n' +
        '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/gateway npm run seed -- --customers 300\n' +
        '(the seeder does not start the embedded PostgreSQL; the server seeds it on its first start instead).',
    );
    return 1;
  }
  const stores = await openStores({ erp: config.erpDatabaseUrl!, crm: config.crmDatabaseUrl!, integration: config.databaseUrl });
  try {
    await installStandardMappings(stores.integration);
    if (await isDemoSeeded(stores)) {
      console.error('The ERP store already has customers: refusing to seed over existing data. Seed an empty database instead.');
      return 1;
    }
    const started = performance.now();
    const summary = await seedDemoCompany(stores, { customers: command.customers, seed: command.seed, onProgress: (message) => console.log(message) });
    printSummary(summary, (performance.now() - started) / 1000);
    return 0;
  } finally {
    await closeStores(stores);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
    else console.error('Seeding failed:', error);
    process.exitCode = 1;
  },
);
