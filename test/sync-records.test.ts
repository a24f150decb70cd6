import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeUnifiedId } from '../src/unify/unified-id';
import { CoupleAndSyncDocument, CustomersPageDocument, CustomersWithSalespersonDocument, RunSyncDocument, SyncRecordsDocument } from './generated/operations';
import { checksum } from './support/checksum';
import { startGatewayOver, SYSTEMS } from './support/emulated-systems';
import type { TestGateway } from './support/test-gateway';

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

for (const systems of SYSTEMS) {
  describe(`synchronising chosen records now${systems.title}`, () => {
    let gateway: TestGateway;

    before(async () => {
      gateway = await startGatewayOver(systems.products, { label: 'syncrecords', customers: 120 });
    });
    after(() => gateway?.close());

    it('copies a pending pair the chosen way, whatever changed, and the pair is in sync after', async () => {
      const pending = (await gateway.request(CustomersPageDocument, { first: 1000, filter: { syncState: 'PENDING' } }))
        .data!.customers.edges.map((edge) => edge.node)
        .find((node) => node.erp!.phoneNo !== node.crm!.telephone1)!;
      const result = await gateway.request(SyncRecordsDocument, { ids: [pending.id], direction: 'TO_CRM' }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      assert.deepEqual(
        result.data!.syncRecords.map((job) => [job.mappingName, job.modified]),
        [['CUSTOMER', 1]],
      );
      const after = (await gateway.request(CustomersPageDocument, { first: 5, filter: { search: pending.erp!.no.toLowerCase() } })).data!.customers.edges.map((e) => e.node);
      const pair = after.find((node) => node.id === pending.id)!;
      assert.equal(pair.crm!.telephone1, pending.erp!.phoneNo, 'the ERP value overwrote the CRM one');
      assert.equal(pair.syncState, 'IN_SYNC');
    });

    it('couples a pair and synchronises it at once in the chosen direction', async () => {
      const uncoupled = (await gateway.request(CustomersWithSalespersonDocument, { first: 1000, filter: { coupled: false } })).data!.customers.edges.map((e) => e.node);
      const erp = uncoupled.find((c) => c.erp && !c.crm && c.salesperson?.coupling && !c.erp.currencyCode && uncoupled.some((o) => !o.erp && o.crm?.name === c.erp!.name))!;
      const crm = uncoupled.find((o) => !o.erp && o.crm?.name === erp.erp!.name)!;
      const result = await gateway.request(CoupleAndSyncDocument, { erpId: erp.id, crmId: crm.id, syncDirection: 'FROM_CRM' }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      const { record, job, syncJob } = result.data!.couple;
      assert.equal(job.coupled, 1);
      assert.deepEqual([syncJob?.mappingName, syncJob?.modified], ['CUSTOMER', 1]);
      if (!('erp' in record)) throw new Error('a Customer was expected');
      assert.equal(record.syncState, 'IN_SYNC');
      assert.equal(record.erp!.email, record.crm!.emailAddress1);
      assert.equal(record.erp!.phoneNo, record.crm!.telephone1);
    });

    it('refuses to synchronise sales orders field by field (they are transferred with their lines)', async () => {
      const orders = () => checksum(gateway.stores.erp, ['erp.sales_header', 'erp.sales_line']);
      const before = await orders();
      const result = await gateway.request(RunSyncDocument, { mapping: 'SALESORDER-ORDER', mode: 'FULL' }, gateway.tokens.operator);
      assert.deepEqual(codes(result), ['MAPPING_NOT_SYNCHRONISED']);
      assert.equal(await orders(), before);
    });

    it('refuses a direction the mapping does not run, and ids it never issued, changing nothing', async () => {
      const currencies = await gateway.stores.integration.query(`SELECT erp_id FROM integration.integration_record WHERE mapping_name = 'CURRENCY' AND crm_id IS NOT NULL LIMIT 1`);
      const id = encodeUnifiedId({ typeName: 'Currency', system: 'erp', key: currencies[0].erp_id });
      const tables = ['integration.integration_record', 'integration.sync_job'];
      const before = await checksum(gateway.stores.integration, tables);
      assert.deepEqual(codes(await gateway.request(SyncRecordsDocument, { ids: [id], direction: 'FROM_CRM' }, gateway.tokens.operator)), ['DIRECTION_NOT_ALLOWED']);
      assert.deepEqual(codes(await gateway.request(SyncRecordsDocument, { ids: ['nonsense'] }, gateway.tokens.operator)), ['BAD_USER_INPUT']);
      assert.deepEqual(codes(await gateway.request(SyncRecordsDocument, { ids: [id] }, gateway.tokens.viewer)), ['FORBIDDEN']);
      assert.equal(await checksum(gateway.stores.integration, tables), before);
    });
  });
}
