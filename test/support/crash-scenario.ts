import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { closeStores, openStores, type Stores } from '../../src/db/data-sources';
import { seedDemoCompany } from '../../src/demo/demo-company.generator';
import { installStandardMappings } from '../../src/mappings/mapping-installer';
import { createServices, startWorker } from '../../src/server/bootstrap';
import { catchUpIndex, duplicatedRecords, exited, finished, outcome, progress, startWorkerProcess } from './full-sync-outcome';
import { eventually } from './subscriptions';
import { createTestDatabase, TEST_WORKER } from './test-gateway';

export interface CrashScenario {
  readonly customers: number;
  readonly chunk: number;
  /** SIGKILLs, at random points of the run (after one SIGTERM). */
  readonly kills: number;
  readonly seed: number;
  /** How long the whole interrupted run may take. */
  readonly timeoutMs: number;
}

export interface CrashOutcome {
  readonly expected: Record<string, string>;
  readonly actual: Record<string, string>;
  /** Records the interrupted run wrote twice, per table (see duplicatedRecords). */
  readonly duplicates: Record<string, number>;
  /** Records processed when each interruption landed. */
  readonly interruptions: number[];
  /** Records an uninterrupted run processes. */
  readonly total: number;
  readonly status: string;
  readonly seconds: { reference: number; interrupted: number };
}

const open = (url: string): Promise<Stores> => openStores({ erp: url, crm: url, integration: url }, { poolSize: 4 });

/**
 * One full synchronisation run twice from the same data: once undisturbed in this process, once in
 * a worker process that is stopped politely (SIGTERM) once and then killed (SIGKILL) at `kills`
 * random points of the run, a new worker started after each. Returns both final states.
 */
export async function runCrashScenario(scenario: CrashScenario): Promise<CrashOutcome> {
  const cleanup: Array<() => Promise<void>> = [];
  try {
    const data = await createTestDatabase('crash_data');
    cleanup.push(data.drop);
    const seeding = await open(data.url);
    await installStandardMappings(seeding.integration);
    await seedDemoCompany(seeding, { customers: scenario.customers, seed: scenario.seed });
    await closeStores(seeding);
    const reference = await createTestDatabase('crash_reference', data.name);
    cleanup.push(reference.drop);

    // The uninterrupted run, with a worker in this process.
    let started = Date.now();
    const calm = await open(reference.url);
    const calmServices = createServices(calm, 'x'.repeat(32), { runsWorker: true, syncChunkSize: scenario.chunk });
    const calmWorker = await startWorker(calmServices, TEST_WORKER);
    const calmRun = await calmServices.fullSync.start('reference');
    assert.equal(await finished(reference.url, calmRun.id, scenario.timeoutMs), 'SUCCEEDED');
    await calmWorker.stop();
    await calmServices.close();
    await closeStores(calm);
    const referenceSeconds = (Date.now() - started) / 1000;
    await catchUpIndex(reference.url);
    const expected = await outcome(reference.url);
    const total = (await progress(reference.url, calmRun.id))!.processed;

    // The same run in a worker process, interrupted at random points of its progress.
    started = Date.now();
    const stores = await open(data.url);
    cleanup.push(() => closeStores(stores));
    const services = createServices(stores, 'x'.repeat(32), { syncChunkSize: scenario.chunk });
    cleanup.push(() => services.close());
    const run = await services.fullSync.start('crash test');
    let worker: ChildProcess = startWorkerProcess(data.url, scenario.chunk);
    cleanup.push(async () => {
      worker.kill('SIGKILL');
      await exited(worker);
    });
    // Within the first 70 % of the run: each restart goes on a chunk or more past its target before it is seen, and
    // targets bunched at the very end would let the run finish before the last interruptions.
    const targets = Array.from({ length: scenario.kills + 1 }, () => randomInt(1, Math.floor(total * 0.7))).sort((a, b) => a - b);
    const interruptions: number[] = [];
    let before = 0;
    for (const [index, target] of targets.entries()) {
      // At the target, or (when several targets fall in one chunk) once the new worker has made some progress.
      const reached = await eventually(
        async () => {
          const now = await progress(data.url, run.id);
          return now && (now.done || (now.processed >= target && now.processed > before)) ? now : undefined;
        },
        scenario.timeoutMs,
        'the worker to make progress',
      );
      if (reached.done) break;
      // A moment later, so that a kill may land inside a chunk as well as between two.
      await new Promise((resolve) => setTimeout(resolve, randomInt(0, 150)));
      if (index === 0) {
        // Stopped the polite way first: the worker finishes its chunk, hands the job back and exits cleanly.
        worker.kill('SIGTERM');
        await exited(worker);
        assert.equal(worker.exitCode, 0);
        const [{ running }] = await stores.integration.query(`SELECT count(*)::int AS running FROM integration.sync_job WHERE run_id = $1 AND status = 'RUNNING'`, [run.id]);
        assert.equal(running, 0, 'a stopped worker leaves no job marked running');
      } else {
        worker.kill('SIGKILL');
        await exited(worker);
      }
      interruptions.push(reached.processed);
      before = reached.processed;
      worker = startWorkerProcess(data.url, scenario.chunk);
    }
    const status = await finished(data.url, run.id, scenario.timeoutMs);
    worker.kill('SIGTERM');
    await exited(worker);
    await catchUpIndex(data.url);
    const actual = await outcome(data.url);
    const duplicates = await duplicatedRecords(data.url);
    return { expected, actual, duplicates, interruptions, total, status, seconds: { reference: referenceSeconds, interrupted: (Date.now() - started) / 1000 } };
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}
