import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelSyncJobDocument,
  FullSyncProgressDocument,
  FullSyncReviewDocument,
  FullSyncRunDocument,
  RunSyncDocument,
  StartFullSyncDocument,
  SyncJobProgressDocument,
  type FullSyncRunQuery,
} from './generated/operations';
import { eventually, subscribe, within, wsClient } from './support/subscriptions';
import { whileMappingBusy } from './support/busy-mapping';
import { startGatewayOver, SYSTEMS } from './support/emulated-systems';
import { startTestGateway, type TestGateway } from './support/test-gateway';

type Job = NonNullable<FullSyncRunQuery['fullSyncRun']>['jobs'][number];

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

for (const systems of SYSTEMS) {
  describe(`full synchronisation in the background${systems.title}`, () => {
    let gateway: TestGateway;

    before(async () => {
      gateway = await startGatewayOver(systems.products, { label: 'fullsync', customers: 40, worker: true });
    });
    after(() => gateway?.close());

    const runOf = async (id: string) => (await gateway.request(FullSyncRunDocument, { id })).data!.fullSyncRun!;
    const finishedRun = (id: string) => {
      let last: Awaited<ReturnType<typeof runOf>> | undefined;
      return eventually(
        async () => {
          last = await runOf(id);
          return FINISHED.includes(last.status) ? last : undefined;
        },
        60_000,
        () =>
          `the full synchronisation to finish; unfinished: ${JSON.stringify(last?.jobs.filter((j) => !FINISHED.includes(j.status)).map((j) => [j.mappingName, j.direction, j.status, j.processed, j.message]))}`,
      );
    };

    it('Full Sync Review recommends per mapping, before anything ran', async () => {
      const { data, errors } = await gateway.request(FullSyncReviewDocument);
      assert.equal(errors, undefined);
      const line = (name: string) => data!.fullSyncReview.find((l) => l.mappingName === name)!;
      assert.equal(line('SALESORDER-ORDER').recommendation, 'TRANSFERRED');
      for (const review of data!.fullSyncReview) {
        assert.equal(review.jobStatus, null, `${review.mappingName} has no job yet`);
        if (review.recommendation === 'COUPLE_RECORDS_FIRST') {
          assert.ok(review.erpRecords > review.coupledRecords && review.crmRecords > review.coupledRecords, `${review.mappingName}: uncoupled records on both sides`);
        }
      }
      // The demo's CRM holds accounts that twin ERP customers without a coupling: a full sync would duplicate them.
      assert.equal(line('CUSTOMER').recommendation, 'COUPLE_RECORDS_FIRST');
      assert.deepEqual(line('CUSTOMER').dependsOn, ['SALESPEOPLE', 'CURRENCY', 'UNIT OF MEASURE']);
    });

    it('runs every mapping in dependency order, to-CRM before from-CRM, and streams it to subscribers', async () => {
      const started = await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin);
      assert.equal(started.errors, undefined);
      const runId = started.data!.startFullSync.id;
      assert.equal(started.data!.startFullSync.status, 'RUNNING');

      const again = await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin);
      assert.equal(again.errors?.[0]?.extensions?.code, 'FULL_SYNC_ALREADY_RUNNING');

      const client = wsClient(gateway.wsUrl, gateway.tokens.viewer);
      try {
        const progress = subscribe(client, FullSyncProgressDocument, { runId });
        const events = await within(progress.completed, 60_000, 'the run to finish');
        assert.ok(
          events.every((e) => e.errors === undefined),
          JSON.stringify(events.find((e) => e.errors)?.errors),
        );
        const kinds = events.map((e) => e.data!.fullSyncProgress.kind);
        assert.equal(kinds[0], 'SNAPSHOT', 'the current state comes first');
        const last = events[events.length - 1]!.data!.fullSyncProgress;
        assert.equal(last.kind, 'FINISHED');
        assert.equal(last.run?.id, runId);

        const run = await finishedRun(runId);
        assert.equal(run.status, last.run?.status);
        const jobs = run.jobs;
        const job = (mapping: string, direction: string) => jobs.find((j) => j.mappingName === mapping && j.direction === direction);
        assert.equal(jobs.length, 17, 'one job per mapping and direction it runs in (five both ways, seven one way), sales orders aside');
        for (const j of jobs) assert.equal(j.status, 'SUCCEEDED', `${j.mappingName} ${j.direction}: ${j.message}`);
        assert.equal(run.status, 'SUCCEEDED');

        const after = (later: Job | undefined, earlier: Job | undefined) => {
          assert.ok(later && earlier);
          assert.ok(
            Date.parse(later.startedAt) >= Date.parse(earlier.finishedAt!),
            `${later.mappingName} ${later.direction} started before ${earlier.mappingName} ${earlier.direction} finished`,
          );
        };
        for (const parent of ['SALESPEOPLE', 'CURRENCY', 'UNIT OF MEASURE']) {
          for (const parentJob of jobs.filter((j) => j.mappingName === parent)) after(job('CUSTOMER', 'TO_CRM'), parentJob);
        }
        after(job('CUSTOMER', 'FROM_CRM'), job('CUSTOMER', 'TO_CRM'));
        after(job('CONTACT', 'TO_CRM'), job('CUSTOMER', 'FROM_CRM'));
        after(job('SALESPRC-PRODPRICE', 'TO_CRM'), job('CUSTPRCGRP-PRICE', 'TO_CRM'));
        after(job('POSTEDSALESINV-INV', 'TO_CRM'), job('ITEM-PRODUCT', 'FROM_CRM'));
        after(job('POSTEDSALESLINE-INV', 'TO_CRM'), job('POSTEDSALESINV-INV', 'TO_CRM'));

        const customers = job('CUSTOMER', 'TO_CRM')!;
        assert.ok(customers.processed >= 40 && customers.processed === customers.estimatedTotal, `read ${customers.processed} of ${customers.estimatedTotal}`);
        assert.ok(customers.inserted > 0, 'uncoupled customers became accounts');

        // Every job went through running to a final event, in that order, and never faster than ten events a second.
        assert.ok(
          jobs.some((j) => !FINISHED.includes(events.find((e) => e.data!.fullSyncProgress.job?.id === j.id)!.data!.fullSyncProgress.job!.status)),
          'the subscriber saw jobs run',
        );
        for (const j of jobs) {
          const own = events.map((e) => e.data!.fullSyncProgress).filter((e) => e.job?.id === j.id);
          const statuses = own.map((e) => e.job!.status);
          // A job that had already finished when the subscriber joined shows only in the snapshot.
          if (!FINISHED.includes(statuses[0]!)) {
            assert.ok(
              statuses.indexOf('RUNNING') >= 0 && statuses.indexOf('RUNNING') < statuses.lastIndexOf('SUCCEEDED'),
              `${j.mappingName} ${j.direction}: ${statuses.join(' → ')}`,
            );
          }
          const progress = own.filter((e) => e.kind === 'PROGRESS').map((e) => Date.parse(e.at));
          for (let i = 10; i < progress.length; i += 1) assert.ok(progress[i]! - progress[i - 10]! >= 900, 'at most ten progress events per second');
        }

        const review = (await gateway.request(FullSyncReviewDocument)).data!.fullSyncReview;
        const customerLine = review.find((l) => l.mappingName === 'CUSTOMER')!;
        assert.equal(customerLine.jobStatus, 'SUCCEEDED');
        assert.equal(customerLine.toCrmJob?.id, customers.id);
        assert.equal(customerLine.fromCrmJob?.id, job('CUSTOMER', 'FROM_CRM')!.id);

        // A finished job's subscription shows its final state and completes.
        const jobEvents = await within(subscribe(client, SyncJobProgressDocument, { jobId: customers.id }).completed, 10_000, 'a finished job');
        assert.deepEqual(
          jobEvents.map((e) => [e.data?.syncJobProgress.kind, e.data?.syncJobProgress.job?.status]),
          [['SNAPSHOT', 'SUCCEEDED']],
        );
      } finally {
        await client.dispose();
      }
    });

    it('a second full synchronisation changes nothing', async () => {
      const runId = (await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin)).data!.startFullSync.id;
      const run = await finishedRun(runId);
      assert.equal(run.status, 'SUCCEEDED');
      for (const j of run.jobs) assert.deepEqual([j.mappingName, j.direction, j.inserted, j.modified], [j.mappingName, j.direction, 0, 0]);
    });

    it('a synchronisation queued behind a run under way is followed over syncJobProgress to its end', async () => {
      const client = wsClient(gateway.wsUrl, gateway.tokens.viewer);
      try {
        const followed = await whileMappingBusy(
          gateway,
          'CUSTOMER',
          async () => {
            const queued = (await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator)).data!.runSync;
            assert.equal(queued.status, 'WAITING');
            const subscribed = subscribe(client, SyncJobProgressDocument, { jobId: queued.id });
            await within(subscribed.first, 10_000, 'the queued job');
            return subscribed;
          },
          'answered',
        );
        const events = (await within(followed.completed, 30_000, 'the queued job to run and finish')).map((e) => e.data?.syncJobProgress);
        assert.equal(events[0]?.kind, 'SNAPSHOT');
        assert.deepEqual([events.at(-1)?.kind, events.at(-1)?.job?.status], ['FINISHED', 'SUCCEEDED']);
      } finally {
        await client.dispose();
      }
    });

    it('a failed job holds the jobs that depend on it, with the reason', async () => {
      await gateway.stores.crm.query('ALTER TABLE crm.transaction_currency RENAME TO transaction_currency_away');
      try {
        const runId = (await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin)).data!.startFullSync.id;
        const run = await finishedRun(runId);
        assert.equal(run.status, 'FAILED');
        const currency = run.jobs.find((j) => j.mappingName === 'CURRENCY')!;
        assert.equal(currency.status, 'FAILED');
        assert.match(currency.message!, /transaction_currency/);
        const customer = run.jobs.find((j) => j.mappingName === 'CUSTOMER' && j.direction === 'TO_CRM')!;
        assert.equal(customer.status, 'CANCELLED');
        assert.match(customer.message!, /CURRENCY.*failed/);
        const invoices = run.jobs.find((j) => j.mappingName === 'POSTEDSALESINV-INV')!;
        assert.equal(invoices.status, 'CANCELLED', 'held through CUSTOMER as well');
        const units = run.jobs.find((j) => j.mappingName === 'UNIT OF MEASURE')!;
        assert.equal(units.status, 'SUCCEEDED', 'independent mappings still run');
      } finally {
        await gateway.stores.crm.query('ALTER TABLE crm.transaction_currency_away RENAME TO transaction_currency');
      }
    });

    it('cancelSyncJob stops a job that has not finished and holds its dependants; finished jobs and unknown ids are refused', async () => {
      const runId = (await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin)).data!.startFullSync.id;
      // Without a run id, a subscriber follows the run under way, starting from its current state.
      const client = wsClient(gateway.wsUrl, gateway.tokens.viewer);
      const current = subscribe(client, FullSyncProgressDocument, {});
      await within(current.first, 10_000, 'the current state');
      assert.deepEqual([current.results[0]?.data?.fullSyncProgress.kind, current.results[0]?.data?.fullSyncProgress.run?.id], ['SNAPSHOT', runId]);
      await client.dispose();
      const waiting = (await runOf(runId)).jobs.find((j) => j.mappingName === 'CONTACT' && j.direction === 'FROM_CRM')!;
      const forbidden = await gateway.request(CancelSyncJobDocument, { id: waiting.id }, gateway.tokens.viewer);
      assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN');
      const cancelled = await gateway.request(CancelSyncJobDocument, { id: waiting.id }, gateway.tokens.operator);
      assert.equal(cancelled.errors, undefined);
      assert.equal(cancelled.data!.cancelSyncJob.status, 'CANCELLED');
      const run = await finishedRun(runId);
      assert.equal(run.status, 'CANCELLED');
      assert.equal(run.jobs.find((j) => j.mappingName === 'OPPORTUNITY' && j.direction === 'TO_CRM')!.status, 'CANCELLED');
      assert.equal(run.jobs.find((j) => j.mappingName === 'CUSTOMER' && j.direction === 'FROM_CRM')!.status, 'SUCCEEDED');

      const again = await gateway.request(CancelSyncJobDocument, { id: waiting.id }, gateway.tokens.operator);
      assert.equal(again.errors?.[0]?.extensions?.code, 'JOB_NOT_CANCELLABLE');
      const unknown = await gateway.request(CancelSyncJobDocument, { id: '00000000-0000-4000-8000-000000000000' }, gateway.tokens.operator);
      assert.equal(unknown.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    });

    it('subscriptions need the viewer role and a known job', async () => {
      let closed: (code: number) => void = () => {};
      const refused = new Promise<number>((resolve) => (closed = resolve));
      const anonymous = wsClient(gateway.wsUrl, null, (code) => closed(code));
      const roleless = wsClient(gateway.wsUrl, gateway.services.tokens.issue('nobody', []));
      const viewer = wsClient(gateway.wsUrl, gateway.tokens.viewer);
      try {
        assert.equal(await within(refused, 10_000, 'the anonymous socket refused'), 4403);
        const [denied] = await within(subscribe(roleless, FullSyncProgressDocument, {}).completed, 10_000, 'the refusal');
        assert.equal(denied?.errors?.[0]?.extensions?.code, 'FORBIDDEN');
        const [unknown] = await within(subscribe(viewer, SyncJobProgressDocument, { jobId: '00000000-0000-4000-8000-000000000000' }).completed, 10_000, 'the refusal');
        assert.equal(unknown?.errors?.[0]?.extensions?.code, 'NOT_FOUND');
      } finally {
        await Promise.resolve(anonymous.dispose()).catch(() => {});
        await roleless.dispose();
        await viewer.dispose();
      }
    });
  });
}

