import 'reflect-metadata';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { closeStores } from '../src/db/data-sources';
import { createServices } from '../src/server/bootstrap';
import { SyncMode } from '../src/sync/sync-mode';
import { withAdminClient } from '../test/support/database-server';
import { benchDatabase, loadAverage, machine, openBenchStores, rawAccountUpsertRate, serverCpu, serverCpuBetween, writeResults } from './bench-support';

const SIZES = (process.env.BENCH_SYNC_SIZES ?? '10000,100000').split(',').map(Number);
/** With `true`, a read-model follower runs in this process during the run, as a gateway's does beside a worker. */
const FOLLOWED = process.env.BENCH_SYNC_READ_MODEL === 'true';
/** Each size is measured this many times with field lineage recorded and as many without, alternately. */
const REPEATS = Number(process.env.BENCH_SYNC_REPEATS ?? 3);
const RAW_CHUNK = 5_000;
const BENCH_POOL_SIZE = 10;

interface Measured {
  readonly customers: number;
  /** Whether the engine recorded field lineage. */
  readonly lineage: boolean;
  readonly seconds: number;
  readonly inserted: number;
  readonly skipped: number;
  readonly peakRssMb: number;
  /** The largest heap left after a full collection during the run (see withMemory). */
  readonly liveHeapMb: number;
  readonly rawSeconds: number;
  readonly rawRows: number;
  /** CPU seconds this process spent (the gateway's share of the work; PostgreSQL's is not counted). */
  readonly cpuSeconds: number;
  readonly rawCpuSeconds: number;
  /** CPU seconds of the PostgreSQL sessions of the run, when the server runs on this machine. */
  readonly serverCpuSeconds: number | null;
  readonly rawServerCpuSeconds: number | null;
  /** WAL the server wrote during the run (the whole server's: other databases' writes count too). */
  readonly walBytes: number;
}

const perThousand = (seconds: number | null, records: number) => (seconds === null ? 'n/a' : `${((seconds * 1000 * 1000) / records).toFixed(0)} ms`);

const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/**
 * This process's memory while `work` runs: the peak resident size, and the largest heap left after
 * a full (mark-compact) collection, which is what the run keeps alive. The resident size also holds
 * the garbage V8 lets build up between full collections, and V8 gives a busy heap more room the
 * longer it runs.
 */
