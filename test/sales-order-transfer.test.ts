import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { In, IsNull } from 'typeorm';
import { Account, Product, SalesOrder, SalesOrderDetail, SalesOrderState } from '../entities/crm';
import { Item, Resource, ResourceType, SalesHeader } from '../entities/erp';
import { IntegrationRecord } from '../entities/integration/integration-record.entity';
import type { BusinessCentralProduct } from '../src/mirrors/business-central.product';
import type { MirroredConnector } from '../src/mirrors/mirrored.connector';
import { encodeUnifiedId } from '../src/unify/unified-id';
import {
  ConnectionSetupDocument,
  ItemPriceDocument,
  RunSyncDocument,
  SalesOrderByIdDocument,
  TransferSalesOrdersDocument,
  UpdateConnectionSetupDocument,
  type UpdateConnectionSetupMutationVariables,
} from './generated/operations';
import { checksum } from './support/checksum';
import { startGatewayOver, SYSTEMS } from './support/emulated-systems';
import type { TestGateway } from './support/test-gateway';

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

interface OrderLine {
  readonly product?: Product;
  readonly description?: string;
  readonly quantity: number;
  readonly price: number;
}

const LONG_DESCRIPTION =
  "Custom-built conference table in smoked oak to the customer's drawing, with cable ducts, two power modules, a matching credenza and delivery to the fourth floor; installed on site by our own carpenters.";

/*
 * CRM sales orders become ERP sales orders (seed: "Handling Special Sales Order Data"), through
 * transferSalesOrders and through the automatic transfer, checked in both systems afterwards;
 * over the stores, then through the emulators (an order and its lines in one deep insert).
 */