describe('cancelling a running job', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'fullsync_cancel', customers: 150, worker: true, syncChunkSize: 25 });
  });
  after(() => gateway?.close());

  it('stops it after the chunk it is writing, keeps what it committed, and holds its dependants', async () => {
    const runId = (await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin)).data!.startFullSync.id;
    const job = await eventually(
      async () => {
        const found = (await gateway.request(FullSyncRunDocument, { id: runId })).data!.fullSyncRun!.jobs.find((j) => j.mappingName === 'CONTACT' && j.direction === 'TO_CRM');
        return found?.status === 'RUNNING' && found.processed > 0 ? found : undefined;
      },
      60_000,
      'the contacts job to be under way',
    );
    const cancelled = await gateway.request(CancelSyncJobDocument, { id: job.id }, gateway.tokens.operator);
    assert.equal(cancelled.errors, undefined);
    const run = await eventually(
      async () => {
        const current = (await gateway.request(FullSyncRunDocument, { id: runId })).data!.fullSyncRun!;
        return FINISHED.includes(current.status) ? current : undefined;
      },
      60_000,
      'the run to finish',
    );
    const contacts = run.jobs.find((j) => j.id === job.id)!;
    assert.equal(contacts.status, 'CANCELLED');
    assert.ok(contacts.finishedAt, 'its worker recorded when it stopped');
    assert.ok(contacts.processed < contacts.estimatedTotal!, `stopped early: ${contacts.processed} of ${contacts.estimatedTotal}`);
    const [{ coupled }] = await gateway.stores.integration.query(
      `SELECT count(*)::int AS coupled FROM integration.integration_record WHERE mapping_name = 'CONTACT' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_synced_at >= $1`,
      [contacts.startedAt],
    );
    assert.equal(coupled, contacts.inserted + contacts.modified, 'every write it counted is recorded, and nothing more');
    assert.equal(run.jobs.find((j) => j.mappingName === 'OPPORTUNITY' && j.direction === 'TO_CRM')!.status, 'CANCELLED');
    assert.equal(run.status, 'CANCELLED');
  });
});
