import path from 'node:path';
import { runTestsAgainstDatabase } from '../test/support/database-server';

/**
 * `npm run bench:fuzz`: the schema fuzz test at FUZZ_RUNS operations (default 10,000), with a
 * seed of FUZZ_SEED or a new one, which it prints with the command that replays it.
 */
async function main(): Promise<void> {
  await runTestsAgainstDatabase([path.join(__dirname, '..', 'test', 'schema-fuzz.test.js')], { FUZZ_RUNS: process.env.FUZZ_RUNS ?? '10000' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