async function withMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number; liveHeapMb: number }> {
  let peak = process.memoryUsage().rss;
  let live = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const collections = new PerformanceObserver((list) => {
    if (list.getEntries().some((entry) => (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
      live = Math.max(live, process.memoryUsage().heapUsed);
    }
  });
  collections.observe({ entryTypes: ['gc'] });
  try {
    const result = await work();
    return { result, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20, liveHeapMb: live / 2 ** 20 };
  } finally {
    clearInterval(timer);
    collections.disconnect();
  }
}

/**
 * Full synchronisation of the CUSTOMER mapping ERP → CRM on a copy of the demo company with every
 * account removed, so each customer becomes an account; then the same accounts written again by a
 * plain INSERT … SELECT FROM unnest(…) ON CONFLICT through pg, the fastest bulk write there is.
 */
async function measure(customers: number, lineage: boolean): Promise<Measured> {
  const base = await benchDatabase(customers);
  const copy = `gw_bench_sync_${customers}`;
  await withAdminClient(base.serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${copy} TEMPLATE ${base.name}`);
  });
  const stores = await openBenchStores(base.serverUrl, copy, BENCH_POOL_SIZE);
  try {
    await stores.crm.query('TRUNCATE crm.account');
    await stores.integration.query(`DELETE FROM integration.integration_record WHERE mapping_name = 'CUSTOMER'`);
    await stores.integration.query(`UPDATE integration.table_mapping SET direction = 'TO_CRM', erp_synced_until = NULL, crm_synced_until = NULL WHERE name = 'CUSTOMER'`);
    // As before a first full synchronisation: no CUSTOMER rows in the integration store, not the dead ones the DELETE leaves.
    await stores.crm.query('VACUUM ANALYZE crm.account');
    await stores.integration.query('VACUUM ANALYZE integration.integration_record');
    // Both measurements start from a checkpoint, so that neither pays for the copy's or the other's writes.
    await stores.crm.query('CHECKPOINT');
    const services = createServices(stores, 'x'.repeat(32), { fieldLineage: lineage });
    if (FOLLOWED) {
      await services.readModel.start();
      await services.readModel.whenComplete();
    }
    // Every pool opens its sessions now, so that the server CPU of all of them is counted from here.
    await Promise.all(
      [stores.erp, stores.crm, stores.integration].map((store) => Promise.all(Array.from({ length: BENCH_POOL_SIZE }, () => store.query('SELECT pg_sleep(0.01)')))),
    );
    global.gc?.();
    const serverStarted = await serverCpu(stores.integration, copy);
    const walStarted = await walPosition(stores.integration);
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    const { result: job, peakRssMb, liveHeapMb } = await withMemory(() => services.sync.runMapping('CUSTOMER', SyncMode.FULL, 'bench'));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuSeconds = cpuSince(cpuStarted);
    const serverEnded = await serverCpu(stores.integration, copy);
    const walBytes = await walSince(stores.integration, walStarted);
    await services.readModel.stop();

    await stores.crm.query('CHECKPOINT');
    const raw = await rawAccountUpsertRate(stores.crm, RAW_CHUNK, () => serverCpu(stores.integration, copy));
    return {
      customers,
      lineage,
      seconds,
      inserted: job.inserted,
      skipped: job.skipped,
      peakRssMb,
      liveHeapMb,
      rawSeconds: raw.seconds,
      rawRows: raw.rows,
      cpuSeconds,
      rawCpuSeconds: raw.cpuSeconds,
      serverCpuSeconds: serverCpuBetween(serverStarted, serverEnded),
      rawServerCpuSeconds: raw.serverCpuSeconds,
      walBytes,
    };
  } finally {
    await closeStores(stores);
    await withAdminClient(base.serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`));
    await base.stop();
  }
}

const walPosition = async (db: DataSource): Promise<string> => ((await db.query('SELECT pg_current_wal_lsn()::text AS lsn')) as Array<{ lsn: string }>)[0]!.lsn;
const walSince = async (db: DataSource, start: string): Promise<number> =>
  Number(((await db.query('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) AS bytes', [start])) as Array<{ bytes: string }>)[0]!.bytes);

const rateOf = (r: Measured) => (r.inserted + r.skipped) / r.seconds;
const range = (values: readonly number[], format: (value: number) => string) => `${format(Math.min(...values))}–${format(Math.max(...values))}`;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Per size: the rate, the gateway's and PostgreSQL's CPU and the WAL with field lineage recorded and without, as ranges, and what recording costs (medians). */
function lineageCost(results: readonly Measured[]): string[] {
  return SIZES.map((size) => {
    const of = (lineage: boolean) => results.filter((r) => r.customers === size && r.lineage === lineage);
    const [on, off] = [of(true), of(false)];
    const rates = (rows: readonly Measured[]) => rows.map(rateOf);
    const perRecord = (rows: readonly Measured[], of: (r: Measured) => number | null) => rows.map((r) => ((of(r) ?? NaN) * 1000) / (r.inserted + r.skipped));
    const cost = (1 - median(rates(on)) / median(rates(off))) * 100;
    // CPU per record, the gateway's and PostgreSQL's together: steadier than the rate on a shared machine.
    const cpu = (rows: readonly Measured[]) => median(perRecord(rows, (r) => (r.serverCpuSeconds === null ? null : r.cpuSeconds + r.serverCpuSeconds)));
    const cpuCost = (cpu(on) / cpu(off) - 1) * 100;
    const ms = (v: number) => `${(v * 1000).toFixed(0)} ms`;
    const kb = (v: number) => `${(v / 1024).toFixed(0)} kB`;
    const both = (of: (r: Measured) => number | null, format: (v: number) => string) => `${range(perRecord(on, of), format)} | ${range(perRecord(off, of), format)}`;
    return `| ${size.toLocaleString('en')} | ${range(rates(on), (v) => v.toFixed(0))} | ${range(rates(off), (v) => v.toFixed(0))} | ${cost.toFixed(1)} % | ${cpuCost.toFixed(1)} % | ${both((r) => r.cpuSeconds, ms)} | ${both((r) => r.serverCpuSeconds, ms)} | ${both((r) => r.walBytes, kb)} |`;
  });
}

