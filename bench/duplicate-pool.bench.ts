import 'reflect-metadata';
import type { ObjectLiteral } from 'typeorm';
import type { SystemName } from '../src/connectors/system-connector';
import { uncoupledRecords } from '../src/duplicates/uncoupled-records';
import { benchDatabase, loadAverage, machine, runBench, withDemoCopy, writeResults } from './bench-support';

const SIZES = (process.env.BENCH_DUPLICATE_POOL_SIZES ?? '10000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_DUPLICATE_POOL_REPEATS ?? 4);
const TABLES: Record<SystemName, string> = { erp: 'customer', crm: 'account' };

const range = (values: readonly number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

/** Wall-clock and this process's CPU milliseconds of `work`. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * The duplicate review's candidate pool of CUSTOMER, each side of the demo company: the uncoupled
 * records from the unified index's one-sided rows (what a run reads now) against the side's whole
 * list less the coupled keys (what it read before), alternately, and whether both found the same records.
 */
async function main(): Promise<void> {
  const rows = [
    '| customers | side | uncoupled | from the index: ms | gateway CPU ms | whole list: records | ms | gateway CPU ms | same records |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const size of SIZES) {
    const base = await benchDatabase(size);
    await withDemoCopy(base, `gw_bench_dup_pool_${size}`, async ({ stores, services }) => {
      await services.discovery.catchUpAll();
      for (const side of ['erp', 'crm'] as const) {
        const connector = services.connectors[side];
        const table = connector.table(TABLES[side]);
        const keyOf = (record: ObjectLiteral) => connector.keyOf(table, record);
        const index = { ms: [] as number[], cpu: [] as number[] };
        const list = { ms: [] as number[], cpu: [] as number[] };
        let same = true;
        let found = 0;
        let listed = 0;
        for (let i = 0; i < REPEATS; i += 1) {
          const fromIndex = await timed(() => uncoupledRecords(connector, stores.integration, services.discovery, 'CUSTOMER', side, table, 100_000));
          const fromList = await timed(async () => {
            const [records, coupled] = await Promise.all([
              connector.list(table, { first: 100_000 }),
              stores.integration.query(
                `SELECT ${side}_id::text AS key FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL`,
              ) as Promise<Array<{ key: string }>>,
            ]);
            const taken = new Set(coupled.map((row) => row.key));
            listed = records.length;
            return records.filter((record) => !taken.has(keyOf(record)));
          });
          index.ms.push(fromIndex.ms);
          index.cpu.push(fromIndex.cpuMs);
          list.ms.push(fromList.ms);
          list.cpu.push(fromList.cpuMs);
          const keys = new Set((fromIndex.result ?? []).map(keyOf));
          same &&= fromIndex.result !== null && keys.size === fromList.result.length && fromList.result.every((record) => keys.has(keyOf(record)));
          found = fromList.result.length;
        }
        rows.push(
          `| ${size.toLocaleString('en')} | ${side.toUpperCase()} | ${found.toLocaleString('en')} | ${range(index.ms)} | ${range(index.cpu)} | ${listed.toLocaleString('en')} | ${range(list.ms)} | ${range(list.cpu)} | ${same ? 'yes' : 'no'} |`,
        );
      }
    });
    await base.stop();
  }
  await writeResults(
    'duplicate-pool',
    [
      "## Duplicate review: the candidate pool, from the index's one-sided rows or the whole list",
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:duplicate-pool\` on ${machine()}, PostgreSQL on the same machine, load average ${loadAverage()} at the end.`,
      `The CUSTOMER records no coupling holds, on each side of a copy of the demo company (as seeded: some customers coupled, some not), ${REPEATS} times each way, alternately: from the index (one statement for the one-sided rows' keys, the records read by key, the change feed after the index's cursor) and from the side's whole list less the coupled keys, as a run read them before.`,
      '',
      ...rows,
    ].join('\n'),
  );
}

runBench(main);
