import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { findDatabaseServer } from './database-server';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'support' ? [] : testFiles(file);
    return name.endsWith('.test.js') ? [file] : [];
  });
}

/**
 * `npm test`: finds a PostgreSQL server (starting an embedded one when none is reachable), then
 * runs every compiled test file with node's test runner. Each file creates its own databases on
 * that server, so files can run two at a time.
 */
async function main(): Promise<void> {
  const server = await findDatabaseServer();
  console.log(`tests use PostgreSQL at ${new URL(server.url).host}${server.embedded ? ' (embedded)' : ''}`);
  const files = testFiles(path.join(__dirname, '..')).sort();
  const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...files], {
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE_SERVER: server.url },
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 1)));
  await server.embedded?.stop();
  process.exitCode = code;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
