import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { runTestsAgainstDatabase } from './database-server';

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
  await runTestsAgainstDatabase(['--test-concurrency=2', ...process.argv.slice(2), ...testFiles(path.join(__dirname, '..')).sort()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
