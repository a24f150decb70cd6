import 'reflect-metadata';
import { SyncMode } from '../src/sync/sync-engine';
import { benchDatabase, machine, rawAccountUpsertRate, runBench, withDemoCopy, writeResults } from './bench-support';

const SIZES = (process.env.BENCH_SYNC_SIZES ?? '10000,100000').split(',').map(Number);
const CHUNK = 5_000;

interface Measured {
  readonly customers: number;
  readonly seconds: number;
  readonly inserted: number;
  readonly skipped: number;
  readonly peakRssMb: number;
  readonly rawSeconds: number;
  readonly rawRows: number;
}

/** Samples this process's resident memory while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await work();
    return { result, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Full synchronisation of the CUSTOMER mapping ERP → CRM on a copy of the demo company with every
 * account removed, so each customer becomes an account; then the same accounts written again by a
 * plain INSERT … SELECT FROM unnest(…) ON CONFLICT through pg, the fastest bulk write there is.
 */
async function measure(customers: number): Promise<Measured> {
  const base = await benchDatabase(customers);
  try {
    return await withDemoCopy(base, `gw_bench_sync_${customers}`, async ({ stores, services }) => {
      await stores.crm.query('TRUNCATE crm.account');
      await stores.integration.query(`DELETE FROM integration.integration_record WHERE mapping_name = 'CUSTOMER'`);
      await stores.integration.query(`UPDATE integration.table_mapping SET direction = 'TO_CRM', erp_synced_until = NULL, crm_synced_until = NULL WHERE name = 'CUSTOMER'`);
      await stores.crm.query('VACUUM ANALYZE crm.account');
      global.gc?.();
      const started = process.hrtime.bigint();
      const { result: job, peakMb } = await withPeakRss(() => services.sync.runMapping('CUSTOMER', SyncMode.FULL, 'bench'));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const raw = await rawAccountUpsertRate(stores.crm, CHUNK);
      return { customers, seconds, inserted: job.inserted, skipped: job.skipped, peakRssMb: peakMb, rawSeconds: raw.seconds, rawRows: raw.rows };
    });
  } finally {
    await base.stop();
  }
}

async function main(): Promise<void> {
  const results: Measured[] = [];
  for (const size of SIZES) results.push(await measure(size));
  await writeResults(
    'sync',
    [
      '## Full synchronisation of CUSTOMER, ERP → CRM',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:sync\` on ${machine()}, PostgreSQL on the same machine.`,
      'Every CRM account removed first, so each customer in the ERP filter becomes an account (customers of uncoupled salespeople are skipped, as the seed says).',
      'The raw rate writes the same accounts again with one `INSERT … SELECT FROM unnest(…) ON CONFLICT` per 5,000 rows through pg.',
      '',
      '| customers | engine records/s | accounts created | skipped | raw unnest rows/s | engine ÷ raw | peak RSS |',
      '|---|---|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.customers.toLocaleString('en')} | ${((r.inserted + r.skipped) / r.seconds).toFixed(0)} | ${r.inserted.toLocaleString('en')} | ${r.skipped.toLocaleString('en')} | ${(r.rawRows / r.rawSeconds).toFixed(0)} | ${(((r.inserted + r.skipped) / r.seconds / (r.rawRows / r.rawSeconds)) * 100).toFixed(0)} % | ${r.peakRssMb.toFixed(0)} MB |`,
      ),
    ].join('\n'),
  );
}

runBench(main);