async function main(): Promise<void> {
  // One run that is not counted, so that the first size measured is not the one that pays for compiling the engine's code.
  await measure(SIZES[0]!, true);
  const results: Measured[] = [];
  // Alternately, so that a change in the machine's load falls on both.
  for (const size of SIZES) for (let i = 0; i < REPEATS; i += 1) for (const lineage of [i % 2 === 0, i % 2 !== 0]) results.push(await measure(size, lineage));
  await writeResults(
    'sync',
    [
      '## Full synchronisation of CUSTOMER, ERP → CRM',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:sync\` on ${machine()}, PostgreSQL on the same machine; load average ${loadAverage()} at the end.`,
      'Every CRM account and CUSTOMER coupling removed first (then VACUUM), so each customer in the ERP filter becomes an account (customers of uncoupled salespeople are skipped, as the seed says).',
      'Each size is measured in a process that has already run the engine once (a first run also compiles its code), and each measurement starts from a CHECKPOINT.',
      `Each size is measured ${REPEATS} times with field lineage recorded (the engine as it runs) and ${REPEATS} times without (\`fieldLineage: false\`), alternately, each on a fresh copy of the demo company.`,
      'The raw rate writes the same accounts again with one `INSERT … SELECT FROM unnest(…) ON CONFLICT` per 5,000 rows through pg, read through a cursor; only the writes are timed.',
      "Live heap: the largest heap left after a full (mark-compact) collection during the engine's run, which is what the run keeps alive.",
      "PostgreSQL CPU is what the server processes of the run's sessions used (from /proc; n/a when the server runs elsewhere).",
      ...(FOLLOWED ? ['A read-model follower ran in the same process during each run (BENCH_SYNC_READ_MODEL=true), indexing the accounts as the engine wrote them.'] : []),
      '',
      '| customers | field lineage | engine records/s | accounts created | skipped | raw unnest rows/s | engine ÷ raw | peak RSS | live heap | gateway CPU per 1,000 records: engine, raw | PostgreSQL CPU per 1,000 records: engine, raw |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.customers.toLocaleString('en')} | ${r.lineage ? 'on' : 'off'} | ${rateOf(r).toFixed(0)} | ${r.inserted.toLocaleString('en')} | ${r.skipped.toLocaleString('en')} | ${(r.rawRows / r.rawSeconds).toFixed(0)} | ${((rateOf(r) / (r.rawRows / r.rawSeconds)) * 100).toFixed(0)} % | ${r.peakRssMb.toFixed(0)} MB | ${r.liveHeapMb > 0 ? `${r.liveHeapMb.toFixed(0)} MB` : 'no full collection'} | ${perThousand(r.cpuSeconds, r.inserted + r.skipped)}, ${perThousand(r.rawCpuSeconds, r.rawRows)} | ${perThousand(r.serverCpuSeconds, r.inserted + r.skipped)}, ${perThousand(r.rawServerCpuSeconds, r.rawRows)} |`,
      ),
      '',
      "What recording field lineage costs: the rate's range on and off and the cost as the difference of the medians; the CPU cost, the medians of the gateway's and PostgreSQL's CPU per record together (steadier on a shared machine); and per 1,000 records the gateway's CPU, PostgreSQL's CPU and the WAL written (the whole server's, so another database's writes at the time count too).",
      '',
      '| customers | records/s, lineage on | records/s, lineage off | cost (rate) | cost (CPU) | gateway CPU, on | gateway CPU, off | PostgreSQL CPU, on | PostgreSQL CPU, off | WAL, on | WAL, off |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...lineageCost(results),
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
