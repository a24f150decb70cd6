import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account, SystemUser } from '../entities/crm';
import { Currency, Customer, SalespersonPurchaser } from '../entities/erp';
import { IntegrationRecord } from '../entities/integration/integration-record.entity';
import { ResolveSyncErrorsDocument, RetrySyncErrorsDocument, RunSyncDocument, SyncErrorsDocument, UpdateTableMappingDocument } from './generated/operations';
import { checksum } from './support/checksum';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

describe('deletions, the error queue and what operators do about it', () => {
  let gateway: TestGateway;
  // Pairs coupled in the demo: customers the synchronisation created from accounts have no salesperson, and an account needs an owner.
  const syncedPairs = async () =>
    (await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CUSTOMER', lastResult: 'SUCCESS' as never })).filter(
      (l) => l.erpId && l.crmId && !l.erpCode?.startsWith('CUST'),
    );
  const runFull = async () => {
    const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.runSync;
  };
  const errors = async (result?: 'FAILED' | 'SKIPPED' | 'CONFLICT') =>
    (await gateway.request(SyncErrorsDocument, { first: 1000, filter: { mappingName: 'CUSTOMER', result } })).data!.syncErrors.edges.map((edge) => edge.node);
  const resolve = async (ids: string[], resolution: 'ERP_WINS' | 'CRM_WINS' | 'RESTORE' | 'REMOVE_COUPLING' | 'DELETE_SURVIVOR') => {
    const result = await gateway.request(ResolveSyncErrorsDocument, { ids, resolution }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.resolveSyncErrors;
  };
  const setDeletionPolicy = (policy: 'NONE' | 'RESTORE' | 'REMOVE_COUPLING') =>
    gateway.request(UpdateTableMappingDocument, { name: 'CUSTOMER', input: { deletionConflictResolution: policy } }, gateway.tokens.admin);

  before(async () => {
    gateway = await startTestGateway({ label: 'deletions', customers: 120 });
    await runFull();
  });
  after(() => gateway?.close());

  it('reports a coupled account deleted in the CRM (policy NONE), then restores it under its old id', async () => {
    const [pair] = await syncedPairs();
    await gateway.services.connectors.crm.delete(gateway.services.connectors.crm.table<Account>('account'), [pair!.crmId!]);
    const job = await runFull();
    // Conflicts are counted apart from failures (issue 12, defect 6).
    assert.equal(job.failed, 1);
    assert.equal(job.conflicts, (await errors('CONFLICT')).length);
    const entry = (await errors('FAILED')).find((e) => e.id === pair!.id)!;
    assert.deepEqual([entry.erpExists, entry.crmExists], [true, false]);
    assert.match(entry.message!, /CRM record was deleted/);
    const [restore] = await resolve([entry.id], 'RESTORE');
    assert.equal(restore!.inserted, 1);
    const account = await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: pair!.crmId! });
    const customer = await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: pair!.erpId! });
    assert.equal(account.name, customer.name);
    assert.equal(
      (await errors('FAILED')).some((e) => e.id === pair!.id),
      false,
      'the entry left the queue',
    );
  });

  it('removes the coupling of a deleted record on request, or deletes the survivor', async () => {
    const [first, second] = (await syncedPairs()).slice(1, 3);
    await gateway.services.connectors.crm.delete(gateway.services.connectors.crm.table<Account>('account'), [first!.crmId!, second!.crmId!]);
    await runFull();
    const [removed] = await resolve([first!.id], 'REMOVE_COUPLING');
    assert.equal(removed!.uncoupled, 1);
    const link = await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ id: first!.id });
    assert.deepEqual([link.erpId, link.crmId, link.lastResult], [first!.erpId, null, null]);
    const [deleted] = await resolve([second!.id], 'DELETE_SURVIVOR');
    assert.equal(deleted!.deleted, 1);
    assert.equal(await gateway.stores.erp.getRepository(Customer).countBy({ systemId: second!.erpId! }), 0);
  });

  it("follows the mapping's deletion policy: REMOVE_COUPLING and RESTORE", async () => {
    const [uncoupleMe, restoreMe] = (await syncedPairs()).slice(0, 2);
    await setDeletionPolicy('REMOVE_COUPLING');
    await gateway.services.connectors.erp.delete(gateway.services.connectors.erp.table<Customer>('customer'), [uncoupleMe!.erpId!]);
    assert.equal((await runFull()).uncoupled, 1);
    assert.equal((await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ id: uncoupleMe!.id })).erpId, null);
    await setDeletionPolicy('RESTORE');
    await gateway.services.connectors.crm.delete(gateway.services.connectors.crm.table<Account>('account'), [restoreMe!.crmId!]);
    assert.equal((await runFull()).inserted, 1);
    assert.ok(await gateway.stores.crm.getRepository(Account).existsBy({ id: restoreMe!.crmId! }));
  });

  it('RESTORE recreates a record only in a system the mapping writes: a one-way mapping reports its source deleted', async () => {
    const [link] = (await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CURRENCY', lastResult: 'SUCCESS' as never })).filter(
      (l) => l.erpId && l.crmId,
    );
    const policy = await gateway.request(UpdateTableMappingDocument, { name: 'CURRENCY', input: { deletionConflictResolution: 'RESTORE' } }, gateway.tokens.admin);
    assert.equal(policy.errors, undefined, JSON.stringify(policy.errors));
    await gateway.services.connectors.erp.delete(gateway.services.connectors.erp.table<Currency>('currency'), [link!.erpId!]);
    const currencies = await gateway.stores.erp.getRepository(Currency).count();
    const result = await gateway.request(RunSyncDocument, { mapping: 'CURRENCY', mode: 'FULL' }, gateway.tokens.operator);
    assert.deepEqual([result.data!.runSync.inserted, result.data!.runSync.failed, result.data!.runSync.skipped], [0, 1, 0]);
    assert.equal(await gateway.stores.erp.getRepository(Currency).count(), currencies, 'nothing written into the ERP, which CURRENCY does not write');
    const after = await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ id: link!.id });
    assert.equal(after.lastResult, 'FAILED');
    assert.match(after.lastError!, /ERP record was deleted; CURRENCY writes only to the CRM/);
  });

  it('retries a skipped record once what it waited for is in place', async () => {
    const skipped = (await errors('SKIPPED')).find((e) => /SALESPEOPLE/.test(e.message ?? ''))!;
    const link = await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ id: skipped.id });
    const coupledSalesperson = (await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'SALESPEOPLE' })).find((l) => l.erpId && l.crmId)!;
    const salesperson = await gateway.stores.erp.getRepository(SalespersonPurchaser).findOneByOrFail({ systemId: coupledSalesperson.erpId! });
    await gateway.stores.erp.query('UPDATE erp.customer SET salesperson_code = $2 WHERE system_id = $1', [link.erpId, salesperson.code]);
    const [job] = (await gateway.request(RetrySyncErrorsDocument, { ids: [skipped.id] }, gateway.tokens.operator)).data!.retrySyncErrors;
    assert.deepEqual([job!.inserted, job!.skipped], [1, 0]);
    const created = await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ id: skipped.id });
    const account = await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: created.crmId! });
    assert.equal(account.ownerId, coupledSalesperson.crmId);
    assert.notEqual(account.ownerId, (await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: true })).id);
  });

  it('resolves a conflict with the side the operator chooses', async () => {
    const [conflict] = await errors('CONFLICT');
    assert.ok(conflict);
    const link = await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ id: conflict.id });
    const account = await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: link.crmId! });
    const [job] = await resolve([conflict.id], 'CRM_WINS');
    assert.equal(job!.modified, 1);
    assert.equal((await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: link.erpId! })).phoneNo, account.telephone1);
  });

  it('a record the other system refuses fails alone, is reported, and is retried by the next incremental run', async () => {
    const [bad, good] = (await syncedPairs()).slice(3, 5);
    const user = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false, isDisabled: false });
    const longCity = 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch';
    await gateway.stores.crm.query(`UPDATE crm.account SET address1_city = $2, modified_by = $3, modified_at = now() WHERE id = $1`, [bad!.crmId, longCity, user.id]);
    await gateway.stores.crm.query(`UPDATE crm.account SET telephone1 = '+22 222', modified_by = $2, modified_at = now() WHERE id = $1`, [good!.crmId, user.id]);
    const run = async () => (await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator)).data!.runSync;
    const failedBefore = (await errors('FAILED')).length;
    const job = await run();
    assert.equal(job.modified, 1, 'the ERP city holds 30 characters: that account fails, the other goes through');
    assert.equal((await errors('FAILED')).length, failedBefore + 1);
    assert.equal((await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: good!.erpId! })).phoneNo, '+22 222');
    const entry = (await errors('FAILED')).find((e) => e.id === bad!.id)!;
    assert.match(entry.message!, /ERP refused the record: .*too long/);
    await gateway.stores.erp.query('ALTER TABLE erp.customer ALTER COLUMN city TYPE varchar(80)');
    const retried = await run();
    assert.equal(retried.modified, 1, 'nothing changed since, yet the failed record was tried again');
    assert.equal((await errors('FAILED')).length, failedBefore);
    assert.equal((await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: bad!.erpId! })).city, longCity);
  });

  it('refuses ids that are not in the queue, and viewers, changing nothing', async () => {
    const tables = ['integration.integration_record', 'integration.sync_job'];
    const before = await checksum(gateway.stores.integration, tables);
    const [pair] = await syncedPairs();
    assert.deepEqual(codes(await gateway.request(RetrySyncErrorsDocument, { ids: [pair!.id] }, gateway.tokens.operator)), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await gateway.request(ResolveSyncErrorsDocument, { ids: ['x'], resolution: 'RESTORE' }, gateway.tokens.operator)), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await gateway.request(RetrySyncErrorsDocument, { ids: [pair!.id] }, gateway.tokens.viewer)), ['FORBIDDEN']);
    assert.equal(await checksum(gateway.stores.integration, tables), before);
  });
});
