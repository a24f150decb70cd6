import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account } from '../entities/crm';
import { Customer } from '../entities/erp';
import { CustomerByIdDocument, ResolveSyncErrorFieldsDocument, RunSyncDocument, SyncErrorFieldsDocument } from './generated/operations';
import { checksum } from './support/checksum';
import { synchronisedCustomer } from './support/synchronised-customer';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

/** Issue 12, defect 2: a coupled record is merged field by field, so an edit on one side is not lost to an edit on the other. */
describe('one of two edits is not lost', () => {
  let gateway: TestGateway;
  let erpId: string;
  let crmId: string;
  let id: string;
  let crmUser: string;

  const customer = () => gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: erpId });
  const account = () => gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: crmId });
  const editErp = (set: string, values: unknown[]) =>
    gateway.stores.erp.query(`UPDATE erp.customer SET ${set}, modified_at = clock_timestamp(), modified_by = 'ERP USER' WHERE system_id = $1`, [erpId, ...values]);
  const editCrm = (set: string, values: unknown[]) =>
    gateway.stores.crm.query(`UPDATE crm.account SET ${set}, modified_at = clock_timestamp(), modified_by = $2 WHERE id = $1`, [crmId, crmUser, ...values]);
  const runSync = async () => {
    const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.runSync;
  };
  const syncState = async () => (await gateway.request(CustomerByIdDocument, { id })).data!.customer!.syncState;
  const conflictOfPair = async () =>
    (await gateway.request(SyncErrorFieldsDocument, { first: 100, filter: { mappingName: 'CUSTOMER', result: 'CONFLICT' } }))
      .data!.syncErrors.edges.map((edge) => edge.node)
      .find((node) => node.erpRecordId === id);
  const stores = () =>
    Promise.all([
      checksum(gateway.stores.erp, ['erp.customer']),
      checksum(gateway.stores.crm, ['crm.account']),
      checksum(gateway.stores.integration, ['integration.integration_record']),
    ]);

  before(async () => {
    gateway = await startTestGateway({ label: 'field_merge', customers: 30 });
    ({ erpId, crmId, id, crmUser } = await synchronisedCustomer(gateway));
    // The demo's own pending records are synchronised first, so the runs below count only this pair.
    await runSync();
  });
  after(() => gateway?.close());

  it('the ERP name and the CRM phone, changed on a coupled customer, both flow (policy NONE)', async () => {
    await editErp(`name = 'Renamed in the ERP'`, []);
    await editCrm(`telephone1 = '+45 11 22 33 44'`, []);
    const job = await runSync();
    assert.deepEqual([job.modified, job.conflicts, job.failed], [1, 0, 0]);
    assert.deepEqual([(await customer()).name, (await customer()).phoneNo], ['Renamed in the ERP', '+45 11 22 33 44']);
    assert.deepEqual([(await account()).name, (await account()).telephone1], ['Renamed in the ERP', '+45 11 22 33 44']);
    assert.equal(await syncState(), 'IN_SYNC');
  });

  it('a CRM edit survives a run that wrote the CRM side of the pair but could not record it (the ERP refused its side)', async () => {
    // The ERP refuses this one phone number for a while, as its validation or an ERP admin might.
    await gateway.stores.erp.query(`ALTER TABLE erp.customer ADD CONSTRAINT test_refuses_phone CHECK (phone_no <> '+45 55 55 55 55')`);
    try {
      await editErp(`name = 'Renamed again in the ERP'`, []);
      await editCrm(`telephone1 = '+45 55 55 55 55'`, []);
      const refused = await runSync();
      assert.ok(refused.failed > 0);
      assert.equal((await account()).name, 'Renamed again in the ERP', 'the CRM side was written');
      const [link] = await gateway.stores.integration.query(`SELECT last_result FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id = $1`, [erpId]);
      assert.equal(link.last_result, 'FAILED', 'the ERP side was refused, also when the run tried the pair again');
    } finally {
      await gateway.stores.erp.query(`ALTER TABLE erp.customer DROP CONSTRAINT test_refuses_phone`);
    }
    // The CRM record now bears the integration user's stamp, but the salesperson's phone is still a change to bring over.
    const job = await runSync();
    assert.deepEqual([job.modified, job.failed], [1, 0]);
    assert.equal((await customer()).phoneNo, '+45 55 55 55 55');
    assert.equal(await syncState(), 'IN_SYNC');
  });

  it('a field changed on both sides is held as a conflict, with both values and the base, while the other fields flow', async () => {
    const before = await customer();
    await editErp(`city = 'Aarhus', email = 'erp-edit@example.com'`, []);
    await editCrm(`address1_city = 'Odense'`, []);
    const job = await runSync();
    assert.deepEqual([job.modified, job.conflicts, job.failed], [1, 1, 0]);
    assert.equal((await account()).emailAddress1, 'erp-edit@example.com', 'the field changed on one side flowed');
    assert.deepEqual([(await customer()).city, (await account()).address1City], ['Aarhus', 'Odense'], 'neither city was overwritten');
    assert.equal(await syncState(), 'CONFLICT');
    const conflict = await conflictOfPair();
    assert.ok(conflict, 'the pair is in the error queue');
    assert.deepEqual(conflict.fields, [
      { field: 'address1City', erpField: 'city', erpValue: '"Aarhus"', crmValue: '"Odense"', baseErpValue: JSON.stringify(before.city), baseCrmValue: JSON.stringify(before.city) },
    ]);
    // Another run leaves the conflict as it is.
    assert.deepEqual([(await runSync()).modified, await syncState()], [0, 'CONFLICT']);
  });

  it('resolveSyncErrors refuses a field that is not mapped, changing nothing', async () => {
    const conflict = (await conflictOfPair())!;
    const unchanged = await stores();
    const result = await gateway.request(
      ResolveSyncErrorFieldsDocument,
      { ids: [conflict.id], resolution: 'ERP_WINS', fields: [{ field: 'revenue; DROP TABLE x', side: 'CRM' }] },
      gateway.tokens.operator,
    );
    assert.deepEqual(codes(result), ['BAD_USER_INPUT']);
    assert.deepEqual(await stores(), unchanged);
  });

  it('resolveSyncErrors picks a side per field and copies nothing else', async () => {
    const conflict = (await conflictOfPair())!;
    await editCrm(`telephone1 = '+45 99 99 99 99'`, []);
    const phoneBefore = (await customer()).phoneNo;
    const result = await gateway.request(
      ResolveSyncErrorFieldsDocument,
      { ids: [conflict.id], resolution: 'ERP_WINS', fields: [{ field: 'address1City', side: 'CRM' }] },
      gateway.tokens.operator,
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual([(await customer()).city, (await account()).address1City], ['Odense', 'Odense'], 'the city took the CRM side, although the resolution says ERP_WINS');
    assert.equal((await customer()).phoneNo, '+45 99 99 99 99', 'a CRM edit made meanwhile flows rather than being overwritten by ERP_WINS');
    assert.notEqual(phoneBefore, '+45 99 99 99 99');
    assert.equal(await conflictOfPair(), undefined);
    assert.equal(await syncState(), 'IN_SYNC');
  });

  it("a run that stops after writing a pair's other fields, before its commit, leaves the conflict for the next run to find", async () => {
    assert.equal(await syncState(), 'IN_SYNC');
    await editErp(`city = 'Vejle', email = 'stopped@example.com'`, []);
    await editCrm(`address1_city = 'Kolding'`, []);
    // The chunk's commit fails after its writes, as when its worker dies in between: the CRM now carries
    // the integration user's stamp, which hides that a user changed its city.
    await gateway.stores.integration.query(`
      CREATE FUNCTION pg_temp.stop_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the worker stopped'; END $$;
      CREATE TRIGGER stop_commit BEFORE UPDATE ON integration.integration_record FOR EACH ROW
        WHEN (NEW.erp_id = '${erpId}' AND NEW.last_synced_at IS DISTINCT FROM OLD.last_synced_at) EXECUTE FUNCTION pg_temp.stop_commit()`);
    try {
      const stopped = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
      assert.match(stopped.errors?.[0]?.message ?? '', /the worker stopped/);
    } finally {
      await gateway.stores.integration.query(`DROP TRIGGER stop_commit ON integration.integration_record`);
    }
    assert.equal((await account()).emailAddress1, 'stopped@example.com', 'the other field was written before the stop');
    const job = await runSync();
    assert.deepEqual([job.conflicts, job.failed], [1, 0]);
    assert.deepEqual([(await customer()).city, (await account()).address1City], ['Vejle', 'Kolding'], 'neither city was overwritten');
    assert.deepEqual(
      (await conflictOfPair())?.fields.map((field) => field.field),
      ['address1City'],
    );
  });
});
