import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IsNull, Not } from 'typeorm';
import { Account, TransactionCurrency, UnitGroup } from '../entities/crm';
import { Currency, UnitOfMeasure } from '../entities/erp';
import { encodeUnifiedId } from '../src/unify/unified-id';
import {
  CoupleDocument,
  CustomersWithSalespersonDocument,
  SyncJobByIdDocument,
  SyncJobsDocument,
  UncoupleDocument,
  type CustomersWithSalespersonQuery,
} from './generated/operations';
import { checksum } from './support/checksum';
import { startGatewayOver, SYSTEMS } from './support/emulated-systems';
import type { TestGateway } from './support/test-gateway';

type CustomerNode = CustomersWithSalespersonQuery['customers']['edges'][number]['node'];

const STATE_TABLES = ['integration.integration_record', 'integration.sync_job'];
const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

for (const systems of SYSTEMS) {
  describe(`coupling records by hand${systems.title}`, () => {
    let gateway: TestGateway;
    let uncoupled: CustomerNode[];
    let coupledPair: CustomerNode;
    let coupledNow: string;

    before(async () => {
      gateway = await startGatewayOver(systems.products, { label: 'coupling', customers: 200 });
      const list = async (coupled: boolean) =>
        (await gateway.request(CustomersWithSalespersonDocument, { first: 1000, filter: { coupled } })).data!.customers.edges.map((edge) => edge.node);
      uncoupled = await list(false);
      coupledPair = (await list(true))[0]!;
    });
    after(() => gateway?.close());

    async function refusedWithoutChange(run: () => Promise<{ errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }>, code: string): Promise<void> {
      const before = await checksum(gateway.stores.integration, STATE_TABLES);
      const result = await run();
      assert.deepEqual(codes(result), [code], JSON.stringify(result.errors));
      assert.equal(await checksum(gateway.stores.integration, STATE_TABLES), before, 'a refused coupling writes nothing');
    }

    const couple = (erpId: string, crmId: string, token = gateway.tokens.operator) => gateway.request(CoupleDocument, { erpId, crmId }, token);

    it('couples an ERP customer with the CRM account of the same company, and logs the job', async () => {
      const erpOnly = uncoupled.filter((c) => c.erp && !c.crm && c.salesperson?.coupling && (!c.erp.currencyCode || c.currency?.coupling));
      const pair = erpOnly.map((erp) => ({ erp, crm: uncoupled.find((c) => !c.erp && c.crm && c.crm.name === erp.erp!.name) })).find((candidate) => candidate.crm);
      assert.ok(pair, 'the demo has an ERP-only customer and a CRM-only account of the same company');
      const result = await couple(pair.erp.id, pair.crm!.id);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      const { record, job } = result.data!.couple;
      assert.equal(record.id, pair.erp.id, "the coupled record keeps its ERP side's id");
      if (!('erp' in record)) throw new Error('a Customer was expected');
      assert.equal(record.erp?.no, pair.erp.erp!.no);
      assert.equal(record.crm?.id, pair.crm!.crm!.id);
      assert.equal(record.syncState, 'PENDING', 'coupled but never synchronised');
      assert.equal(record.coupling?.lastSyncedAt, null);
      assert.deepEqual([job.type, job.status, job.mappingName, job.coupled, job.requestedBy], ['COUPLE', 'SUCCEEDED', 'CUSTOMER', 1, 'test-operator']);
      const fetched = await gateway.request(SyncJobByIdDocument, { id: job.id });
      assert.equal(fetched.data!.syncJob?.coupled, 1);
      coupledNow = record.id;
    });

    it('refuses to couple a record that is coupled already (one to one)', async () => {
      const crmOnly = uncoupled.find((c) => !c.erp && c.crm)!;
      await refusedWithoutChange(() => couple(coupledPair.id, crmOnly.id), 'ALREADY_COUPLED');
    });

    it('refuses a customer whose salesperson is not coupled to a CRM user (seed: couple salespeople first)', async () => {
      const withoutUser = uncoupled.find((c) => c.erp && !c.crm && c.erp.salespersonCode && !c.salesperson?.coupling);
      assert.ok(withoutUser, 'the demo has customers of ERP-only salespeople');
      const crmOnly = uncoupled.find((c) => !c.erp && c.crm)!;
      await refusedWithoutChange(() => couple(withoutUser.id, crmOnly.id), 'PREREQUISITE_NOT_COUPLED');
    });

    it("refuses an account outside the mapping's filter (not of relationship type Customer, or inactive)", async () => {
      const vendor = await gateway.stores.crm.getRepository(Account).findOneByOrFail({ customerTypeCode: Not('CUSTOMER') as never });
      const erpOnly = uncoupled.find((c) => c.erp && !c.crm && c.salesperson?.coupling && !c.erp.currencyCode)!;
      await refusedWithoutChange(() => couple(erpOnly.id, encodeUnifiedId({ typeName: 'Customer', system: 'crm', key: vendor.id })), 'RECORD_OUTSIDE_MAPPING');
    });

    it('refuses a currency without a standard ISO code (seed: only ISO currencies are coupled)', async () => {
      const noIso = await gateway.stores.erp.getRepository(Currency).findOneByOrFail({ isoCode: IsNull() });
      const crmCurrency = await gateway.stores.crm.getRepository(TransactionCurrency).findOneByOrFail({ isoCurrencyCode: 'USD' });
      await refusedWithoutChange(
        () => couple(encodeUnifiedId({ typeName: 'Currency', system: 'erp', key: noIso.systemId }), encodeUnifiedId({ typeName: 'Currency', system: 'crm', key: crmCurrency.id })),
        'RECORD_OUTSIDE_MAPPING',
      );
    });

    it('refuses a unit group that holds more than one unit (seed: one unit per unit group)', async () => {
      const groups = await gateway.stores.crm.query(`SELECT unit_group_id AS id FROM crm.unit GROUP BY unit_group_id HAVING count(*) > 1 LIMIT 1`);
      assert.equal(groups.length, 1, 'the demo has a unit group with two units');
      const group = await gateway.stores.crm.getRepository(UnitGroup).findOneByOrFail({ id: groups[0].id });
      const unit = await gateway.stores.erp.getRepository(UnitOfMeasure).findOneByOrFail({});
      await refusedWithoutChange(
        () =>
          couple(encodeUnifiedId({ typeName: 'UnitOfMeasure', system: 'erp', key: unit.systemId }), encodeUnifiedId({ typeName: 'UnitOfMeasure', system: 'crm', key: group.id })),
        'RECORDS_DO_NOT_MATCH',
      );
    });

    it('refuses records of different types, a crmId that is not a CRM record, and a viewer', async () => {
      const crmOnly = uncoupled.find((c) => !c.erp && c.crm)!;
      const erpOnly = uncoupled.find((c) => c.erp && !c.crm)!;
      const usd = await gateway.stores.crm.getRepository(TransactionCurrency).findOneByOrFail({ isoCurrencyCode: 'USD' });
      await refusedWithoutChange(() => couple(erpOnly.id, encodeUnifiedId({ typeName: 'Currency', system: 'crm', key: usd.id })), 'BAD_USER_INPUT');
      await refusedWithoutChange(() => couple(erpOnly.id, coupledPair.id), 'BAD_USER_INPUT');
      await refusedWithoutChange(() => couple(erpOnly.id, crmOnly.id, gateway.tokens.viewer), 'FORBIDDEN');
    });

    it('uncouples: both sides stand on their own again, and the job is logged', async () => {
      const result = await gateway.request(UncoupleDocument, { id: coupledNow }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      const { erpRecord, crmRecord, job } = result.data!.uncouple;
      if (!('erp' in erpRecord) || !('crm' in crmRecord)) throw new Error('Customers were expected');
      assert.equal(erpRecord.id, coupledNow);
      assert.ok(erpRecord.erp && !erpRecord.crm && erpRecord.syncState === 'UNCOUPLED');
      assert.ok(crmRecord.crm && !crmRecord.erp && crmRecord.syncState === 'UNCOUPLED');
      assert.deepEqual([job.type, job.uncoupled], ['UNCOUPLE', 1]);
      await refusedWithoutChange(() => gateway.request(UncoupleDocument, { id: coupledNow }, gateway.tokens.operator), 'NOT_COUPLED');
    });

    it('lets only one of two operators couple the same record at the same moment', async () => {
      const [first, second] = uncoupled.filter((c) => !c.erp && c.crm);
      const results = await Promise.all([couple(coupledNow, first!.id), couple(coupledNow, second!.id)]);
      assert.deepEqual(results.map((result) => (result.errors ? codes(result)[0] : 'COUPLED')).sort(), ['ALREADY_COUPLED', 'COUPLED']);
      const { record } = results.find((result) => !result.errors)!.data!.couple;
      await gateway.request(UncoupleDocument, { id: record.id }, gateway.tokens.operator);
    });

    it('lists the job log newest first, filtered by type', async () => {
      const all = await gateway.request(SyncJobsDocument, { first: 10 });
      assert.deepEqual(
        all.data!.syncJobs.edges.map((edge) => edge.node.type),
        ['UNCOUPLE', 'COUPLE', 'UNCOUPLE', 'COUPLE'],
      );
      const couplings = await gateway.request(SyncJobsDocument, { first: 10, filter: { type: 'COUPLE' } });
      assert.equal(couplings.data!.syncJobs.totalCount, 2);
      const firstPage = await gateway.request(SyncJobsDocument, { first: 1 });
      const secondPage = await gateway.request(SyncJobsDocument, { first: 1, after: firstPage.data!.syncJobs.pageInfo.endCursor });
      assert.equal(secondPage.data!.syncJobs.edges[0]!.node.type, 'COUPLE');
      assert.deepEqual(codes(await gateway.request(SyncJobByIdDocument, { id: 'nope' })), ['BAD_USER_INPUT']);
    });
  });
}
