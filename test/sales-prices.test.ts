import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { IsNull, Not } from 'typeorm';
import { Currency, Customer, CustomerPriceGroup, Item, ItemType, Resource, SalesPrice, SalesType } from '../entities/erp';
import { IntegrationRecord } from '../entities/integration/integration-record.entity';
import { encodeUnifiedId } from '../src/unify/unified-id';
import { ItemPriceDocument, ResourcePriceDocument, RunSyncDocument, type ItemPriceQueryVariables } from './generated/operations';
import { newCustomer } from './support/records';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

/*
 * The ERP price a salesperson sees for a customer (seed: "the sales person in Sales can use the
 * price lists from Business Central"): BC's best price over the customer's sales prices, and the
 * CRM price list that the synchronisation keeps in step with them.
 */
describe('ERP prices on items and resources', () => {
  let gateway: TestGateway;
  let itemId: string;
  let groupCustomerId: string;
  let plainCustomerId: string;
  let rates: Record<string, number>;

  const price = async (variables: Omit<ItemPriceQueryVariables, 'id'>) => {
    const result = await gateway.request(ItemPriceDocument, { id: itemId, ...variables });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.item!.price!;
  };
  const salesPrice = (fields: Partial<SalesPrice>): SalesPrice =>
    Object.assign(new SalesPrice(), {
      systemId: randomUUID(),
      itemNo: 'PRICE-TEST',
      salesType: SalesType.CUSTOMER_PRICE_GROUP,
      salesCode: 'TESTGRP',
      currencyCode: null,
      startingDate: null,
      endingDate: null,
      unitOfMeasureCode: null,
      minimumQuantity: 0,
      unitPrice: 0,
      ...fields,
    });

  before(async () => {
    gateway = await startTestGateway({ label: 'prices', customers: 40 });
    const { erp } = gateway.services.connectors;
    const coupledItem = await gateway.stores.integration
      .getRepository(IntegrationRecord)
      .findOneByOrFail({ mappingName: 'ITEM-PRODUCT', erpId: Not(IsNull()), crmId: Not(IsNull()) });
    const base = await gateway.stores.erp.getRepository(Item).findOneByOrFail({ systemId: coupledItem.erpId! });
    const item: Item = Object.assign(new Item(), {
      systemId: randomUUID(),
      no: 'PRICE-TEST',
      description: 'Price test chair',
      type: ItemType.INVENTORY,
      baseUnitOfMeasure: base.baseUnitOfMeasure,
      unitPrice: 100,
      unitCost: 40,
      inventory: 25,
      blocked: false,
    });
    await erp.bulkUpsert(erp.table<Item>('item'), [item], 'TEST');
    await erp.bulkUpsert(
      erp.table<CustomerPriceGroup>('customer_price_group'),
      [Object.assign(new CustomerPriceGroup(), { systemId: randomUUID(), code: 'TESTGRP', description: 'Test group', allowInvoiceDisc: true, priceIncludesVat: false })],
      'TEST',
    );
    const inGroup = { ...newCustomer('CPRICE1', 'Grouped Ltd'), customerPriceGroup: 'TESTGRP' };
    const plain = newCustomer('CPRICE2', 'Ungrouped Ltd');
    await erp.bulkUpsert(erp.table<Customer>('customer'), [inGroup, plain], 'TEST');
    await erp.bulkUpsert(
      erp.table<SalesPrice>('sales_price'),
      [
        salesPrice({ unitPrice: 80 }),
        salesPrice({ unitPrice: 70, minimumQuantity: 10 }),
        salesPrice({ unitPrice: 84, minimumQuantity: 5, currencyCode: 'EUR' }),
        // Prices for all customers are not price list items in the CRM; they carry the date windows here.
        salesPrice({ salesType: SalesType.ALL_CUSTOMERS, salesCode: '', unitPrice: 60, startingDate: '2030-01-01', endingDate: '2030-12-31' }),
        salesPrice({ salesType: SalesType.ALL_CUSTOMERS, salesCode: '', unitPrice: 50, endingDate: '2020-12-31' }),
      ],
      'TEST',
    );
    itemId = encodeUnifiedId({ typeName: 'Item', system: 'erp', key: item.systemId });
    groupCustomerId = encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: inGroup.systemId });
    plainCustomerId = encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: plain.systemId });
    rates = Object.fromEntries((await gateway.stores.erp.getRepository(Currency).find()).map((currency) => [currency.code, currency.exchangeRate]));
  });
  after(() => gateway?.close());

  it("takes the price group's price from its minimum quantity on", async () => {
    assert.deepEqual(await price({ customerId: groupCustomerId }), {
      unitPrice: 80,
      currencyCode: null,
      source: 'SALES_PRICE',
      salesPrice: { salesType: 'CUSTOMER_PRICE_GROUP', salesCode: 'TESTGRP', minimumQuantity: 0, currencyCode: null, startingDate: null },
    });
    assert.equal((await price({ customerId: groupCustomerId, quantity: 9.5 })).unitPrice, 80);
    assert.equal((await price({ customerId: groupCustomerId, quantity: 10 })).unitPrice, 70, 'the lowest valid price wins');
    assert.equal((await price({ customerId: groupCustomerId, quantity: 250 })).unitPrice, 70);
  });

  it('applies a price only within its date window', async () => {
    assert.equal((await price({ customerId: groupCustomerId, date: '2030-06-01' })).unitPrice, 60, 'a price starting in 2030 applies then');
    assert.equal((await price({ customerId: groupCustomerId, date: '2031-01-01' })).unitPrice, 80, 'and not after its ending date');
    assert.equal((await price({ customerId: groupCustomerId, date: '2020-06-01' })).unitPrice, 50, 'a price that ended in 2020 applied before');
    assert.equal((await price({ customerId: groupCustomerId })).unitPrice, 80, 'and not today');
  });

  it("falls back to the item's unit price when no price applies to the customer", async () => {
    assert.deepEqual(await price({ customerId: plainCustomerId }), { unitPrice: 100, currencyCode: null, source: 'UNIT_PRICE', salesPrice: null });
    assert.equal((await price({})).unitPrice, 100, 'without a customer only prices for all customers apply');
    assert.equal((await price({ customerId: plainCustomerId, date: '2030-06-01' })).unitPrice, 60, 'prices for all customers apply to every customer');
  });

  it('prices in a foreign currency: its own prices, or local prices converted at its exchange rate', async () => {
    const eur = await price({ customerId: groupCustomerId, currencyCode: 'EUR' });
    assert.deepEqual([eur.unitPrice, eur.currencyCode, eur.salesPrice?.currencyCode], [Math.round(80 * rates.EUR! * 100) / 100, 'EUR', null]);
    const eurFromFive = await price({ customerId: groupCustomerId, currencyCode: 'EUR', quantity: 5 });
    assert.deepEqual([eurFromFive.unitPrice, eurFromFive.salesPrice?.currencyCode], [84, 'EUR'], 'a price in the currency itself, lower than the converted one');
    assert.equal(
      (await price({ customerId: groupCustomerId, currencyCode: 'USD', quantity: 5 })).unitPrice,
      Math.round(80 * rates.USD! * 100) / 100,
      'a EUR price is no USD price',
    );
    assert.deepEqual(await price({ customerId: plainCustomerId, currencyCode: 'USD' }), {
      unitPrice: Math.round(100 * rates.USD! * 100) / 100,
      currencyCode: 'USD',
      source: 'UNIT_PRICE',
      salesPrice: null,
    });
  });

  it('keeps the CRM price list item equal to the price the ERP computes (CUSTPRCGRP-PRICE, SALESPRC-PRODPRICE)', async () => {
    // A full synchronisation of each creates the new price group and its prices in the CRM (incremental runs keep coupled records only).
    for (const mapping of ['UNIT OF MEASURE', 'CURRENCY', 'ITEM-PRODUCT', 'CUSTPRCGRP-PRICE', 'SALESPRC-PRODPRICE']) {
      const result = await gateway.request(RunSyncDocument, { mapping, mode: 'FULL' }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    }
    const groupLink = await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ mappingName: 'CUSTPRCGRP-PRICE', erpCode: 'TESTGRP' });
    const result = await gateway.request(ItemPriceDocument, { id: itemId, customerId: groupCustomerId });
    const crmItems = result.data!.item!.prices.flatMap((p) => (p.crm && p.crm.priceLevelId === groupLink.crmId && p.crm.transactionCurrencyId === null ? [p.crm] : []));
    assert.deepEqual(
      crmItems.map((p) => p.minimumQuantity).sort((a, b) => a - b),
      [0, 10],
      "the price group's local-currency prices are in the CRM price list",
    );
    for (const crm of crmItems) {
      assert.equal(crm.amount, (await price({ customerId: groupCustomerId, quantity: crm.minimumQuantity })).unitPrice, `from ${crm.minimumQuantity}`);
    }
  });

  it('prices resources at their unit price, converted when a currency is asked for', async () => {
    const link = await gateway.stores.integration.getRepository(IntegrationRecord).findOneByOrFail({ mappingName: 'RESOURCE-PRODUCT', erpId: Not(IsNull()), crmId: Not(IsNull()) });
    const resource = await gateway.stores.erp.getRepository(Resource).findOneByOrFail({ systemId: link.erpId! });
    const id = encodeUnifiedId({ typeName: 'Resource', system: 'erp', key: resource.systemId });
    const local = await gateway.request(ResourcePriceDocument, { id, customerId: groupCustomerId });
    assert.deepEqual(local.data!.resource!.price, { unitPrice: resource.unitPrice, currencyCode: null, source: 'UNIT_PRICE' });
    const usd = await gateway.request(ResourcePriceDocument, { id, currencyCode: 'USD' });
    assert.equal(usd.data!.resource!.price!.unitPrice, Math.round(resource.unitPrice * rates.USD! * 100) / 100);
  });

  it('answers bad terms with coded errors', async () => {
    const ask = (variables: Omit<ItemPriceQueryVariables, 'id'>) => gateway.request(ItemPriceDocument, { id: itemId, ...variables });
    assert.deepEqual(codes(await ask({ currencyCode: 'XXX' })), ['NOT_FOUND']);
    assert.deepEqual(codes(await ask({ date: 'soon' })), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await ask({ quantity: -1 })), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await ask({ customerId: 'nonsense' })), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await ask({ customerId: encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: randomUUID() }) })), ['NOT_FOUND']);
  });
});
