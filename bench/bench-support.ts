import { readFile, writeFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import os from 'node:os';
import path from 'node:path';
import { closeStores, openStores, type Stores } from '../src/db/data-sources';
import { isDemoSeeded, seedDemoCompany } from '../src/demo/demo-company.generator';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { createServices } from '../src/server/bootstrap';
import { databaseUrl, findDatabaseServer, withAdminClient } from '../test/support/database-server';

const RESULTS = path.join(process.cwd(), 'bench', 'RESULTS.md');

/**
 * A demo company of `customers` customers in a database of its own, generated once and kept
 * between runs (generating 100,000 customers takes a couple of minutes).
 */
export async function benchDatabase(customers: number): Promise<{ serverUrl: string; name: string; seedSeconds: number | null; stop: () => Promise<void> }> {
  const server = await findDatabaseServer();
  const name = `gw_bench_${customers}`;
  const exists = await withAdminClient(server.url, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
  if (!exists) await withAdminClient(server.url, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(server.url, name);
  const stores = await openStores({ erp: url, crm: url, integration: url }, { poolSize: 4 });
  let seedSeconds: number | null = null;
  try {
    await installStandardMappings(stores.integration);
    if (!(await isDemoSeeded(stores))) {
      const started = Date.now();
      console.log(`generating a demo company of ${customers} customers…`);
      await seedDemoCompany(stores, { customers });
      await createServices(stores, 'x'.repeat(32)).discovery.catchUpAll();
      seedSeconds = (Date.now() - started) / 1000;
    }
  } finally {
    await closeStores(stores);
  }
  return { serverUrl: server.url, name, seedSeconds, stop: async () => void (await server.embedded?.stop()) };
}

export async function openBenchStores(serverUrl: string, name: string, poolSize = 10): Promise<Stores> {
  const url = databaseUrl(serverUrl, name);
  return openStores({ erp: url, crm: url, integration: url }, { poolSize });
}

/** Replaces this benchmark's section of bench/RESULTS.md, keeping the others. */
export async function writeResults(section: string, markdown: string): Promise<void> {
  const begin = `<!-- begin:${section} -->`;
  const end = `<!-- end:${section} -->`;
  const current = await readFile(RESULTS, 'utf8').catch(() => '# Benchmarks\n');
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const pattern = new RegExp(`${begin}[\\s\\S]*?${end}`);
  const next = pattern.test(current) ? current.replace(pattern, block) : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(RESULTS, next.endsWith('\n') ? next : `${next}\n`);
  console.log(markdown);
}

export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export const machine = () => `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`;

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by each server process of a session on one database. */
export type ServerCpu = ReadonlyMap<number, number>;

/**
 * CPU seconds that the server process of every session on `database` has used so far, read from
 * /proc: the PostgreSQL side of a benchmark, when the server runs on this machine (null when not).
 */
export async function serverCpu(dataSource: DataSource, database: string): Promise<ServerCpu | null> {
  const sessions: Array<{ pid: number }> = await dataSource.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  const used = new Map<number, number>();
  for (const { pid } of sessions) {
    // A session may end between the two reads; then its process is gone.
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null) continue;
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    used.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
  }
  return used.size > 0 ? used : null;
}

/**
 * Server CPU seconds used between two readings: by the sessions still there at the end, and all of
 * what sessions opened in between used. A session that ended in between is not counted, so callers
 * keep their pools' sessions open.
 */
export function serverCpuBetween(start: ServerCpu | null, end: ServerCpu | null): number | null {
  if (!start || !end) return null;
  let seconds = 0;
  for (const [pid, used] of end) seconds += used - (start.get(pid) ?? 0);
  return seconds;
}
