import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SystemUser } from '../entities/crm';
import { startWorker } from '../src/server/bootstrap';
import type { SyncWorker } from '../src/worker/sync-worker';
import { encodeUnifiedId } from '../src/unify/unified-id';
import { DryRunFullSyncDocument, DryRunSyncDocument, FullSyncRunDocument, RunSyncDocument, StartFullSyncDocument, SyncRecordsDocument } from './generated/operations';
import { schemaFingerprint } from './support/checksum';
import { eventually } from './support/subscriptions';
import { startTestGateway, TEST_WORKER, type TestGateway } from './support/test-gateway';

const COUNTED = ['inserted', 'modified', 'deleted', 'unchanged', 'skipped', 'failed', 'conflicts', 'coupled', 'uncoupled', 'processed'] as const;
type Counted = Record<(typeof COUNTED)[number], number>;
const counts = (job: Counted) => Object.fromEntries(COUNTED.map((name) => [name, job[name]]));

/** Issue 12, dry runs: decided by the engine's own code, counted as the run that follows counts, and nothing written anywhere. */
describe('dry runs write nothing and count what the run does', () => {
  let gateway: TestGateway;
  let worker: SyncWorker | null = null;
  let crmUser: string;
  const pairs: Array<{ erpId: string; crmId: string; id: string }> = [];

  // Every table of all three stores (each its own database here), and the job engine's.
  const fingerprint = () =>
    Promise.all([
      schemaFingerprint(gateway.stores.erp, ['erp']),
      schemaFingerprint(gateway.stores.crm, ['crm']),
      schemaFingerprint(gateway.stores.integration, ['integration', 'pgboss']),
    ]);
  const editErp = (erpId: string, set: string) =>
    gateway.stores.erp.query(`UPDATE erp.customer SET ${set}, modified_at = clock_timestamp(), modified_by = 'ERP USER' WHERE system_id = $1`, [erpId]);
  const editCrm = (crmId: string, set: string) =>
    gateway.stores.crm.query(`UPDATE crm.account SET ${set}, modified_at = clock_timestamp(), modified_by = $2 WHERE id = $1`, [crmId, crmUser]);
  const runSync = async () => {
    const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.runSync;
  };

  before(async () => {
    gateway = await startTestGateway({ label: 'dry_run', customers: 30, separateDatabases: true });
    // Nothing may write while the fingerprints are taken: the read model indexes changes on its own.
    await gateway.services.readModel.stop();
    crmUser = (await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false, isDisabled: false })).id;
    const coupled = await gateway.stores.integration.query(
      `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_code LIMIT 3`,
    );
    for (const row of coupled) pairs.push({ erpId: row.erp_id, crmId: row.crm_id, id: encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: row.erp_id }) });
    // Synchronised once from the ERP, the three couplings keep every field's value; the demo's pending records follow.
    const synced = await gateway.request(SyncRecordsDocument, { ids: pairs.map((pair) => pair.id), direction: 'TO_CRM' }, gateway.tokens.operator);
    assert.equal(synced.errors, undefined, JSON.stringify(synced.errors));
    await runSync();
  });
  after(async () => {
    await worker?.stop();
    await gateway?.close();
  });

  it("runSync(dryRun) reports the incremental run's outcomes with samples, writes nothing, and the run that follows does just that", async () => {
    const [renamed, disputed, called] = pairs as [(typeof pairs)[0], (typeof pairs)[0], (typeof pairs)[0]];
    await editErp(renamed.erpId, `name = 'Renamed in the ERP'`);
    await editErp(disputed.erpId, `city = 'Aarhus'`);
    await editCrm(disputed.crmId, `address1_city = 'Odense'`);
    await editCrm(called.crmId, `telephone1 = '+45 11 22 33 44'`);

    const before = await fingerprint();
    const dry = await gateway.request(DryRunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
    assert.equal(dry.errors, undefined, JSON.stringify(dry.errors));
    assert.deepEqual(await fingerprint(), before, 'the dry run wrote nothing in any store');
    const job = dry.data!.runSync;
    const report = job.dryRun!;
    assert.deepEqual([report.modified, report.conflicts, report.inserted, report.failed, report.heldAsDuplicate], [2, 1, 0, 0, 0]);
    assert.deepEqual(counts(report), counts(job), 'the job returned carries the same counts');

    const sample = (outcome: string, erpKey: string) => report.samples.find((s) => s.outcome === outcome && s.erpKey === erpKey);
    assert.deepEqual(sample('MODIFY', renamed.erpId), {
      outcome: 'MODIFY',
      recordId: renamed.id,
      erpKey: renamed.erpId,
      crmKey: renamed.crmId,
      direction: 'TO_CRM',
      fields: ['name'],
      reason: null,
    });
    assert.deepEqual(sample('MODIFY', called.erpId)?.fields, ['phoneNo']);
    assert.equal(sample('MODIFY', called.erpId)?.direction, 'FROM_CRM');
    assert.deepEqual(sample('CONFLICT', disputed.erpId)?.fields, ['address1City']);

    const real = await runSync();
    assert.deepEqual(counts(real), counts(report), 'the run counts what its dry run counted');
    const [account] = await gateway.stores.crm.query('SELECT name FROM crm.account WHERE id = $1', [renamed.crmId]);
    assert.equal(account.name, 'Renamed in the ERP');
  });

  it('startFullSync(dryRun) reports every mapping, writes nothing, and the full synchronisation that follows counts the same', async () => {
    const before = await fingerprint();
    const dry = await gateway.request(DryRunFullSyncDocument, {}, gateway.tokens.admin);
    assert.equal(dry.errors, undefined, JSON.stringify(dry.errors));
    assert.deepEqual(await fingerprint(), before, 'the dry run wrote nothing in any store');
    const run = dry.data!.startFullSync;
    assert.equal(run.status, 'SUCCEEDED');
    const reports = run.dryRun!;
    assert.deepEqual(
      run.jobs.map((job) => job.mappingName),
      reports.map((report) => report.mappingName),
      'one job per mapping, never stored',
    );
    assert.ok(reports.findIndex((r) => r.mappingName === 'SALESPEOPLE') < reports.findIndex((r) => r.mappingName === 'CUSTOMER'), 'mappings in dependency order');
    // The demo's uncoupled customers and contacts would be created on the other side (the run's own couplings translate the contacts' accounts).
    const customer = reports.find((r) => r.mappingName === 'CUSTOMER')!;
    assert.ok(customer.inserted > 0 && customer.samples.some((s) => s.outcome === 'INSERT' && s.fields.includes('name')), JSON.stringify(customer));
    assert.ok(reports.find((r) => r.mappingName === 'CONTACT')!.inserted > 0);

    const started = await gateway.request(StartFullSyncDocument, {}, gateway.tokens.admin);
    assert.equal(started.errors, undefined, JSON.stringify(started.errors));
    worker = await startWorker(gateway.services, TEST_WORKER);
    const finished = await eventually(
      async () => {
        const current = (await gateway.request(FullSyncRunDocument, { id: started.data!.startFullSync.id })).data!.fullSyncRun!;
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(current.status) ? current : undefined;
      },
      120_000,
      'the full synchronisation to finish',
    );
    assert.equal(finished.status, 'SUCCEEDED', finished.message ?? '');
    for (const report of reports) {
      const jobs = finished.jobs.filter((job) => job.mappingName === report.mappingName);
      const summed = Object.fromEntries(COUNTED.map((name) => [name, jobs.reduce((sum, job) => sum + job[name], 0)]));
      assert.deepEqual(summed, counts(report), `${report.mappingName}: the run counts what its dry run counted`);
    }
  });
});
