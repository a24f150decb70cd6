import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FullSyncRunDocument, FullSyncRunProgressDocument, StartFullSyncDocument } from './generated/operations';
import { subscribe, within, wsClient } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** Issue 12: fullSyncProgress carries the run's figures as a whole (processed, total, rate, ETA) beside each job's. */
describe('progress for the whole run', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'run_progress', customers: 60, worker: true, syncChunkSize: 20 });
  });
  after(() => gateway?.close());

  it("every event of a full synchronisation carries the run's processed, total, rate and ETA, its total known from the start", async () => {
    const started = await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin);
    assert.equal(started.errors, undefined, JSON.stringify(started.errors));
    const runId = started.data!.startFullSync.id;
    const client = wsClient(gateway.wsUrl, gateway.tokens.viewer);
    try {
      const events = (await within(subscribe(client, FullSyncRunProgressDocument, { runId }).completed, 90_000, 'the run to finish')).map((result) => {
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        return result.data!.fullSyncProgress;
      });
      assert.ok(
        events.every((event) => event.runProgress !== null),
        'every event of the run carries its figures',
      );
      const [first] = events;
      assert.equal(first!.kind, 'SNAPSHOT');
      assert.ok(first!.runProgress!.estimatedTotal !== null && first!.runProgress!.estimatedTotal > 0, `a total from the outset: ${JSON.stringify(first!.runProgress)}`);
      assert.equal(first!.runProgress!.jobs, 17);

      const measured = events.filter((event) => event.kind === 'PROGRESS' && event.runProgress!.recordsPerSecond !== null);
      assert.ok(measured.length > 0, 'a rate while it runs');
      for (const event of measured) {
        const { processed, estimatedTotal, recordsPerSecond, etaSeconds } = event.runProgress!;
        assert.ok(
          recordsPerSecond! > 0 && etaSeconds !== null && Math.abs(etaSeconds - (estimatedTotal! - processed) / recordsPerSecond!) < 1e-6,
          JSON.stringify(event.runProgress),
        );
      }
      assert.ok(
        events.some((event) => event.kind === 'PROGRESS' && event.recordsPerSecond !== null),
        "and each job's own rate beside it",
      );

      const last = events.at(-1)!;
      assert.equal(last.kind, 'FINISHED');
      const run = (await gateway.request(FullSyncRunDocument, { id: runId })).data!.fullSyncRun!;
      const read = run.jobs.reduce((sum, job) => sum + job.processed, 0);
      assert.ok(read > 0);
      assert.deepEqual(last.runProgress, { processed: read, estimatedTotal: read, recordsPerSecond: null, etaSeconds: null, jobs: 17, jobsFinished: 17 });
    } finally {
      await client.dispose();
    }
  });
});
