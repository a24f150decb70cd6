import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/db/embedded-postgres';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The PostgreSQL server tests create their databases on: DATABASE_URL, else the local server on
 * 5432, else an embedded one started for this run.
 */
export async function findDatabaseServer(): Promise<{ url: string; embedded: EmbeddedPostgresHandle | null }> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, embedded: null };
  if (await reachable(LOCAL_SERVER)) return { url: LOCAL_SERVER, embedded: null };
  const embedded = await startEmbeddedPostgres(path.join(process.cwd(), '.data', 'test-postgres'), null);
  return { url: embedded.url, embedded };
}

/**
 * Runs node's test runner with `args` in a child process against the server findDatabaseServer
 * picks (an embedded one is stopped afterwards); this process exits with the child's code.
 */
export async function runTestsAgainstDatabase(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<void> {
  const server = await findDatabaseServer();
  console.log(`tests use PostgreSQL at ${new URL(server.url).host}${server.embedded ? ' (embedded)' : ''}`);
  const child = spawn(process.execPath, ['--test', ...args], { stdio: 'inherit', env: { ...process.env, ...env, TEST_DATABASE_SERVER: server.url } });
  const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 1)));
  await server.embedded?.stop();
  process.exitCode = code;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
