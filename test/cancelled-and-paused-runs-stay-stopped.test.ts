import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelSyncJobDocument,
  FullSyncRunDocument,
  PauseFullSyncDocument,
  ResumeFullSyncDocument,
  StartFullSyncDocument,
  SyncJobsOfMappingDocument,
  TableMappingsDocument,
  UpdateTableMappingDocument,
} from './generated/operations';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * Issue 12, defect 3: a cancelled job's mapping is not run again by change notifications or the
 * schedule until its run is resumed; pauseFullSync and resumeFullSync continue from the committed
 * position.
 */
describe('cancelled and paused full synchronisations stay stopped until resumed', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'stopped', customers: 150, worker: true, syncChunkSize: 25 });
  });
  after(() => gateway?.close());

  const runOf = async (id: string) => (await gateway.request(FullSyncRunDocument, { id })).data!.fullSyncRun!;
  const contactsJob = (runId: string) =>
    eventually(
      async () => {
        const found = (await runOf(runId)).jobs.find((j) => j.mappingName === 'CONTACT' && j.direction === 'TO_CRM');
        return found?.status === 'RUNNING' && found.processed > 0 ? found : undefined;
      },
      90_000,
      'the contacts job to be under way',
    );
  const finished = (runId: string) =>
    eventually(
      async () => {
        const run = await runOf(runId);
        return FINISHED.includes(run.status) ? run : undefined;
      },
      120_000,
      'the run to finish',
    );
  /**
   * A coupled contact changed on neither side since its last synchronisation. The demo also holds
   * pairs whose CRM side a user changed since (PENDING): an ERP edit of one of those is a conflict,
   * which the mapping's policy (NONE) holds for an operator, so it would never reach the CRM.
   */
  const inSyncContact = async (): Promise<{ erp_id: string; crm_id: string }> => {
    const links: Array<{ erp_id: string; crm_id: string; last_synced_erp_modified_at: Date; last_synced_crm_modified_at: Date }> = await gateway.stores.integration.query(
      `SELECT erp_id, crm_id, last_synced_erp_modified_at, last_synced_crm_modified_at FROM integration.integration_record
        WHERE mapping_name = 'CONTACT' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' AND conflicting_fields IS NULL
        ORDER BY id`,
    );
    const modifiedAt = async (store: 'erp' | 'crm', sql: string, ids: string[]) =>
      new Map<string, number>((await gateway.stores[store].query(sql, [ids])).map((row: { id: string; modified_at: Date }) => [row.id, row.modified_at.getTime()]));
    const erp = await modifiedAt(
      'erp',
      `SELECT system_id AS id, modified_at FROM erp.contact WHERE system_id = ANY($1)`,
      links.map((link) => link.erp_id),
    );
    const crm = await modifiedAt(
      'crm',
      `SELECT id, modified_at FROM crm.contact WHERE id = ANY($1)`,
      links.map((link) => link.crm_id),
    );
    const found = links.find((link) => erp.get(link.erp_id) === link.last_synced_erp_modified_at.getTime() && crm.get(link.crm_id) === link.last_synced_crm_modified_at.getTime());
    assert.ok(found, 'a contact in sync');
    return found;
  };
  const automaticRuns = async (mapping: string, since: string) =>
    (await gateway.request(SyncJobsOfMappingDocument, { mapping }))
      .data!.syncJobs.edges.map((edge) => edge.node)
      .filter((job) => job.runId === null && Date.parse(job.startedAt) > Date.parse(since));

  it("a cancelled job's mapping gets no change-triggered or scheduled runs until its run is resumed", async () => {
    const runId = (await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin)).data!.startFullSync.id;
    const job = await contactsJob(runId);
    const cancelled = await gateway.request(CancelSyncJobDocument, { id: job.id }, gateway.tokens.operator);
    assert.equal(cancelled.errors, undefined, JSON.stringify(cancelled.errors));
    const run = await finished(runId);
    assert.equal(run.status, 'CANCELLED');
    const stoppedAt = run.finishedAt!;
    const mappings = (await gateway.request(TableMappingsDocument)).data!.integrationTableMappings;
    assert.equal(mappings.find((m) => m.name === 'CONTACT')!.suspendedByRunId, runId);

    // Changes on both mappings, and a schedule that runs both every second.
    for (const name of ['CONTACT', 'CUSTOMER']) await gateway.request(UpdateTableMappingDocument, { name, input: { incrementalIntervalSeconds: 1 } }, gateway.tokens.admin);
    const contact = await inSyncContact();
    await gateway.stores.erp.query(`UPDATE erp.contact SET name = 'Edited after the cancel', modified_at = now(), modified_by = 'ERP USER' WHERE system_id = $1`, [contact.erp_id]);
    // Customers still run automatically: several scheduled runs of theirs show the worker went round more than once.
    await eventually(async () => ((await automaticRuns('CUSTOMER', stoppedAt)).length >= 3 ? true : undefined), 30_000, 'scheduled runs of CUSTOMER');
    assert.deepEqual(await automaticRuns('CONTACT', stoppedAt), [], 'no automatic run of the cancelled mapping');
    const [crmContact] = await gateway.stores.crm.query(`SELECT full_name FROM crm.contact WHERE id = $1`, [contact.crm_id]);
    assert.notEqual(crmContact.full_name, 'Edited after the cancel');

    const resumed = await gateway.request(ResumeFullSyncDocument, { runId }, gateway.tokens.operator);
    assert.equal(resumed.errors, undefined, JSON.stringify(resumed.errors));
    assert.equal(resumed.data!.resumeFullSync.status, 'RUNNING');
    const done = await finished(runId);
    assert.equal(done.status, 'SUCCEEDED', done.message ?? '');
    const contacts = done.jobs.find((j) => j.id === job.id)!;
    // The contact edited meanwhile comes round again at the end of the keyset order: read once more, nothing else.
    assert.ok(
      contacts.processed <= contacts.estimatedTotal! + 1,
      `it continued where it stopped instead of starting over: read ${contacts.processed} of ${contacts.estimatedTotal}`,
    );
    await eventually(
      async () => {
        const [now] = await gateway.stores.crm.query(`SELECT full_name FROM crm.contact WHERE id = $1`, [contact.crm_id]);
        return now.full_name === 'Edited after the cancel' ? true : undefined;
      },
      30_000,
      'the edit to reach the CRM once resumed',
    );
  });

  it('pauseFullSync stops the run at a committed position and resumeFullSync continues from there', async () => {
    const runId = (await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin)).data!.startFullSync.id;
    // A second run of the same data writes nothing new; its contacts job still reads every contact, chunk by chunk.
    const job = await contactsJob(runId);
    const paused = await gateway.request(PauseFullSyncDocument, { runId }, gateway.tokens.operator);
    assert.equal(paused.errors, undefined, JSON.stringify(paused.errors));
    assert.equal(paused.data!.pauseFullSync.status, 'PAUSED');
    const stopped = await eventually(
      async () => {
        const current = (await runOf(runId)).jobs.find((j) => j.id === job.id)!;
        return current.status === 'PAUSED' ? current : undefined;
      },
      30_000,
      'the job to stop after its chunk',
    );
    assert.ok(stopped.processed < stopped.estimatedTotal!, `paused at ${stopped.processed} of ${stopped.estimatedTotal}`);
    assert.equal((await runOf(runId)).status, 'PAUSED');
    const again = await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin);
    assert.equal(again.errors?.[0]?.extensions?.code, 'FULL_SYNC_ALREADY_RUNNING', 'a paused run is still under way');
    const twice = await gateway.request(PauseFullSyncDocument, { runId }, gateway.tokens.operator);
    assert.equal(twice.errors?.[0]?.extensions?.code, 'RUN_NOT_PAUSABLE');

    assert.equal((await gateway.request(ResumeFullSyncDocument, { runId }, gateway.tokens.viewer)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const resumed = await gateway.request(ResumeFullSyncDocument, { runId }, gateway.tokens.operator);
    assert.equal(resumed.errors, undefined, JSON.stringify(resumed.errors));
    const done = await finished(runId);
    assert.equal(done.status, 'SUCCEEDED', done.message ?? '');
    const contacts = done.jobs.find((j) => j.id === job.id)!;
    // Starting over would read every chunk before the pause again (25 records each); a record read twice at the pause is within one.
    assert.ok(
      contacts.processed >= contacts.estimatedTotal! && contacts.processed < contacts.estimatedTotal! + 25,
      `continued from its committed position: read ${contacts.processed} of ${contacts.estimatedTotal}`,
    );
    const finishedAgain = await gateway.request(ResumeFullSyncDocument, { runId }, gateway.tokens.operator);
    assert.equal(finishedAgain.errors?.[0]?.extensions?.code, 'RUN_NOT_RESUMABLE');
  });
});
