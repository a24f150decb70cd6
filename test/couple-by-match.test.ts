import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account, SystemUser } from '../entities/crm';
import { Customer } from '../entities/erp';
import { IntegrationRecord } from '../entities/integration/integration-record.entity';
import { decodeUnifiedId } from '../src/unify/unified-id';
import { CoupleByMatchDocument, type CoupleByMatchMutationVariables } from './generated/operations';
import { checksum } from './support/checksum';
import { newAccount } from './support/records';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const STATE = ['integration.integration_record', 'integration.sync_job'];

describe('coupling by matching field values', () => {
  let gateway: TestGateway;
  const match = async (input: CoupleByMatchMutationVariables['input']) => {
    const result = await gateway.request(CoupleByMatchDocument, { input }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.coupleByMatch;
  };
  const coupledCount = async () => (await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CUSTOMER' })).filter((l) => l.erpId && l.crmId).length;

  before(async () => {
    gateway = await startTestGateway({ label: 'match', customers: 150 });
  });
  after(() => gateway?.close());

  it('reports in a dry run what it would couple, and writes nothing', async () => {
    const before = await checksum(gateway.stores.integration, STATE);
    const report = await match({ mapping: 'CUSTOMER', criteria: [['name', 'email']], dryRun: true });
    assert.ok(report.counts.coupled > 0, 'the demo has uncoupled twins of the same company on both sides');
    assert.ok(report.counts.alreadyCoupled > 0 && report.counts.noMatch > 0);
    assert.equal(report.job, null);
    assert.ok(report.samples.filter((s) => s.kind === 'COUPLED').every((s) => s.crmRecordIds.length === 1 && s.criteria?.join() === 'name,email'));
    assert.equal(await checksum(gateway.stores.integration, STATE), before);
  });

  it('never couples when two CRM records match (ambiguous)', async () => {
    const erpOnly = (await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CUSTOMER' })).find((l) => l.erpId && !l.crmId)!;
    const customer = await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: erpOnly.erpId! });
    const owner = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false, isDisabled: false });
    const twins = [newAccount(customer.name, owner.id), newAccount(customer.name, owner.id)].map((a) => ({ ...a, emailAddress1: customer.email }));
    await gateway.services.connectors.crm.bulkUpsert(gateway.services.connectors.crm.table<Account>('account'), twins, owner.id);
    const report = await match({ mapping: 'CUSTOMER', erpIds: [`${Buffer.from(`Customer:erp:${customer.systemId}`).toString('base64url')}`], criteria: [['name', 'email']] });
    assert.deepEqual(report.counts, { coupled: 0, created: 0, noMatch: 0, ambiguous: 1, alreadyCoupled: 0 });
    const candidates = report.samples[0]!.crmRecordIds.map((id) => decodeUnifiedId(id).key);
    for (const twin of twins) assert.ok(candidates.includes(twin.id), 'both look-alikes are reported as candidates');
    assert.equal((await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ id: erpOnly.id })).crmId, null);
  });

  it('tries criteria sets in priority order and honours case sensitivity', async () => {
    const dry = await match({ mapping: 'CUSTOMER', criteria: [['phoneNo'], ['name', 'email']], dryRun: true });
    const byPhone = dry.samples.filter((s) => s.kind === 'COUPLED' && s.criteria?.join() === 'phoneNo');
    assert.ok(byPhone.length > 0, 'the first set is used when it matches');
    const sample = dry.samples.find((s) => s.kind === 'COUPLED')!;
    const account = await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: decodeUnifiedId(sample.crmRecordIds[0]!).key });
    await gateway.stores.crm.query('UPDATE crm.account SET name = upper(name), email_address1 = upper(email_address1), telephone1 = NULL WHERE id = $1', [account.id]);
    const only = { mapping: 'CUSTOMER', erpIds: [sample.erpRecordId], criteria: [['name', 'email']], dryRun: true };
    assert.equal((await match({ ...only, caseSensitive: false })).counts.coupled, 1);
    assert.equal((await match({ ...only, caseSensitive: true })).counts.noMatch, 1);
  });

  it('couples the matches, logs the job, and a second run finds them coupled already', async () => {
    const before = await coupledCount();
    const report = await match({ mapping: 'CUSTOMER', criteria: [['name', 'email']], syncAfterCoupling: true });
    assert.ok(report.counts.coupled > 0);
    assert.deepEqual([report.job?.type, report.job?.coupled], ['COUPLE_BY_MATCH', report.counts.coupled]);
    assert.equal(await coupledCount(), before + report.counts.coupled);
    assert.ok(report.syncJobs.length > 0, 'the new couplings were synchronised');
    const again = await match({ mapping: 'CUSTOMER', criteria: [['name', 'email']], dryRun: true });
    assert.equal(again.counts.coupled, 0);
    assert.ok(again.counts.alreadyCoupled >= before + report.counts.coupled);
  });

  it('creates the CRM record when nothing matches, if asked', async () => {
    const report = await match({ mapping: 'CUSTOMER', criteria: [['name', 'email']], createIfNoMatch: true });
    assert.ok(report.counts.created > 0);
    const inserted = report.syncJobs.reduce((sum, job) => sum + job.inserted, 0);
    const skipped = report.syncJobs.reduce((sum, job) => sum + job.skipped, 0);
    assert.equal(inserted + skipped, report.counts.created, 'each unmatched record was created, or skipped with its reason');
    assert.ok(inserted > 0);
  });

  it('refuses a field that is not a match field, writing nothing', async () => {
    const before = await checksum(gateway.stores.integration, STATE);
    const result = await gateway.request(CoupleByMatchDocument, { input: { mapping: 'CUSTOMER', criteria: [['creditLimitLcy']] } }, gateway.tokens.operator);
    assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(await checksum(gateway.stores.integration, STATE), before);
  });
});
