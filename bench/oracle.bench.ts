import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findDatabaseServer } from '../test/support/database-server';
import { loadAverage, machine, runBench, writeResults } from './bench-support';

const WORLDS = Number(process.env.ORACLE_WORLDS ?? 1_000);

/**
 * The oracle (test/sync-oracle.test.ts) on more worlds than `npm test` gives it: every mapping,
 * random edits on both sides, new and deleted records, every policy. The seed is printed, and
 * written down, so that a failure can be replayed.
 */
async function main(): Promise<void> {
  const seed = process.env.ORACLE_SEED ? Number(process.env.ORACLE_SEED) : Math.floor(Math.random() * 2 ** 31);
  const summary = path.join(await mkdtemp(path.join(os.tmpdir(), 'oracle-')), 'worlds.json');
  const server = await findDatabaseServer();
  console.log(`oracle: ${WORLDS} worlds, seed ${seed}`);
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--test', path.join(__dirname, '..', 'test', 'sync-oracle.test.js')], {
      env: { ...process.env, ORACLE_WORLDS: String(WORLDS), ORACLE_SEED: String(seed), ORACLE_SUMMARY: summary, TEST_DATABASE_SERVER: server.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output.push(chunk.toString());
    });
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  await server.embedded?.stop();
  const minutes = (Date.now() - started) / 60_000;
  const worlds = JSON.parse(await readFile(summary, 'utf8').catch(() => '{}')) as Record<string, number>;
  const failure = /Counterexample: .*/.exec(output.join(''))?.[0];
  await writeResults(
    'oracle',
    [
      '## Oracle: the engine against a plain specification on random worlds of every mapping',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:oracle\` (ORACLE_WORLDS=${WORLDS}) on ${machine()}; load average ${loadAverage()} at the end.`,
      `Seed ${seed} (replay: \`ORACLE_WORLDS=${WORLDS} ORACLE_SEED=${seed} npm run bench:oracle\`). ${code === 0 ? `**All ${WORLDS} worlds agree**` : `**A world disagrees**: ${failure ?? 'see the output'}`}, in ${minutes.toFixed(1)} minutes.`,
      '',
      '| mapping | worlds |',
      '|---|---|',
      ...Object.entries(worlds)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([mapping, count]) => `| ${mapping} | ${count} |`),
    ].join('\n'),
  );
  process.exitCode = code;
}

runBench(main);