for (const systems of SYSTEMS) {
  describe(`transferring CRM sales orders into ERP sales orders${systems.title}`, () => {
    let gateway: TestGateway;
    let account: Account;
    let uncoupledAccount: Account;
    let itemProduct: Product;
    let item: Item;
    let resourceProduct: Product;
    let orderCount = 0;

    const updateSetup = async (input: UpdateConnectionSetupMutationVariables['input']) => {
      const result = await gateway.request(UpdateConnectionSetupDocument, { input }, gateway.tokens.admin);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      return result.data!.updateConnectionSetup;
    };
    const transfer = async (ids: string[]) => {
      const result = await gateway.request(TransferSalesOrdersDocument, { ids }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      return result.data!.transferSalesOrders;
    };
    const salesOrder = async (crmId: string) => {
      const result = await gateway.request(SalesOrderByIdDocument, { id: encodeUnifiedId({ typeName: 'SalesOrder', system: 'crm', key: crmId }) });
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      return result.data!.salesOrder!;
    };
    /** The client the mirrored ERP connector speaks to Business Central with (emulated setup). */
    const businessCentral = () => ((gateway.services.connectors.erp as MirroredConnector).product as BusinessCentralProduct).client;
    const orderTables = () => checksum(gateway.stores.erp, ['erp.sales_header', 'erp.sales_line']);
    const coupledCrm = async <T>(mappingName: string, load: (id: string) => Promise<T | null>): Promise<T> => {
      const links = await gateway.stores.integration.getRepository(IntegrationRecord).find({ where: { mappingName }, order: { sortKey: 'ASC' } });
      for (const link of links) {
        if (!link.erpId || !link.crmId) continue;
        const record = await load(link.crmId);
        if (record) return record;
      }
      throw new Error(`no coupled ${mappingName} in the demo`);
    };

    /** A CRM order, as a salesperson enters it: one detail per line, write-in lines without a product. */
    async function crmOrder(forAccount: Account, lines: readonly OrderLine[], options: { name?: string; state?: SalesOrderState } = {}): Promise<SalesOrder> {
      orderCount += 1;
      const order: SalesOrder = Object.assign(new SalesOrder(), {
        id: randomUUID(),
        orderNumber: `ORD-TEST-${String(orderCount).padStart(4, '0')}`,
        name: options.name ?? `PO ${orderCount}`,
        customerId: forAccount.id,
        ownerId: forAccount.ownerId,
        transactionCurrencyId: forAccount.transactionCurrencyId,
        priceLevelId: null,
        totalAmount: lines.reduce((sum, line) => sum + line.quantity * line.price, 0),
        requestDeliveryBy: null,
        stateCode: options.state ?? SalesOrderState.SUBMITTED,
        submittedAt: new Date(),
        paymentTermsCode: null,
        freightTermsCode: null,
        shippingMethodCode: null,
        lastBackofficeSubmit: null,
      });
      await gateway.services.connectors.crm.bulkUpsert(gateway.services.connectors.crm.table<SalesOrder>('sales_order'), [order], forAccount.ownerId);
      const details = lines.map((line, index): SalesOrderDetail =>
        Object.assign(new SalesOrderDetail(), {
          id: randomUUID(),
          salesOrderId: order.id,
          lineItemNumber: index + 1,
          productId: line.product?.id ?? null,
          unitId: line.product?.defaultUnitId ?? null,
          isProductOverridden: !line.product,
          productDescription: line.description ?? null,
          quantity: line.quantity,
          pricePerUnit: line.price,
          extendedAmount: line.quantity * line.price,
        }),
      );
      await gateway.services.connectors.crm.bulkUpsert(gateway.services.connectors.crm.table<SalesOrderDetail>('sales_order_detail'), details, forAccount.ownerId);
      return order;
    }
    const idOf = (order: SalesOrder) => encodeUnifiedId({ typeName: 'SalesOrder', system: 'crm', key: order.id });

    before(async () => {
      gateway = await startGatewayOver(systems.products, { label: 'transfer', customers: 60 });
      const crm = gateway.stores.crm;
      account = await coupledCrm('CUSTOMER', (id) => crm.getRepository(Account).findOneBy({ id, transactionCurrencyId: IsNull() }));
      itemProduct = await coupledCrm('ITEM-PRODUCT', (id) => crm.getRepository(Product).findOneBy({ id }));
      resourceProduct = await coupledCrm('RESOURCE-PRODUCT', (id) => crm.getRepository(Product).findOneBy({ id }));
      item = await gateway.stores.erp.getRepository(Item).findOneByOrFail({ no: itemProduct.productNumber });
      const lonely = await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ mappingName: 'CUSTOMER', erpId: IsNull(), crmInScope: true });
      uncoupledAccount = await crm.getRepository(Account).findOneByOrFail({ id: lonely.crmId! });
      await updateSetup({ salesOrderIntegrationEnabled: true, writeInProductType: 'ITEM', writeInProductNo: 'WRITE-IN' });
    });
    after(() => gateway?.close());

    it("makes the order's Name the External Document No. (cut to 35 characters) and its number Your Reference, one line per product", async () => {
      const name = 'Framework agreement 2026, call-off 17 for Contoso Pharmaceuticals';
      const order = await crmOrder(
        account,
        [
          { product: itemProduct, quantity: 4, price: 12.5 },
          { product: resourceProduct, quantity: 2, price: 80 },
        ],
        { name },
      );
      const run = await transfer([idOf(order)]);
      assert.deepEqual(
        run.orders.map((o) => [o.orderNumber, o.status, o.code]),
        [[order.orderNumber, 'TRANSFERRED', null]],
      );
      assert.deepEqual([run.job.type, run.job.mappingName, run.job.inserted], ['TRANSFER', 'SALESORDER-ORDER', 1]);
      const transferred = await salesOrder(order.id);
      assert.equal(transferred.erp!.externalDocumentNo, name.slice(0, 35));
      assert.equal(transferred.erp!.yourReference, order.orderNumber);
      assert.equal(transferred.erp!.currencyCode, null);
      assert.equal(
        transferred.customer!.id,
        encodeUnifiedId({
          typeName: 'Customer',
          system: 'erp',
          key: (await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ mappingName: 'CUSTOMER', crmId: account.id })).erpId!,
        }),
      );
      assert.deepEqual(
        transferred.erpLines.map((line) => [line.type, line.no, line.quantity, line.unitPrice, line.lineAmount]),
        [
          ['ITEM', itemProduct.productNumber, 4, 12.5, 50],
          ['RESOURCE', resourceProduct.productNumber, 2, 80, 160],
        ],
      );
      assert.equal(transferred.erpLines[0]!.unitOfMeasureCode, item.baseUnitOfMeasure);
      assert.equal(transferred.syncState, 'IN_SYNC');
      assert.equal(transferred.coupling!.crmId, order.id);
      assert.ok(transferred.crm!.lastBackofficeSubmit, 'the CRM order records when it was submitted to the ERP');
      if (systems.products) {
        // Business Central holds the order and its lines (one deep insert), as the mirror does.
        const client = businessCentral();
        const [held] = await client.findBy('salesOrders', 'number', [transferred.erp!.no]);
        assert.equal(held?.externalDocumentNumber, name.slice(0, 35));
        const lines = await client.findBy('salesOrderLines', 'documentId', [{ guid: String(held!.id) }]);
        assert.deepEqual(
          lines.map((line) => [line.sequence, line.lineType, line.lineObjectNumber, line.quantity]).sort((a, b) => Number(a[0]) - Number(b[0])),
          [
            [transferred.erpLines[0]!.lineNo, 'Item', itemProduct.productNumber, 4],
            [transferred.erpLines[1]!.lineNo, 'Resource', resourceProduct.productNumber, 2],
          ],
        );
      }
    });

    it('puts write-in products on the write-in item with their description, and a long description on Comment lines in full', async () => {
      const order = await crmOrder(account, [
        { description: 'Gift wrapping', quantity: 1, price: 5 },
        { description: LONG_DESCRIPTION, quantity: 1, price: 4200 },
      ]);
      assert.equal((await transfer([idOf(order)])).orders[0]!.status, 'TRANSFERRED');
      const lines = (await salesOrder(order.id)).erpLines;
      assert.deepEqual(
        lines.slice(0, 2).map((line) => [line.type, line.no, line.description]),
        [
          ['ITEM', 'WRITE-IN', 'Gift wrapping'],
          ['ITEM', 'WRITE-IN', LONG_DESCRIPTION.slice(0, 100)],
        ],
      );
      const comments = lines.slice(2);
      assert.ok(comments.length >= 2, 'a text over 200 characters takes several Comment lines');
      assert.ok(comments.every((line) => line.type === 'COMMENT' && line.no === null && line.quantity === 0 && line.description.length <= 100));
      assert.equal(comments.map((line) => line.description).join(''), LONG_DESCRIPTION, 'the Comment lines hold the full text');
      assert.deepEqual(
        lines.map((line) => line.lineNo),
        lines.map((_, index) => (index + 1) * 10_000),
      );
    });

    it('puts write-in products on the write-in resource when the setup says Resource', async () => {
      const resource: Resource = Object.assign(new Resource(), {
        systemId: randomUUID(),
        no: 'WRITE-IN-RES',
        name: 'Write-in service',
        type: ResourceType.PERSON,
        baseUnitOfMeasure: item.baseUnitOfMeasure,
        unitPrice: 0,
        unitCost: 0,
        blocked: false,
      });
      await gateway.services.connectors.erp.bulkUpsert(gateway.services.connectors.erp.table<Resource>('resource'), [resource], 'TEST');
      await updateSetup({ writeInProductType: 'RESOURCE', writeInProductNo: 'WRITE-IN-RES' });
      try {
        const order = await crmOrder(account, [{ description: 'Site survey', quantity: 3, price: 95 }]);
        assert.equal((await transfer([idOf(order)])).orders[0]!.status, 'TRANSFERRED');
        const [line] = (await salesOrder(order.id)).erpLines;
        assert.deepEqual([line!.type, line!.no, line!.description, line!.quantity, line!.lineAmount], ['RESOURCE', 'WRITE-IN-RES', 'Site survey', 3, 285]);
      } finally {
        await updateSetup({ writeInProductType: 'ITEM', writeInProductNo: 'WRITE-IN' });
      }
    });

    it('refuses an order whose account is not coupled, with a clear error, creating nothing in the ERP', async () => {
      const order = await crmOrder(uncoupledAccount, [
        { product: itemProduct, quantity: 1, price: 10 },
        { description: LONG_DESCRIPTION, quantity: 1, price: 1 },
      ]);
      const before = await orderTables();
      const run = await transfer([idOf(order)]);
      assert.deepEqual(
        run.orders.map((o) => [o.status, o.code]),
        [['FAILED', 'CUSTOMER_NOT_COUPLED']],
      );
      assert.match(run.orders[0]!.message!, /not coupled to an ERP customer/);
      assert.equal(run.job.failed, 1);
      assert.equal(await orderTables(), before);
      assert.equal((await salesOrder(order.id)).erp, null);
    });

    it('refuses an order that is not submitted, and one whose product is not coupled, creating nothing', async () => {
      const active = await crmOrder(account, [{ product: itemProduct, quantity: 1, price: 10 }], { state: SalesOrderState.ACTIVE });
      const uncoupledProduct = await gateway.stores.crm.getRepository(Product).findOneByOrFail({ productNumber: 'SRV-TRAINING' });
      const strange = await crmOrder(account, [
        { product: itemProduct, quantity: 1, price: 10 },
        { product: uncoupledProduct, quantity: 1, price: 10 },
      ]);
      const before = await orderTables();
      const run = await transfer([idOf(active), idOf(strange)]);
      assert.deepEqual(
        run.orders.map((o) => [o.status, o.code]),
        [
          ['FAILED', 'ORDER_NOT_SUBMITTED'],
          ['FAILED', 'PREREQUISITE_NOT_COUPLED'],
        ],
      );
      assert.equal(await orderTables(), before);
    });

    it('transfers an order once: a second transfer, or an ERP order already carrying its number, reports it as already transferred', async () => {
      const order = await crmOrder(account, [{ product: itemProduct, quantity: 2, price: 10 }]);
      const first = await transfer([idOf(order), idOf(order)]);
      assert.deepEqual(
        first.orders.map((o) => o.status),
        ['TRANSFERRED'],
      );
      const before = await orderTables();
      const again = await transfer([idOf(order)]);
      assert.deepEqual(
        again.orders.map((o) => [o.status, o.erpOrderId]),
        [['ALREADY_TRANSFERRED', first.orders[0]!.erpOrderId]],
      );
      assert.equal(await orderTables(), before);
      assert.equal(await gateway.stores.erp.getRepository(SalesHeader).countBy({ yourReference: order.orderNumber }), 1);

      // An ERP order entered by hand for the CRM order (or a transfer that stopped before coupling) counts as the transfer.
      const other = await crmOrder(account, [{ product: itemProduct, quantity: 1, price: 10 }]);
      const [existing] = await gateway.stores.erp.getRepository(SalesHeader).findBy({ yourReference: order.orderNumber });
      await gateway.services.connectors.erp.bulkUpsert(
        gateway.services.connectors.erp.table<SalesHeader>('sales_header'),
        [{ ...existing!, systemId: randomUUID(), no: 'SO-MANUAL-1', yourReference: other.orderNumber }],
        'TEST',
      );
      const manual = await orderTables();
      const byReference = await transfer([idOf(other)]);
      assert.deepEqual(
        byReference.orders.map((o) => o.status),
        ['ALREADY_TRANSFERRED'],
      );
      assert.equal(await orderTables(), manual, 'nothing was created');
      assert.equal((await salesOrder(other.id)).erp!.no, 'SO-MANUAL-1', 'and the orders are coupled now');
    });

    it('counts each order once when two transfers of the same orders run at once, and numbers the ERP orders from the number series (issue 12, defect 6)', async () => {
      const orders = await Promise.all([1, 2, 3, 4].map(() => crmOrder(account, [{ product: itemProduct, quantity: 1, price: 10 }])));
      const [first, second] = await Promise.all([transfer(orders.map(idOf)), transfer(orders.map(idOf))]);
      assert.equal(first.job.inserted + second.job.inserted, 4, 'four orders, four ERP orders counted');
      assert.equal(first.job.unchanged + second.job.unchanged, 4, 'the other transfer found each one transferred');
      const numbers = await Promise.all(orders.map(async (order) => (await salesOrder(order.id)).erp!.no));
      assert.ok(
        numbers.every((no) => /^SO\d{6}$/.test(no)),
        `numbers from the S-ORD series: ${numbers.join(', ')}`,
      );
      assert.equal(new Set(numbers).size, 4);
      const headers = await gateway.stores.erp.getRepository(SalesHeader).findBy({ yourReference: In(orders.map((order) => order.orderNumber)) });
      assert.equal(headers.length, 4);
    });

    it("lowers the item's availability by the quantity on the new ERP order", async () => {
      await updateSetup({ itemAvailabilityEnabled: true });
      const itemId = encodeUnifiedId({ typeName: 'Item', system: 'erp', key: item.systemId });
      const availability = async () => {
        const result = await gateway.request(ItemPriceDocument, { id: itemId });
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        return result.data!.item!;
      };
      const before = await availability();
      const order = await crmOrder(account, [{ product: itemProduct, quantity: 7, price: 10 }]);
      await transfer([idOf(order)]);
      const after = await availability();
      assert.equal(after.availability, before.availability! - 7);
      assert.equal(after.inventory, before.inventory, 'the inventory itself is unchanged');
      await updateSetup({ itemAvailabilityEnabled: false });
      assert.equal((await availability()).availability, null, 'hidden while item availability is off');
    });

    it('transfers newly submitted orders automatically when Automatically Create Sales Orders is on', async () => {
      const refused = await gateway.request(RunSyncDocument, { mapping: 'SALESORDER-ORDER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
      assert.deepEqual(codes(refused), ['MAPPING_NOT_SYNCHRONISED'], 'off: the mapping is not run');
      await updateSetup({ autoCreateSalesOrders: true });
      try {
        const order = await crmOrder(account, [{ product: itemProduct, quantity: 1, price: 10 }], { name: 'Automatic PO 4711' });
        const draft = await crmOrder(account, [{ product: itemProduct, quantity: 1, price: 10 }], { state: SalesOrderState.ACTIVE });
        const job = await gateway.request(RunSyncDocument, { mapping: 'SALESORDER-ORDER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
        assert.equal(job.errors, undefined, JSON.stringify(job.errors));
        assert.equal(job.data!.runSync.type, 'TRANSFER');
        assert.ok(job.data!.runSync.inserted >= 1);
        assert.equal((await salesOrder(order.id)).erp!.externalDocumentNo, 'Automatic PO 4711');
        assert.equal((await salesOrder(draft.id)).erp, null, 'orders not submitted stay in the CRM');
        const again = await gateway.request(RunSyncDocument, { mapping: 'SALESORDER-ORDER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
        assert.equal(again.data!.runSync.inserted, 0, 'a second run finds nothing new');
        assert.equal(await gateway.stores.erp.getRepository(SalesHeader).countBy({ yourReference: order.orderNumber }), 1);
      } finally {
        await updateSetup({ autoCreateSalesOrders: false });
      }
    });

    if (systems.products)
      it("follows Business Central's changes to a transferred order and its lines (a line entered there too), and its own deep insert does not come back from the feed", async () => {
        const order = await crmOrder(account, [
          { product: itemProduct, quantity: 3, price: 10 },
          { product: resourceProduct, quantity: 1, price: 90 },
        ]);
        assert.equal((await transfer([idOf(order)])).orders[0]!.status, 'TRANSFERRED');
        const mirror = gateway.services.systems.systems.find((system) => system.system === 'erp')!.mirror!;
        assert.equal(await mirror.replicator.catchUp(), 0, 'the order and lines the transfer wrote are in the mirror already');
        const transferred = await salesOrder(order.id);
        const client = businessCentral();
        const [held] = await client.findBy('salesOrders', 'number', [transferred.erp!.no]);
        const lines = await client.findBy('salesOrderLines', 'documentId', [{ guid: String(held!.id) }]);
        const first = lines.find((line) => line.sequence === transferred.erpLines[0]!.lineNo)!;
        // A user in Business Central changes the order's external document number and the first line's quantity.
        await client.update('salesOrders', String(held!.id), { externalDocumentNumber: 'PHONED IN' }, String(held!['@odata.etag']));
        await client.update('salesOrderLines', String(first.id), { quantity: 5 }, String(first['@odata.etag']));
        // …and adds a comment line, as BC's page names it: by the order's id, with BC's line type.
        const added = { sequence: 90000, lineType: 'Comment', description: 'Deliver to gate 3', quantity: 0, unitPrice: 0, amountExcludingTax: 0 };
        const [answer] = await client.batch([{ method: 'POST', url: `${client.entityUrl('salesOrders', String(held!.id))}/salesOrderLines`, body: added }]);
        assert.equal(answer!.status, 201, JSON.stringify(answer!.body));
        assert.equal(await mirror.replicator.catchUp(), 3);
        const followed = await salesOrder(order.id);
        assert.equal(followed.erp!.externalDocumentNo, 'PHONED IN');
        assert.deepEqual(
          followed.erpLines.map((line) => [line.lineNo, line.type, line.quantity, line.description]),
          [
            [transferred.erpLines[0]!.lineNo, 'ITEM', 5, transferred.erpLines[0]!.description],
            [transferred.erpLines[1]!.lineNo, 'RESOURCE', 1, transferred.erpLines[1]!.description],
            [90000, 'COMMENT', 0, 'Deliver to gate 3'],
          ],
        );
        assert.equal(await mirror.replicator.catchUp(), 0);
      });

    it('refuses ids that are not sales orders, callers without the operator role, and transfers while sales order integration is off, changing nothing', async () => {
      const order = await crmOrder(account, [{ product: itemProduct, quantity: 1, price: 10 }]);
      const before = await orderTables();
      const customerId = encodeUnifiedId({ typeName: 'Customer', system: 'crm', key: account.id });
      assert.deepEqual(codes(await gateway.request(TransferSalesOrdersDocument, { ids: ['nonsense'] }, gateway.tokens.operator)), ['BAD_USER_INPUT']);
      assert.deepEqual(codes(await gateway.request(TransferSalesOrdersDocument, { ids: [customerId] }, gateway.tokens.operator)), ['BAD_USER_INPUT']);
      assert.deepEqual(codes(await gateway.request(TransferSalesOrdersDocument, { ids: [idOf(order)] }, gateway.tokens.viewer)), ['FORBIDDEN']);
      await updateSetup({ salesOrderIntegrationEnabled: false });
      try {
        assert.deepEqual(codes(await gateway.request(TransferSalesOrdersDocument, { ids: [idOf(order)] }, gateway.tokens.operator)), ['SALES_ORDER_INTEGRATION_DISABLED']);
      } finally {
        await updateSetup({ salesOrderIntegrationEnabled: true });
      }
      assert.equal(await orderTables(), before);
      const setup = await gateway.request(ConnectionSetupDocument, {}, gateway.tokens.admin);
      assert.equal(setup.data!.connectionSetup.salesOrderIntegrationEnabled, true);
    });
  });
}
