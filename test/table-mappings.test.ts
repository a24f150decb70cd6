import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CustomersPageDocument, TableMappingsDocument, UpdateFieldMappingDocument, UpdateTableMappingDocument, type TableMappingsQuery } from './generated/operations';
import { checksum } from './support/checksum';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const MAPPING_TABLES = ['integration.table_mapping', 'integration.field_mapping'];
const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

describe('integration table mappings through GraphQL', () => {
  let gateway: TestGateway;
  let mappings: TableMappingsQuery['integrationTableMappings'];
  const mapping = (name: string) => mappings.find((m) => m.name === name)!;

  before(async () => {
    gateway = await startTestGateway({ label: 'mappings', customers: 60 });
    const result = await gateway.request(TableMappingsDocument, {});
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    mappings = result.data!.integrationTableMappings;
  });
  after(() => gateway?.close());

  /** Runs a mutation that must be refused with `code`, and checks that nothing changed. */
  async function refusedWithoutChange(run: () => Promise<{ errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }>, code: string): Promise<void> {
    const before = await checksum(gateway.stores.integration, MAPPING_TABLES);
    assert.deepEqual(codes(await run()), [code]);
    assert.equal(await checksum(gateway.stores.integration, MAPPING_TABLES), before);
  }

  it('lists the standard mappings in dependency order with their directions and default filters', () => {
    assert.deepEqual(
      mappings.map((m) => [m.name, m.direction]),
      [
        ['SALESPEOPLE', 'FROM_CRM'],
        ['CURRENCY', 'TO_CRM'],
        ['UNIT OF MEASURE', 'TO_CRM'],
        ['CUSTOMER', 'BIDIRECTIONAL'],
        ['CONTACT', 'BIDIRECTIONAL'],
        ['ITEM-PRODUCT', 'BIDIRECTIONAL'],
        ['RESOURCE-PRODUCT', 'BIDIRECTIONAL'],
        ['CUSTPRCGRP-PRICE', 'TO_CRM'],
        ['SALESPRC-PRODPRICE', 'TO_CRM'],
        ['OPPORTUNITY', 'BIDIRECTIONAL'],
        ['POSTEDSALESINV-INV', 'TO_CRM'],
        ['POSTEDSALESLINE-INV', 'TO_CRM'],
        ['SALESORDER-ORDER', 'FROM_CRM'],
      ],
    );
    assert.deepEqual(mapping('CUSTOMER').crmFilter, [
      { field: 'customerTypeCode', op: 'EQ', value: 'CUSTOMER', values: null },
      { field: 'stateCode', op: 'EQ', value: 'ACTIVE', values: null },
    ]);
    assert.deepEqual(
      mapping('SALESPEOPLE').crmFilter.map((c) => `${c.field}=${c.value}`),
      ['isDisabled=false', 'isLicensed=true', 'isIntegrationUser=false'],
    );
    assert.deepEqual(mapping('CUSTOMER').dependsOn, ['SALESPEOPLE', 'CURRENCY', 'UNIT OF MEASURE']);
  });

  it('shows the field mappings, the three account option mappings and the record counts', () => {
    const customer = mapping('CUSTOMER');
    assert.ok(customer.fieldMappings.some((f) => f.erpField === 'salespersonCode' && f.crmField === 'ownerId' && f.transformation === 'COUPLING'));
    assert.deepEqual(
      customer.optionMappings.map((o) => [o.name, o.crmAccountField]),
      [
        ['PAYMENT TERMS', 'paymentTermsCode'],
        ['SHIPMENT METHOD', 'address1FreightTermsCode'],
        ['SHIPPING AGENT', 'address1ShippingMethodCode'],
      ],
    );
    assert.ok(customer.optionMappings.every((o) => o.couplings.length > 0));
    assert.ok(customer.couplingCount > 30);
  });

  it("changes a mapping's direction, filters and conflict policies (admin)", async () => {
    const result = await gateway.request(
      UpdateTableMappingDocument,
      {
        name: 'CUSTOMER',
        input: {
          direction: 'TO_CRM',
          erpFilter: [{ field: 'blocked', op: 'IN', values: ['NONE', 'SHIP'] }],
          syncOnlyCoupledRecords: true,
          updateConflictResolution: 'ERP_WINS',
          deletionConflictResolution: 'REMOVE_COUPLING',
          incrementalIntervalSeconds: 60,
          duplicateThreshold: 0.65,
        },
      },
      gateway.tokens.admin,
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data!.updateTableMapping, {
      name: 'CUSTOMER',
      direction: 'TO_CRM',
      syncOnlyCoupledRecords: true,
      updateConflictResolution: 'ERP_WINS',
      deletionConflictResolution: 'REMOVE_COUPLING',
      incrementalIntervalSeconds: 60,
      duplicateThreshold: 0.65,
      erpFilter: [{ field: 'blocked', op: 'IN', value: null, values: ['NONE', 'SHIP'] }],
      crmFilter: mapping('CUSTOMER').crmFilter,
      modifiedBy: 'test-admin',
    });
  });

  it('refuses a direction the standard mapping does not allow, changing nothing', async () => {
    await refusedWithoutChange(
      () => gateway.request(UpdateTableMappingDocument, { name: 'CURRENCY', input: { direction: 'FROM_CRM', syncOnlyCoupledRecords: true } }, gateway.tokens.admin),
      'DIRECTION_NOT_ALLOWED',
    );
  });

  it('refuses a filter on a field the table does not have, changing nothing', async () => {
    await refusedWithoutChange(
      () =>
        gateway.request(
          UpdateTableMappingDocument,
          { name: 'ITEM-PRODUCT', input: { direction: 'TO_CRM', crmFilter: [{ field: 'colour', op: 'EQ', value: 'red' }] } },
          gateway.tokens.admin,
        ),
      'BAD_USER_INPUT',
    );
    await refusedWithoutChange(
      () => gateway.request(UpdateTableMappingDocument, { name: 'ITEM-PRODUCT', input: { erpFilter: [{ field: 'no', op: 'IN', value: 'I00001' }] } }, gateway.tokens.admin),
      'BAD_USER_INPUT',
    );
    await refusedWithoutChange(() => gateway.request(UpdateTableMappingDocument, { name: 'NO SUCH', input: { syncOnlyCoupledRecords: true } }, gateway.tokens.admin), 'NOT_FOUND');
  });

  it('refuses an option mapping made bidirectional, and a field direction its table cannot run', async () => {
    const option = mapping('CUSTOMER').fieldMappings.find((f) => f.transformation === 'OPTION')!;
    await gateway.request(UpdateTableMappingDocument, { name: 'CUSTOMER', input: { direction: 'BIDIRECTIONAL' } }, gateway.tokens.admin);
    await refusedWithoutChange(
      () => gateway.request(UpdateFieldMappingDocument, { id: option.id, input: { direction: 'BIDIRECTIONAL' } }, gateway.tokens.admin),
      'OPTION_MAPPING_NOT_BIDIRECTIONAL',
    );
    const currencyField = mapping('CURRENCY').fieldMappings[0]!;
    await refusedWithoutChange(
      () => gateway.request(UpdateFieldMappingDocument, { id: currencyField.id, input: { direction: 'FROM_CRM' } }, gateway.tokens.admin),
      'DIRECTION_NOT_ALLOWED',
    );
  });

  it('lets an operator read mappings but not change them', async () => {
    await refusedWithoutChange(() => gateway.request(UpdateTableMappingDocument, { name: 'CUSTOMER', input: { direction: 'TO_CRM' } }, gateway.tokens.operator), 'FORBIDDEN');
  });

  it('takes a merged field from the side its field mapping names', async () => {
    const phone = mapping('CUSTOMER').fieldMappings.find((f) => f.erpField === 'phoneNo')!;
    const differing = async () => {
      const page = await gateway.request(CustomersPageDocument, { first: 200, filter: { coupled: true } });
      return page.data!.customers.edges.map((edge) => edge.node).filter((node) => node.erp!.phoneNo !== node.crm!.telephone1);
    };
    for (const [direction, side] of [
      ['FROM_CRM', 'crm'],
      ['TO_CRM', 'erp'],
    ] as const) {
      const changed = await gateway.request(UpdateFieldMappingDocument, { id: phone.id, input: { direction } }, gateway.tokens.admin);
      assert.equal(changed.data!.updateFieldMapping.direction, direction);
      const pairs = await differing();
      assert.ok(pairs.length > 0, 'the demo has coupled pairs with differing phone numbers');
      for (const pair of pairs) assert.equal(pair.phone, side === 'crm' ? pair.crm!.telephone1 : pair.erp!.phoneNo);
    }
  });
});
