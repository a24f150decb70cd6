import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account, SystemUser } from '../entities/crm';
import { ConstantFieldMappingsOnce1795699999999 } from '../src/db/migrations/integration/1795699999999-ConstantFieldMappingsOnce';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { standardTableMappings } from '../src/mappings/standard-mappings';
import { RunSyncDocument, TableMappingsDocument } from './generated/operations';
import { newAccount } from './support/records';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/**
 * Issue 12, defect 1: Business Central synchronises coupled records only, by default; only a full
 * synchronisation creates and couples, for its own run. The demo holds same-name customers in both
 * systems that an incremental run used to duplicate in both.
 */
describe('coupled records only, by default', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'coupledonly', customers: 60 });
  });
  after(() => gateway?.close());

  const counts = async () => ({
    customers: Number((await gateway.stores.erp.query(`SELECT count(*) AS n FROM erp.customer`))[0].n),
    accounts: Number((await gateway.stores.crm.query(`SELECT count(*) AS n FROM crm.account`))[0].n),
  });
  const runSync = async (mode: 'INCREMENTAL' | 'FULL') => {
    const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.runSync;
  };

  it('standard mappings synchronise coupled records only', async () => {
    const { data } = await gateway.request(TableMappingsDocument);
    for (const mapping of data!.integrationTableMappings) assert.equal(mapping.syncOnlyCoupledRecords, true, mapping.name);
  });

  it('an incremental run creates nothing in either system, even for a new record on one side', async () => {
    const before = await counts();
    const first = await runSync('INCREMENTAL');
    assert.deepEqual([first.inserted, first.coupled], [0, 0]);
    assert.ok(first.modified > 0, 'coupled pairs still synchronise');
    const owner = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false, isDisabled: false, isLicensed: true });
    await gateway.stores.crm.getRepository(Account).insert({ ...newAccount('Fresh Account Ltd', owner.id), modifiedAt: new Date(), modifiedBy: owner.id });
    const second = await runSync('INCREMENTAL');
    assert.deepEqual([second.inserted, second.coupled], [0, 0]);
    assert.deepEqual(await counts(), { ...before, accounts: before.accounts + 1 });
  });

  it('a full synchronisation creates and couples the uncoupled records, for its own run', async () => {
    const before = await counts();
    const full = await runSync('FULL');
    assert.ok(full.inserted > 0 && full.coupled === full.inserted, `inserted ${full.inserted}, coupled ${full.coupled}`);
    const after = await counts();
    assert.equal(after.customers + after.accounts - before.customers - before.accounts, full.inserted);
    const mapping = (await gateway.request(TableMappingsDocument)).data!.integrationTableMappings.find((m) => m.name === 'CUSTOMER')!;
    assert.equal(mapping.syncOnlyCoupledRecords, true, 'the mapping keeps its setting');
  });

  it('starting again and again installs each constant field mapping once', async () => {
    await installStandardMappings(gateway.stores.integration);
    await installStandardMappings(gateway.stores.integration);
    const { data } = await gateway.request(TableMappingsDocument);
    for (const standard of standardTableMappings) {
      const installed = data!.integrationTableMappings.find((m) => m.name === standard.name)!;
      assert.equal(installed.fieldMappings.length, standard.fields.length, `${standard.name}: ${installed.fieldMappings.length} field mappings`);
    }
  });

  it("the migration removes the copies an installation already has, and keeps the administrator's", async () => {
    const migration = new ConstantFieldMappingsOnce1795699999999();
    const session = gateway.stores.integration.createQueryRunner();
    await session.connect();
    try {
      await migration.down(session);
      for (let start = 0; start < 2; start += 1) await installStandardMappings(gateway.stores.integration);
      const [{ copies }] = await session.query(`SELECT count(*)::int AS copies FROM integration.field_mapping WHERE erp_field IS NULL`);
      const constants = standardTableMappings.flatMap((m) => m.fields.filter((f) => f.erp === null)).length;
      assert.equal(copies, constants * 3, 'the old unique index let two more copies of each constant mapping in');
      await session.query(`UPDATE integration.field_mapping SET constant_value = 'set by an administrator', modified_at = now() + interval '1 minute'
                            WHERE id = (SELECT id FROM integration.field_mapping WHERE erp_field IS NULL ORDER BY id DESC LIMIT 1)`);
      await migration.up(session);
    } finally {
      await session.release();
    }
    const { data } = await gateway.request(TableMappingsDocument);
    for (const standard of standardTableMappings) {
      assert.equal(data!.integrationTableMappings.find((m) => m.name === standard.name)!.fieldMappings.length, standard.fields.length, standard.name);
    }
    const kept = data!.integrationTableMappings.flatMap((m) => m.fieldMappings).filter((f) => f.constantValue === 'set by an administrator');
    assert.equal(kept.length, 1);
  });
});
