import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeUnifiedId } from '../src/unify/unified-id';
import {
  DryRunFullSyncDocument,
  DryRunSyncDocument,
  PossibleDuplicatesDocument,
  ResolvePossibleDuplicateDocument,
  RunSyncDocument,
  TableMappingsDocument,
  UpdateTableMappingDocument,
  type ResolvePossibleDuplicateMutationVariables,
} from './generated/operations';
import { cli } from './support/cli';
import { newAccount, newCustomer } from './support/records';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const customerId = (key: string) => encodeUnifiedId({ typeName: 'Customer', system: 'erp', key });
const accountId = (key: string) => encodeUnifiedId({ typeName: 'Customer', system: 'crm', key });

/**
 * Issue 12, duplicate review before create: a record a synchronisation would create in the other
 * system is held for review when that system already has a record that looks like it (same name
 * but for case, punctuation and legal form; same phone number), in incremental runs with
 * syncOnlyCoupledRecords off and in full synchronisations alike. Held records are listed with
 * their candidates and resolved by coupling, creating or dismissing.
 */
describe('a sync holds possible duplicates instead of creating them', () => {
  let gateway: TestGateway;
  let ownerId: string;
  let salespersonCode: string;

  before(async () => {
    gateway = await startTestGateway({ label: 'dupreview', customers: 30 });
    // A CRM user coupled to a salesperson, so that an account of theirs can become an ERP customer.
    const [owner] = await gateway.stores.integration.query(
      `SELECT crm_id, erp_code FROM integration.integration_record WHERE mapping_name = 'SALESPEOPLE' AND erp_id IS NOT NULL AND crm_id IS NOT NULL ORDER BY crm_id LIMIT 1`,
    );
    ownerId = owner.crm_id;
    salespersonCode = owner.erp_code;
  });
  after(() => gateway?.close());

  const erpCustomer = async (no: string, name: string, phoneNo: string | null) => {
    const customer = { ...newCustomer(no, name), phoneNo, salespersonCode };
    const erp = gateway.services.connectors.erp;
    await erp.bulkUpsert(erp.table('customer'), [customer], 'TEST');
    return customer.systemId;
  };
  const crmAccount = async (name: string, telephone1: string | null) => {
    const account = { ...newAccount(name, ownerId), telephone1 };
    const crm = gateway.services.connectors.crm;
    await crm.bulkUpsert(crm.table('account'), [account], ownerId);
    return account.id;
  };
  /** How many records each system holds whose name contains `word`. */
  const named = async (word: string) => ({
    erp: Number((await gateway.stores.erp.query(`SELECT count(*) AS n FROM erp.customer WHERE name ILIKE $1`, [`%${word}%`]))[0].n),
    crm: Number((await gateway.stores.crm.query(`SELECT count(*) AS n FROM crm.account WHERE name ILIKE $1`, [`%${word}%`]))[0].n),
  });
  const runSync = async (mode: 'INCREMENTAL' | 'FULL') => {
    const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.runSync;
  };
  const updateMapping = (input: { syncOnlyCoupledRecords?: boolean; duplicateThreshold?: number }) =>
    gateway.request(UpdateTableMappingDocument, { name: 'CUSTOMER', input }, gateway.tokens.admin);
  const held = async () => {
    const result = await gateway.request(PossibleDuplicatesDocument, { mapping: 'CUSTOMER', first: 1000 });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.possibleDuplicates.edges.map((edge) => edge.node);
  };
  /** The queue's entries about a record, whether it is the one held or a candidate. */
  const heldAbout = async (recordId: string) => (await held()).filter((entry) => entry.recordId === recordId || entry.candidates.some((c) => c.recordId === recordId));
  const resolve = (variables: ResolvePossibleDuplicateMutationVariables, token = gateway.tokens.operator) => gateway.request(ResolvePossibleDuplicateDocument, variables, token);
  const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.code;

  let brambleworth: { erp: string; crm: string };
  let zephyrine: { erp: string; crm: string };

  it('standard mappings of records people create by hand review duplicates by default', async () => {
    const { data } = await gateway.request(TableMappingsDocument);
    const threshold = Object.fromEntries(data!.integrationTableMappings.map((m) => [m.name, m.duplicateThreshold]));
    assert.equal(threshold.CUSTOMER, 0.8);
    assert.equal(threshold.CONTACT, 0.8);
    assert.equal(threshold['POSTEDSALESLINE-INV'], null);
  });

  it('an incremental run holds a new CRM account that looks like an uncoupled ERP customer, and creates nothing', async () => {
    const customer = await erpCustomer('DUP0001', 'Brambleworth Traders Ltd.', '+44 20 7946 0123');
    await gateway.stores.erp.query(`UPDATE erp.customer SET modified_at = now() - interval '3 years' WHERE system_id = $1`, [customer]);
    await runSync('INCREMENTAL');
    assert.equal((await updateMapping({ syncOnlyCoupledRecords: false })).errors, undefined);
    const account = await crmAccount('BRAMBLEWORTH TRADERS', '020 7946 0123');
    brambleworth = { erp: customer, crm: account };

    const job = await runSync('INCREMENTAL');
    assert.deepEqual(await named('brambleworth'), { erp: 1, crm: 1 }, 'the account was not created in the ERP');
    assert.ok(job.heldAsDuplicate >= 1, `held ${job.heldAsDuplicate}`);
    assert.equal(job.failed, 0);
    const [entry, ...others] = await heldAbout(accountId(account));
    assert.equal(others.length, 0);
    assert.equal(entry!.recordId, accountId(account));
    assert.equal(entry!.direction, 'FROM_CRM');
    assert.deepEqual(
      entry!.candidates.map((c) => [c.recordId, c.score, c.nameSimilarity, c.samePhone]),
      [[customerId(customer), 1, 1, true]],
    );
  });

  it('a full synchronisation holds an uncoupled pair that look alike, which a dry run counts first', async () => {
    zephyrine = { erp: await erpCustomer('DUP0002', 'Zephyrine Pharmaceuticals, Inc.', '(425) 555-0199'), crm: await crmAccount('zephyrine pharmaceuticals', '425.555.0199') };
    const dry = await gateway.request(DryRunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
    assert.equal(dry.errors, undefined, JSON.stringify(dry.errors));
    const report = dry.data!.runSync.dryRun!;
    assert.ok(report.heldAsDuplicate >= 2, `would hold ${report.heldAsDuplicate}`);
    assert.ok(
      report.samples.some((s) => s.outcome === 'DUPLICATE' && s.erpKey === zephyrine.erp),
      JSON.stringify(report.samples.filter((s) => s.outcome === 'DUPLICATE')),
    );
    const fullDry = await gateway.request(DryRunFullSyncDocument, {}, gateway.tokens.admin);
    assert.equal(fullDry.errors, undefined, JSON.stringify(fullDry.errors));
    assert.ok(fullDry.data!.startFullSync.dryRun!.find((r) => r.mappingName === 'CUSTOMER')!.heldAsDuplicate >= 2);
    assert.deepEqual(await heldAbout(customerId(zephyrine.erp)), [], 'a dry run holds nothing');

    const job = await runSync('FULL');
    assert.ok(job.heldAsDuplicate >= 2, `held ${job.heldAsDuplicate}`);
    assert.deepEqual(await named('zephyrine pharm'), { erp: 1, crm: 1 }, 'neither side was created');
    const entries = await heldAbout(customerId(zephyrine.erp));
    assert.equal(entries.length, 1, 'one entry for the pair, though both passes held a side of it');
    assert.equal(entries[0]!.recordId, customerId(zephyrine.erp));
    assert.deepEqual(
      entries[0]!.candidates.map((c) => [c.recordId, c.score, c.samePhone]),
      [[accountId(zephyrine.crm), 1, true]],
    );
    assert.equal((await heldAbout(accountId(brambleworth.crm))).length, 1, 'the account held before is held once still');
  });

  it("the command-line tool counts the records a run held, with the job's other counters", async () => {
    await erpCustomer('DUP0005', 'Wrenfield Mills Ltd', '+44 161 496 0732');
    await crmAccount('WRENFIELD MILLS', '0161 496 0732');
    const ran = await cli(['sync', 'CUSTOMER', '--full', '--follow'], { GATEWAY_URL: gateway.url, GATEWAY_TOKEN: gateway.tokens.operator });
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /CUSTOMER: succeeded · .*[1-9]\d* held as duplicate/);
  });

  it('refuses bad input with a code and changes nothing', async () => {
    const before = await held();
    const [entry] = await heldAbout(customerId(zephyrine.erp));
    assert.equal(codeOf(await resolve({ id: entry!.id, action: 'CREATE' }, gateway.tokens.viewer)), 'FORBIDDEN');
    assert.equal(codeOf(await resolve({ id: '00000000-0000-4000-8000-000000000000', action: 'CREATE' })), 'NOT_FOUND');
    assert.equal(codeOf(await resolve({ id: 'nonsense', action: 'CREATE' })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await resolve({ id: entry!.id, action: 'COUPLE', erpId: customerId(brambleworth.erp) })), 'BAD_USER_INPUT', 'an ERP record held has CRM candidates');
    assert.equal(codeOf(await resolve({ id: entry!.id, action: 'COUPLE', crmId: accountId(brambleworth.crm) })), 'BAD_USER_INPUT', 'not one of its candidates');
    assert.equal(codeOf(await resolve({ id: entry!.id, action: 'CREATE', crmId: accountId(zephyrine.crm) })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await gateway.request(PossibleDuplicatesDocument, { mapping: 'NO SUCH MAPPING' })), 'NOT_FOUND');
    assert.equal(codeOf(await gateway.request(PossibleDuplicatesDocument, { mapping: 'CUSTOMER', first: -1 })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await gateway.request(PossibleDuplicatesDocument, { mapping: 'CUSTOMER', after: 'not a cursor' })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await updateMapping({ duplicateThreshold: 1.5 })), 'BAD_USER_INPUT');
    assert.deepEqual(await held(), before);
    assert.deepEqual(await named('zephyrine pharm'), { erp: 1, crm: 1 });
    const { data } = await gateway.request(TableMappingsDocument);
    assert.equal(data!.integrationTableMappings.find((m) => m.name === 'CUSTOMER')!.duplicateThreshold, 0.8);
  });

  it('pages the queue with the one cursor', async () => {
    const all = await held();
    assert.ok(all.length >= 2);
    const first = await gateway.request(PossibleDuplicatesDocument, { mapping: 'CUSTOMER', first: 1 });
    const page = first.data!.possibleDuplicates;
    assert.deepEqual([page.totalCount, page.pageInfo.hasNextPage, page.edges.length], [all.length, true, 1]);
    const next = await gateway.request(PossibleDuplicatesDocument, { mapping: 'CUSTOMER', first: 1000, after: page.pageInfo.endCursor });
    assert.deepEqual(
      [...page.edges, ...next.data!.possibleDuplicates.edges].map((edge) => edge.node.id),
      all.map((entry) => entry.id),
    );
  });

  it('COUPLE couples the held record with the chosen candidate and synchronises the pair', async () => {
    const [entry] = await heldAbout(accountId(brambleworth.crm));
    const result = await resolve({ id: entry!.id, action: 'COUPLE', erpId: customerId(brambleworth.erp) });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const { action, recordId, job, syncJob } = result.data!.resolvePossibleDuplicate;
    assert.deepEqual([action, recordId, job?.coupled, syncJob?.modified], ['COUPLE', customerId(brambleworth.erp), 1, 1]);
    const [link] = await gateway.stores.integration.query(`SELECT crm_id, last_result FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id = $1`, [
      brambleworth.erp,
    ]);
    assert.deepEqual(link, { crm_id: brambleworth.crm, last_result: 'SUCCESS' });
    assert.deepEqual(await heldAbout(accountId(brambleworth.crm)), []);
    await runSync('INCREMENTAL');
    assert.deepEqual(await named('brambleworth'), { erp: 1, crm: 1 }, 'coupled, never created');
  });

  it("CREATE creates the held record's counterpart", async () => {
    const [entry] = await heldAbout(customerId(zephyrine.erp));
    const result = await resolve({ id: entry!.id, action: 'CREATE' });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual([result.data!.resolvePossibleDuplicate.syncJob?.inserted, result.data!.resolvePossibleDuplicate.syncJob?.heldAsDuplicate], [1, 0]);
    assert.deepEqual(await named('zephyrine pharm'), { erp: 1, crm: 2 });
    assert.deepEqual(await heldAbout(customerId(zephyrine.erp)), []);
  });

  it('IGNORE takes a record off the queue, and it is never held again for that candidate', async () => {
    const customer = await erpCustomer('DUP0003', 'Quillfeather GmbH', '+49 89 1234567');
    const account = await crmAccount('QUILLFEATHER', '089 1234567');
    await runSync('FULL');
    const [entry] = await heldAbout(customerId(customer));
    assert.equal(entry!.candidates[0]!.recordId, accountId(account));
    const result = await resolve({ id: entry!.id, action: 'IGNORE' });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.equal(result.data!.resolvePossibleDuplicate.syncJob, null, 'nothing is created by IGNORE');
    assert.deepEqual(await heldAbout(customerId(customer)), []);
    await runSync('FULL');
    assert.deepEqual([...(await heldAbout(customerId(customer))), ...(await heldAbout(accountId(account)))], [], 'neither side is held for the other again');
    assert.deepEqual(await named('quillfeather'), { erp: 2, crm: 2 }, 'each side was created in the other, as the operator said they differ');
  });

  it('a threshold of 0 turns the review off', async () => {
    const update = await updateMapping({ duplicateThreshold: 0 });
    assert.equal(update.errors, undefined, JSON.stringify(update.errors));
    assert.equal(update.data!.updateTableMapping.duplicateThreshold, null);
    await erpCustomer('DUP0004', 'Oxenholme Toys', '+1 206 555 0144');
    await crmAccount('OXENHOLME TOYS', '206-555-0144');
    const job = await runSync('FULL');
    assert.equal(job.heldAsDuplicate, 0);
    assert.deepEqual(await named('oxenholme'), { erp: 2, crm: 2 });
  });
});
