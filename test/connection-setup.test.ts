import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IsNull, Not } from 'typeorm';
import { SystemUser } from '../entities/crm';
import { Item } from '../entities/erp';
import { IntegrationRecord } from '../entities/integration/integration-record.entity';
import { ConnectionSetupDocument, UpdateConnectionSetupDocument, type UpdateConnectionSetupMutationVariables } from './generated/operations';
import { checksum } from './support/checksum';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

/*
 * The connection setup (seed: "Setting Up the Connection"): one screen over the gateway's flags,
 * the CRM's integration user and the ERP's write-in product, with the assisted setup's checklist.
 */
describe('the connection setup', () => {
  let gateway: TestGateway;

  const update = (input: UpdateConnectionSetupMutationVariables['input'], token?: string) =>
    gateway.request(UpdateConnectionSetupDocument, { input }, token ?? gateway.tokens.admin);
  const everywhere = async () =>
    [
      await checksum(gateway.stores.erp, ['erp.sales_receivables_setup']),
      await checksum(gateway.stores.crm, ['crm.system_user']),
      await checksum(gateway.stores.integration, ['integration.connection_setup']),
    ].join(' ');

  before(async () => {
    gateway = await startTestGateway({ label: 'setup', customers: 40 });
  });
  after(() => gateway?.close());

  it('shows the settings, where they live, and which prerequisites are met', async () => {
    const result = await gateway.request(ConnectionSetupDocument, {}, gateway.tokens.admin);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const setup = result.data!.connectionSetup;
    const integrationUser = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: true });
    assert.equal(setup.integrationUser!.id, integrationUser.id, "the CRM's integration user mode is the one source");
    assert.deepEqual(
      [setup.salesOrderIntegrationEnabled, setup.autoCreateSalesOrders, setup.itemAvailabilityEnabled],
      [false, false, false],
      'off until an administrator turns them on',
    );
    assert.deepEqual([setup.writeInProductType, setup.writeInProductNo], ['ITEM', 'WRITE-IN']);
    const step = (name: string) => setup.prerequisites.find((p) => p.step === name)!;
    assert.deepEqual(
      setup.prerequisites.map((p) => p.step),
      [
        'INTEGRATION_USER',
        'SALESPEOPLE_COUPLED',
        'CURRENCIES_COUPLED',
        'UNITS_OF_MEASURE_COUPLED',
        'CUSTOMERS_COUPLED',
        'PRICE_GROUPS_COUPLED',
        'ITEMS_COUPLED',
        'RESOURCES_COUPLED',
        'WRITE_IN_PRODUCT',
      ],
    );
    assert.equal(step('INTEGRATION_USER').met, true);
    assert.equal(step('WRITE_IN_PRODUCT').met, true);
    const customers = step('CUSTOMERS_COUPLED');
    assert.ok(customers.coupled! > 0 && customers.uncoupled! > 0, 'the demo has ERP-only and CRM-only customers');
    assert.equal(customers.met, false);
  });

  it('refuses a write-in product that does not exist or stands for a CRM product, and other bad changes, changing nothing anywhere', async () => {
    const coupledItemLink = await gateway.stores.integration
      .getRepository(IntegrationRecord)
      .findOneByOrFail({ mappingName: 'ITEM-PRODUCT', erpId: Not(IsNull()), crmId: Not(IsNull()) });
    const coupledItem = await gateway.stores.erp.getRepository(Item).findOneByOrFail({ systemId: coupledItemLink.erpId! });
    const before = await everywhere();
    assert.deepEqual(codes(await update({ writeInProductNo: 'NO-SUCH-ITEM', salesOrderIntegrationEnabled: true })), ['NOT_FOUND']);
    assert.deepEqual(codes(await update({ writeInProductNo: coupledItem.no, itemAvailabilityEnabled: true })), ['WRITE_IN_PRODUCT_COUPLED']);
    assert.deepEqual(codes(await update({ writeInProductType: 'RESOURCE' })), ['NOT_FOUND'], 'WRITE-IN is an item, not a resource');
    assert.deepEqual(codes(await update({ autoCreateSalesOrders: true })), ['SALES_ORDER_INTEGRATION_DISABLED']);
    assert.deepEqual(codes(await update({ integrationUserId: 'nonsense', salesOrderIntegrationEnabled: true })), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await update({ integrationUserId: '00000000-0000-4000-8000-000000000000' })), ['NOT_FOUND']);
    assert.deepEqual(codes(await update({ salesOrderIntegrationEnabled: true }, gateway.tokens.operator)), ['FORBIDDEN']);
    assert.deepEqual(codes(await gateway.request(ConnectionSetupDocument, {}, gateway.tokens.operator)), ['FORBIDDEN']);
    assert.equal(await everywhere(), before);
  });

  it('turns features on, moves the integration user mode to another CRM user, and clears the write-in product', async () => {
    const users = gateway.stores.crm.getRepository(SystemUser);
    const next = await users.findOneByOrFail({ isIntegrationUser: false, isDisabled: false });
    const result = await update({
      integrationUserId: next.id,
      salesOrderIntegrationEnabled: true,
      autoCreateSalesOrders: true,
      itemAvailabilityEnabled: true,
      writeInProductNo: null,
    });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const setup = result.data!.updateConnectionSetup;
    assert.equal(setup.integrationUser!.id, next.id);
    assert.deepEqual(
      (await users.findBy({ isIntegrationUser: true })).map((user) => user.id),
      [next.id],
      'one integration user at a time',
    );
    assert.deepEqual([setup.salesOrderIntegrationEnabled, setup.autoCreateSalesOrders, setup.itemAvailabilityEnabled, setup.writeInProductNo], [true, true, true, null]);
    assert.equal(setup.prerequisites.find((p) => p.step === 'WRITE_IN_PRODUCT')!.met, false);
    const restored = await update({ writeInProductNo: 'WRITE-IN', autoCreateSalesOrders: false });
    assert.equal(restored.errors, undefined, JSON.stringify(restored.errors));
    assert.deepEqual([restored.data!.updateConnectionSetup.writeInProductNo, restored.data!.updateConnectionSetup.autoCreateSalesOrders], ['WRITE-IN', false]);
  });
});
