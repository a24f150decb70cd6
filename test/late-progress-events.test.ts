import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SyncJob, SyncJobStatus } from '../entities/integration/sync-job.entity';
import { ProgressPublisher } from '../src/progress/progress-publisher';
import { FullSyncProgressDocument, StartFullSyncDocument } from './generated/operations';
import { eventually, subscribe, wsClient } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/**
 * A job's events can reach subscribers out of order: the publisher sends a thinned progress event
 * on a timer, and a job runs in whichever process took it. The console's full-sync page once
 * showed a finished job "running · 100 %" after its run had finished: a late progress event.
 */
describe('a late progress event never shows a finished job running again', () => {
  let gateway: TestGateway;

  before(async () => {
    // No worker: the run's jobs stay queued, and the test moves one on as a worker would.
    gateway = await startTestGateway({ label: 'late_events', customers: 10 });
  });
  after(() => gateway?.close());

  it('fullSyncProgress passes on no event of a job older than one it has shown', async () => {
    const started = await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin);
    assert.equal(started.errors, undefined, JSON.stringify(started.errors));
    const runId = started.data!.startFullSync.id;
    const client = wsClient(gateway.wsUrl, gateway.tokens.viewer);
    try {
      const stream = subscribe(client, FullSyncProgressDocument, { runId });
      await stream.first;
      const jobs = gateway.stores.integration.getRepository(SyncJob);
      const [job, other] = await jobs.find({ where: { runId }, order: { mappingName: 'ASC', direction: 'ASC' } });
      // Another process's publisher, as a worker's would be.
      const worker = new ProgressPublisher(gateway.stores.integration);
      const moved = async (changes: Partial<SyncJob>) => {
        await jobs.update({ id: job!.id }, { ...changes, modifiedAt: new Date() });
        return jobs.findOneByOrFail({ id: job!.id });
      };
      const running = await moved({ status: SyncJobStatus.RUNNING, processed: 10, estimatedTotal: 10 });
      await worker.jobState(running, false);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const succeeded = await moved({ status: SyncJobStatus.SUCCEEDED, finishedAt: new Date() });
      await worker.jobState(succeeded, true);
      // The progress event of the last chunk, sent after the job finished.
      await worker.jobProgress(running);
      // NOTIFYs arrive in the order they were sent: once this one is in, the late one has been passed on or dropped.
      await worker.jobState(other!, false);
      await eventually(
        async () => (stream.results.some((result) => result.data?.fullSyncProgress.job?.id === other!.id && result.data.fullSyncProgress.kind === 'STATE') ? true : undefined),
        10_000,
        'the last event published',
      );
      const shown = stream.results.map((result) => result.data!.fullSyncProgress).filter((event) => event.job?.id === job!.id);
      assert.deepEqual(
        shown.map((event) => `${event.kind} ${event.job!.status}`),
        [`SNAPSHOT ${job!.status}`, 'STATE RUNNING', 'FINISHED SUCCEEDED'],
      );
    } finally {
      await client.dispose();
    }
  });
});
