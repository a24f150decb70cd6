import 'reflect-metadata';
import { isDeepStrictEqual } from 'node:util';
import { findDatabaseServer } from '../test/support/database-server';
import { runCrashScenario } from '../test/support/crash-scenario';
import { loadAverage, machine, runBench, writeResults } from './bench-support';

const KILLS = Number(process.env.BENCH_CRASH_KILLS ?? 50);
const CUSTOMERS = Number(process.env.BENCH_CRASH_CUSTOMERS ?? 2_000);
const CHUNK = Number(process.env.BENCH_CRASH_CHUNK ?? 100);

/**
 * `npm run bench:crash`: the crash test at scale: a full synchronisation whose worker process is
 * stopped once and killed (SIGKILL) BENCH_CRASH_KILLS times at random points, against an
 * uninterrupted run of the same data.
 */
async function main(): Promise<void> {
  const server = await findDatabaseServer();
  process.env.TEST_DATABASE_SERVER = server.url;
  try {
    const result = await runCrashScenario({ customers: CUSTOMERS, chunk: CHUNK, kills: KILLS, seed: 23, timeoutMs: 1_800_000 });
    const same = isDeepStrictEqual(result.actual, result.expected);
    const duplicated = Object.entries(result.duplicates).map(([table, rows]) => `${table} ${rows}`);
    const differing = Object.keys(result.expected).filter((key) => result.actual[key] !== result.expected[key]);
    await writeResults(
      'crash',
      [
        `## Full synchronisation killed ${KILLS} times`,
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:crash\` on ${machine()}, load average ${loadAverage()} at the end (the machine is shared).`,
        `Demo company of ${CUSTOMERS.toLocaleString('en')} customers, ${CHUNK} records per chunk, ${result.total.toLocaleString('en')} records processed by an uninterrupted run.`,
        '',
        `- interruptions: ${result.interruptions.length} (one SIGTERM, then SIGKILLs), at ${result.interruptions.join(', ')} records`,
        `- final status: ${result.status}; final state ${same ? '**identical**' : `**different** (${differing.join(', ')})`} to the uninterrupted run's (every ERP and CRM table, couplings, one-sided index rows, job counters)`,
        `- records written twice: ${duplicated.length === 0 ? 'none' : duplicated.join(', ')}`,
        `- time: uninterrupted ${result.seconds.reference.toFixed(0)} s, interrupted ${result.seconds.interrupted.toFixed(0)} s (worker restarts included)`,
      ].join('\n'),
    );
    if (!same || duplicated.length > 0 || result.status !== 'SUCCEEDED') process.exitCode = 1;
  } finally {
    await server.embedded?.stop();
  }
}

runBench(main);
