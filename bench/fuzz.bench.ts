import { spawn } from 'node:child_process';
import path from 'node:path';
import { findDatabaseServer } from '../test/support/database-server';

/**
 * `npm run bench:fuzz`: the schema fuzz test at FUZZ_RUNS operations (default 10,000), with a
 * seed of FUZZ_SEED or a new one, which it prints with the command that replays it.
 */
async function main(): Promise<void> {
  const server = await findDatabaseServer();
  const child = spawn(process.execPath, ['--test', path.join(__dirname, '..', 'test', 'schema-fuzz.test.js')], {
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE_SERVER: server.url, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '10000' },
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 1)));
  await server.embedded?.stop();
  process.exitCode = code;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
