import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { closeStores, openStores, type Stores } from '../src/db/data-sources';
import { isDemoSeeded, seedDemoCompany } from '../src/demo/demo-company.generator';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { createServices } from '../src/server/bootstrap';
import type { GatewayServices } from '../src/server/services';
import { databaseUrl, findDatabaseServer, withAdminClient } from '../test/support/database-server';
import { waitForOutput } from '../test/support/processes';

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

export type BenchDatabase = Awaited<ReturnType<typeof benchDatabase>>;

export interface DemoCopy {
  readonly url: string;
  readonly stores: Stores;
  readonly services: GatewayServices;
}

/**
 * A fresh copy of a bench database (CREATE DATABASE … TEMPLATE) with services over it, for `work`
 * to write to; the generated base stays as it was, and the copy is dropped afterwards.
 */
export async function withDemoCopy<T>(base: BenchDatabase, copyName: string, work: (copy: DemoCopy) => Promise<T>): Promise<T> {
  await withAdminClient(base.serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${copyName} TEMPLATE ${base.name}`);
  });
  const stores = await openBenchStores(base.serverUrl, copyName);
  const services = createServices(stores, 'bench-secret-bench-secret-bench-secret!');
  try {
    return await work({ url: databaseUrl(base.serverUrl, copyName), stores, services });
  } finally {
    await services.close();
    await closeStores(stores);
    await withAdminClient(base.serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`));
  }
}

/** Runs a benchmark's main function, failing the process on an error. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
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

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** The kernel's high-water mark of the process's resident memory (VmHWM), in MiB. */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * `npm run worker` in a process of its own on `url`, as in production, so its memory is its own
 * and its work does not share the benchmark's event loop. Resolves once it has started.
 */
export async function startWorkerProcess(url: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'src', 'server', 'worker.main.js')], {
    env: { ...process.env, DATABASE_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForOutput(child, /Worker \d+ started/);
  return {
    child,
    async peakRssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
    },
    stop: () => stopProcess(child),
  };
}

/** Stops a process as an operator would (SIGTERM), once it has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** What writing the accounts again took: the rows, and the time and CPU of the writes alone. */
export interface RawUpsertRate {
  readonly rows: number;
  readonly seconds: number;
  /** CPU seconds this process spent in the writes. */
  readonly cpuSeconds: number;
  /** CPU seconds of the database sessions during the writes, when `serverCpuNow` can tell (see serverCpu). */
  readonly serverCpuSeconds: number | null;
}

/**
 * Writes every CRM account again into a twin table with one `INSERT … SELECT FROM unnest(…) ON
 * CONFLICT` per `chunk` rows through pg, the fastest bulk write there is: the yardstick for the
 * engine's rate. Rows are read through a cursor in the table's own order (random ids, as the
 * engine meets them), so the process never holds the whole table, and only the writes are timed.
 */
export async function rawAccountUpsertRate(crm: DataSource, chunk = 5_000, serverCpuNow?: () => Promise<ServerCpu | null>): Promise<RawUpsertRate> {
  const columns: Array<{ column_name: string; data_type: string }> = await crm.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'crm' AND table_name = 'account' ORDER BY ordinal_position`,
  );
  const names = columns.map((c) => c.column_name);
  const types = columns.map((c) => (c.data_type === 'timestamp with time zone' ? 'timestamptz' : c.data_type === 'character varying' ? 'varchar' : c.data_type));
  const sql = `INSERT INTO crm.account_raw (${names.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${names
      .filter((n) => n !== 'id')
      .map((n) => `${n} = excluded.${n}`)
      .join(', ')}`;
  await crm.query('DROP TABLE IF EXISTS crm.account_raw');
  await crm.query('CREATE TABLE crm.account_raw (LIKE crm.account INCLUDING ALL)');
  const reader = crm.createQueryRunner();
  let rows = 0;
  let nanoseconds = 0n;
  let cpuMicroseconds = 0;
  let serverSeconds: number | null = serverCpuNow ? 0 : null;
  try {
    await reader.startTransaction();
    await reader.query('DECLARE accounts NO SCROLL CURSOR FOR SELECT * FROM crm.account');
    for (;;) {
      const batch: Array<Record<string, unknown>> = await reader.query(`FETCH ${chunk} FROM accounts`);
      if (batch.length === 0) break;
      const serverBefore = serverCpuNow ? await serverCpuNow() : null;
      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      await crm.query(
        sql,
        names.map((name) => batch.map((row) => row[name] ?? null)),
      );
      nanoseconds += process.hrtime.bigint() - started;
      const cpu = process.cpuUsage(cpuBefore);
      cpuMicroseconds += cpu.user + cpu.system;
      if (serverCpuNow) {
        const used = serverCpuBetween(serverBefore, await serverCpuNow());
        serverSeconds = used === null || serverSeconds === null ? null : serverSeconds + used;
      }
      rows += batch.length;
    }
    await reader.commitTransaction();
  } finally {
    await reader.release();
    await crm.query('DROP TABLE IF EXISTS crm.account_raw');
  }
  return { rows, seconds: Number(nanoseconds) / 1e9, cpuSeconds: cpuMicroseconds / 1e6, serverCpuSeconds: serverSeconds };
}

export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** The machine is shared: what else was running shows in the load average. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');

/** `p50 / p95 / p99 …` of latencies in milliseconds. */
export function latencies(values: readonly number[], points: readonly number[] = [50, 95, 99]): Record<string, string> {
  const sorted = [...values].sort((a, b) => a - b);
  return Object.fromEntries(points.map((p) => [`p${p}`, `${percentile(sorted, p).toFixed(0)} ms`]));
}

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
