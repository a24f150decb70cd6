import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account } from '../entities/crm';
import { Customer } from '../entities/erp';
import { startWorker } from '../src/server/bootstrap';
import { encodeUnifiedId } from '../src/unify/unified-id';
import type { SyncWorker } from '../src/worker/sync-worker';
import {
  FieldHistoryDocument,
  ResolveSyncErrorFieldsDocument,
  RunSyncDocument,
  SyncErrorFieldsDocument,
  UpdateTableMappingDocument,
  type FieldHistoryQuery,
} from './generated/operations';
import { eventually } from './support/subscriptions';
import { synchronisedCustomer } from './support/synchronised-customer';
import { startTestGateway, TEST_WORKER, type TestGateway } from './support/test-gateway';

type Entry = FieldHistoryQuery['fieldHistory']['edges'][number]['node'];

const CHUNK = 10;

/** Issue 12, field lineage: what the engine wrote into each field, when, which way, by which job and why, through fieldHistory. */
describe('field lineage: every value the engine writes is recorded', () => {
  let gateway: TestGateway;
  let worker: SyncWorker | null = null;
  let erpId: string;
  let crmId: string;
  let id: string;
  let crmUser: string;

  const editErp = (set: string) =>
    gateway.stores.erp.query(`UPDATE erp.customer SET ${set}, modified_at = clock_timestamp(), modified_by = 'ERP USER' WHERE system_id = $1`, [erpId]);
  const editCrm = (set: string) => gateway.stores.crm.query(`UPDATE crm.account SET ${set}, modified_at = clock_timestamp(), modified_by = $2 WHERE id = $1`, [crmId, crmUser]);
  const runSync = async (mode: 'INCREMENTAL' | 'FULL' = 'INCREMENTAL') => {
    const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode }, gateway.tokens.operator);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.runSync;
  };
  const setPolicy = async (updateConflictResolution: 'NONE' | 'ERP_WINS') => {
    const result = await gateway.request(UpdateTableMappingDocument, { name: 'CUSTOMER', input: { updateConflictResolution } }, gateway.tokens.admin);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  };
  const history = async (recordId: string, variables: { field?: string; first?: number; after?: string } = {}) => {
    const result = await gateway.request(FieldHistoryDocument, { recordId, first: 1000, ...variables });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.fieldHistory;
  };
  const entries = async (recordId: string, field?: string): Promise<Entry[]> => (await history(recordId, { field })).edges.map((edge) => edge.node);

  before(async () => {
    gateway = await startTestGateway({ label: 'lineage', customers: 30, syncChunkSize: CHUNK });
    ({ erpId, crmId, id, crmUser } = await synchronisedCustomer(gateway));
    await runSync();
  });
  after(async () => {
    await worker?.stop();
    await gateway?.close();
  });

  it('records a value flowing by the rules, one the conflict policy picked and one an operator picked: old and new value, direction, job, newest first', async () => {
    const was = await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: erpId });
    await editErp(`name = 'Renamed in the ERP'`);
    const renamed = await runSync();
    const [name] = await entries(id, 'name');
    assert.deepEqual(name, {
      at: name!.at,
      mappingName: 'CUSTOMER',
      field: 'name',
      direction: 'TO_CRM',
      oldValue: JSON.stringify(was.name),
      newValue: '"Renamed in the ERP"',
      reason: 'RULE',
      jobId: renamed.id,
      erpKey: erpId,
      crmKey: crmId,
    });

    await setPolicy('ERP_WINS');
    await editErp(`city = 'Aarhus'`);
    await editCrm(`address1_city = 'Odense'`);
    const won = await runSync();
    const [city] = await entries(id, 'address1City');
    assert.deepEqual(
      [city!.field, city!.direction, city!.oldValue, city!.newValue, city!.reason, city!.jobId],
      ['address1City', 'TO_CRM', '"Odense"', '"Aarhus"', 'POLICY', won.id],
    );

    await setPolicy('NONE');
    await editErp(`phone_no = '+45 10 10 10 10'`);
    await editCrm(`telephone1 = '+45 20 20 20 20'`);
    assert.equal((await runSync()).conflicts, 1);
    const conflicts = await gateway.request(SyncErrorFieldsDocument, { first: 100, filter: { mappingName: 'CUSTOMER', result: 'CONFLICT' } });
    const conflict = conflicts.data!.syncErrors.edges.map((edge) => edge.node).find((node) => node.erpRecordId === id)!;
    const resolved = await gateway.request(
      ResolveSyncErrorFieldsDocument,
      { ids: [conflict.id], resolution: 'ERP_WINS', fields: [{ field: 'telephone1', side: 'CRM' }] },
      gateway.tokens.operator,
    );
    assert.equal(resolved.errors, undefined, JSON.stringify(resolved.errors));
    const [phone] = await entries(id, 'phoneNo');
    assert.deepEqual(
      [phone!.field, phone!.direction, phone!.oldValue, phone!.newValue, phone!.reason],
      ['phoneNo', 'FROM_CRM', '"+45 10 10 10 10"', '"+45 20 20 20 20"', 'RESOLUTION'],
    );
    assert.equal((await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: crmId })).telephone1, '+45 20 20 20 20');

    const all = await entries(id);
    assert.deepEqual(
      all.slice(0, 3).map((entry) => entry.field),
      ['phoneNo', 'address1City', 'name'],
      'newest first',
    );
  });

  it("records every field of the records a full synchronisation creates, the field mapping's constants and references as transformations, in one statement per chunk", async () => {
    const lineageStatements = gateway.stores.counters.integration.watch('field_lineage');
    const job = await runSync('FULL');
    assert.ok(job.inserted > 0, JSON.stringify(job));
    const statements = lineageStatements();
    assert.ok(statements <= Math.ceil(job.processed / CHUNK) + 2, `${statements} lineage statements for ${job.processed} records read in chunks of ${CHUNK}`);
    assert.ok(job.inserted + job.modified > statements, `${statements} statements record ${job.inserted + job.modified} records`);

    const [created] = await gateway.stores.integration.query(
      `SELECT l.erp_ids[w.n]::text AS erp_id, l.crm_ids[w.n]::text AS crm_id FROM integration.field_lineage l CROSS JOIN LATERAL json_array_elements(l.writes::json) WITH ORDINALITY w(write, n)
        WHERE l.job_id = $1 AND w.write ->> 'd' = 'TO_CRM' AND w.write -> 's' IS NOT NULL LIMIT 1`,
      [job.id],
    );
    const fields = new Map((await entries(encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: created.erp_id }))).map((entry) => [entry.field, entry]));
    const customer = await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: created.erp_id });
    assert.deepEqual([fields.get('name')?.oldValue, fields.get('name')?.newValue, fields.get('name')?.reason], ['null', JSON.stringify(customer.name), 'RULE']);
    assert.deepEqual([fields.get('customerTypeCode')?.newValue, fields.get('customerTypeCode')?.reason], ['"CUSTOMER"', 'TRANSFORMATION']);
    assert.equal(fields.get('ownerId')?.reason, 'TRANSFORMATION', 'the salesperson, translated through its coupling');
    // Every value written into the new account is listed, from nothing to the account's value, and nothing else.
    const account = (await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: created.crm_id })) as unknown as Record<string, unknown>;
    const json = (value: unknown) => JSON.stringify(value instanceof Date ? value.toISOString() : value);
    assert.deepEqual(
      [...fields.values()].filter((entry) => entry.oldValue !== 'null' || entry.newValue !== json(account[entry.field]) || entry.direction !== 'TO_CRM'),
      [],
    );
    for (const field of ['accountNumber', 'name', 'telephone1', 'emailAddress1', 'address1City', 'creditLimit']) assert.ok(fields.has(field), `${field} is listed`);
    assert.ok(
      [...fields.keys()].every((field) => account[field] !== null),
      'a field the account holds no value in was not written',
    );
  });

  it('records the side a merge wrote when its write to the other side was skipped', async () => {
    // A salesperson the CRM has no user for: the account's owner cannot follow, so the CRM write is skipped; the CRM's phone still flows.
    await gateway.stores.erp.query(
      `INSERT INTO erp.salesperson_purchaser (system_id, code, name, blocked, modified_at, modified_by) VALUES (gen_random_uuid(), 'UNCOUPLED', 'Not in the CRM', false, now(), 'ERP USER')`,
    );
    await editErp(`salesperson_code = 'UNCOUPLED'`);
    await editCrm(`telephone1 = '+45 30 30 30 30'`);
    const job = await runSync();
    assert.equal(job.skipped, 1);
    assert.equal((await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: erpId })).phoneNo, '+45 30 30 30 30');
    const [phone] = await entries(id, 'phoneNo');
    assert.deepEqual([phone?.direction, phone?.newValue, phone?.reason, phone?.jobId], ['FROM_CRM', '"+45 30 30 30 30"', 'RULE', job.id]);
  });

  it("pages newest first with the gateway's cursors, and takes either system's name for a field", async () => {
    const all = await history(id);
    assert.ok(all.totalCount >= 3, `${all.totalCount} entries`);
    const paged: Entry[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await history(id, { first: 2, ...(after ? { after } : {}) });
      paged.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    assert.deepEqual(
      paged,
      all.edges.map((edge) => edge.node),
    );
    assert.deepEqual(await entries(id, 'city'), await entries(id, 'address1City'), 'the ERP and the CRM name of a mapped field');
    const foreign = await gateway.request(FieldHistoryDocument, { recordId: id, after: 'bm90IGEgY3Vyc29y' });
    assert.equal(foreign.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  it("forgets values past FIELD_HISTORY_RETENTION_DAYS on the workers' housekeeping schedule, oldest first", async () => {
    const total = (await history(id)).totalCount;
    // The record's first values are made older than the retention (365 days in the test worker).
    const [{ first }] = await gateway.stores.integration.query(`SELECT min(id)::text AS first FROM integration.field_lineage WHERE erp_ids @> ARRAY[$1::uuid]`, [erpId]);
    await gateway.stores.integration.query(`UPDATE integration.field_lineage SET at = now() - interval '400 days' WHERE id <= $1`, [first]);
    const aged: Array<{ count: number }> = await gateway.stores.integration.query(
      `SELECT count(*)::int AS count FROM integration.field_lineage l CROSS JOIN LATERAL json_array_elements(l.writes::json) WITH ORDINALITY w(write, n)
         CROSS JOIN LATERAL (SELECT key FROM json_each(w.write -> 'x')
                             UNION ALL
                             SELECT k.key FROM json_each(CASE WHEN w.write -> 's' IS NOT NULL THEN l.recipes::json -> (w.write ->> 'd') END) k JOIN json_each(w.write -> 's') s ON s.key = k.key
                              WHERE json_typeof(s.value -> CASE w.write ->> 'd' WHEN 'TO_CRM' THEN 1 ELSE 0 END) <> 'null') c
        WHERE l.id = $1 AND l.erp_ids[w.n] = $2`,
      [first, erpId],
    );
    worker = await startWorker(gateway.services, TEST_WORKER);
    const left = await eventually(
      async () => {
        const now = (await history(id)).totalCount;
        return now < total ? now : undefined;
      },
      10_000,
      'the retention to forget the aged values',
    );
    assert.equal(left, total - aged[0]!.count);
  });
});
