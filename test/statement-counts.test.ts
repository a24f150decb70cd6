import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print } from 'graphql';
import { startGateway } from '../src/server/gateway';
import {
  CustomersPageDocument,
  InvoicesWithLinesDocument,
  ItemsAvailabilityAndPriceDocument,
  ItemsWithPricesDocument,
  UpdateConnectionSetupDocument,
} from './generated/operations';
import { gatewaySchema, startTestGateway, type TestGateway } from './support/test-gateway';

/**
 * What the customers page costs on separate databases, totalCount included: one statement to the
 * integration store (the page with its related records' links, found by the references the index
 * keeps, the field mappings and the count), then one to the ERP and one to the CRM (the page's
 * records with their salespeople, currencies and contacts).
 */
const SEPARATE_PAGE_STATEMENTS = { erp: 1, crm: 1, integration: 1 };

/** Statements one request costs. */
async function statementsFor<T, V>(gateway: TestGateway, document: TypedDocumentNode<T, V>, variables: V): Promise<{ count: number; data: T }> {
  const before = gateway.statements();
  const result = await gateway.request(document, variables);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return { count: gateway.statements() - before, data: result.data! };
}

const entitiesDocument = parse(`
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Customer { id name erp { no } crm { id } salesperson { name } currency { isoCode } }
    }
  }
`) as TypedDocumentNode<{ _entities: Array<{ id: string } | null> }, { representations: Array<{ __typename: string; id: string }> }>;

const nestedCustomersDocument = parse(`
  query ($first: Int!) {
    customers(first: $first, filter: { coupled: true }) {
      totalCount
      edges { node { id name contacts { id name syncState salesperson { id name crm { fullName } } } opportunities { id name } invoices { id number } } }
    }
  }
`) as TypedDocumentNode<{ customers: { edges: Array<{ node: { id: string } }> } }, { first: number }>;

/*
 * A page costs one statement per table and relation it touches. Pages are compared on coupled
 * records so that both pages touch every relation on both sides: a page of CRM-only accounts,
 * say, needs no ERP contacts and costs fewer statements, never more. Mixed pages are compared at
 * 500 and 1,000 rows.
 */
describe('a page costs the same number of statements whatever its size', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'statements', customers: 1000 });
  });
  after(() => gateway?.close());

  it('customers with both sides, coupling, salesperson, currency and contacts: 10 rows and 500 rows', async () => {
    // The stores share a database: Apollo answers a document first, the page with everything it selects in one statement and totalCount in another,
    // after the gateway's first compiled read has read the field mappings' merge directions (once, until they change).
    const first = await statementsFor(gateway, CustomersPageDocument, { first: 10, filter: { coupled: true } });
    assert.equal(first.count, 3, `one statement for the merge directions, one for the page and one for totalCount, got ${first.count}`);
    const small = await statementsFor(gateway, CustomersPageDocument, { first: 10, filter: { coupled: true } });
    const large = await statementsFor(gateway, CustomersPageDocument, { first: 500, filter: { coupled: true } });
    assert.equal(small.data.customers.edges.length, 10);
    assert.equal(large.data.customers.edges.length, 500);
    const nodes = large.data.customers.edges.map((edge) => edge.node);
    assert.ok(nodes.filter((node) => node.contacts.length > 0).length > 100, 'the demo customers have contacts');
    assert.ok(nodes.every((node) => node.erp && node.crm && node.coupling));
    assert.ok(nodes.some((node) => node.salesperson && node.currency));
    assert.equal(large.count, small.count, `10 rows: ${small.count} statements, 500 rows: ${large.count}`);
    // Then its compiled response writes the page and totalCount in one.
    assert.equal(small.count, 1, `one statement for the page with its totalCount, got ${small.count}`);
    console.log(`customers: ${small.count} statements for 10 rows and for 500`);
  });

  it('customers of every kind (coupled, ERP-only, CRM-only): 500 rows and 1,000 rows', async () => {
    const half = await statementsFor(gateway, CustomersPageDocument, { first: 500 });
    const full = await statementsFor(gateway, CustomersPageDocument, { first: 1000 });
    const nodes = full.data.customers.edges.map((edge) => edge.node);
    assert.ok(nodes.some((node) => !node.erp) && nodes.some((node) => !node.crm) && nodes.some((node) => node.coupling));
    assert.equal(full.count, half.count, `500 rows: ${half.count}, 1000 rows: ${full.count}`);
  });

  it('items with their unit of measure and prices: 10 rows and 200 rows', async () => {
    const small = await statementsFor(gateway, ItemsWithPricesDocument, { first: 10, filter: { coupled: true } });
    const large = await statementsFor(gateway, ItemsWithPricesDocument, { first: 200, filter: { coupled: true } });
    assert.equal(large.data.items.edges.length, 200);
    assert.ok(
      large.data.items.edges.some((edge) => edge.node.prices.length > 0),
      'some items have prices',
    );
    assert.equal(large.count, small.count, `10 rows: ${small.count}, 200 rows: ${large.count}`);
  });

  it("items with their availability and a customer's price in a currency: 10 rows and 200 rows", async () => {
    const setup = await gateway.request(UpdateConnectionSetupDocument, { input: { itemAvailabilityEnabled: true } }, gateway.tokens.admin);
    assert.equal(setup.errors, undefined, JSON.stringify(setup.errors));
    const customerId = (await gateway.request(CustomersPageDocument, { first: 1, filter: { coupled: true } })).data!.customers.edges[0]!.node.id;
    const terms = { customerId, quantity: 10, currencyCode: 'EUR', filter: { coupled: true } };
    const small = await statementsFor(gateway, ItemsAvailabilityAndPriceDocument, { first: 10, ...terms });
    const large = await statementsFor(gateway, ItemsAvailabilityAndPriceDocument, { first: 200, ...terms });
    const nodes = large.data.items.edges.map((edge) => edge.node);
    assert.equal(nodes.length, 200);
    assert.ok(nodes.every((node) => node.availability !== null && node.price?.currencyCode === 'EUR'));
    assert.ok(
      nodes.some((node) => node.price?.source === 'SALES_PRICE'),
      'some items have a price for the customer',
    );
    assert.equal(large.count, small.count, `10 rows: ${small.count}, 200 rows: ${large.count}`);
  });

  it("invoices with their lines and the lines' items and resources: 10 rows and 300 rows", async () => {
    const small = await statementsFor(gateway, InvoicesWithLinesDocument, { first: 10 });
    const large = await statementsFor(gateway, InvoicesWithLinesDocument, { first: 300 });
    assert.equal(large.data.invoices.edges.length, 300);
    assert.ok(
      large.data.invoices.edges.every((edge) => edge.node.lines.length > 0),
      'every invoice has lines',
    );
    assert.ok(
      large.data.invoices.edges.some((edge) => edge.node.lines.some((line) => line.item)),
      'item lines resolve their item',
    );
    assert.equal(large.count, small.count, `10 rows: ${small.count}, 300 rows: ${large.count}`);
  });

  it('_entities: 10 and 1,000 customer references cost the same', async () => {
    const page = await gateway.request(CustomersPageDocument, { first: 1000 });
    const ids = page.data!.customers.edges.map((edge) => edge.node.id);
    assert.equal(ids.length, 1000);
    const coupled = await gateway.request(CustomersPageDocument, { first: 10, filter: { coupled: true } });
    const references = (some: string[]) => ({ representations: some.map((id) => ({ __typename: 'Customer', id })) });
    const small = await statementsFor(gateway, entitiesDocument, references(coupled.data!.customers.edges.map((edge) => edge.node.id)));
    const large = await statementsFor(gateway, entitiesDocument, references(ids));
    assert.deepEqual(
      large.data._entities.map((entity) => entity?.id),
      ids,
      'each reference resolves to its own customer, in order',
    );
    assert.equal(large.count, small.count, `10 references: ${small.count}, 1000: ${large.count}`);
    assert.equal(large.count, 1, `the references are read in one statement, got ${large.count}`);
  });
});

/*
 * With the ERP, the CRM and the integration store in separate databases, nothing joins across
 * them: a page's records and the related records it selects are read ahead, one statement per
 * system, and the loaders find them in hand, whatever the page's size.
 */
describe('separate databases: a page costs the same number of statements whatever its size', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'statements_separate', customers: 300, separateDatabases: true });
  });
  after(() => gateway?.close());

  it('customers with both sides, coupling, salesperson, currency and contacts: 10 rows and 200 rows', async () => {
    const stores = gateway.stores.counters;
    const perStore = () => ({ erp: stores.erp.statements, crm: stores.crm.statements, integration: stores.integration.statements });
    const before = perStore();
    const small = await statementsFor(gateway, CustomersPageDocument, { first: 10, filter: { coupled: true } });
    const between = perStore();
    const large = await statementsFor(gateway, CustomersPageDocument, { first: 200, filter: { coupled: true } });
    const after = perStore();
    assert.equal(large.data.customers.edges.length, 200);
    assert.equal(large.count, small.count, `10 rows: ${small.count}, 200 rows: ${large.count}`);
    const spent = (from: typeof before, to: typeof before) => ({ erp: to.erp - from.erp, crm: to.crm - from.crm, integration: to.integration - from.integration });
    assert.deepEqual(spent(between, after), spent(before, between));
    assert.deepEqual(spent(before, between), SEPARATE_PAGE_STATEMENTS);
    console.log(`separate databases, customers: ${small.count} statements (${JSON.stringify(spent(before, between))}) for 10 rows and for 200`);
  });

  it('_entities: 10 and 200 coupled customer references, read ahead like a page', async () => {
    const page = await gateway.request(CustomersPageDocument, { first: 200, filter: { coupled: true } });
    const ids = page.data!.customers.edges.map((edge) => edge.node.id);
    const stores = gateway.stores.counters;
    for (const count of [10, 200]) {
      const before = { erp: stores.erp.statements, crm: stores.crm.statements, integration: stores.integration.statements };
      const { data } = await statementsFor(gateway, entitiesDocument, { representations: ids.slice(0, count).map((id) => ({ __typename: 'Customer', id })) });
      assert.deepEqual(
        data._entities.map((entity) => entity?.id),
        ids.slice(0, count),
      );
      const spent = { erp: stores.erp.statements - before.erp, crm: stores.crm.statements - before.crm, integration: stores.integration.statements - before.integration };
      // The references' links, then their records with salespeople and currencies, then the related records' links.
      assert.deepEqual(spent, { erp: 1, crm: 1, integration: 2 }, `${count} references`);
    }
  });

  it('through the loaders alone, the reads one wave sends to a system go in one statement', async () => {
    const loaders = await startGateway({ schema: await gatewaySchema(), services: { ...gateway.services, readsAhead: false }, port: 0, host: '127.0.0.1', production: false });
    try {
      const stores = gateway.stores.counters;
      const before = { erp: stores.erp.statements, crm: stores.crm.statements, integration: stores.integration.statements };
      const response = await fetch(loaders.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` },
        body: JSON.stringify({ query: print(CustomersPageDocument), variables: { first: 10, filter: { coupled: true } } }),
      });
      assert.equal(((await response.json()) as { errors?: unknown }).errors, undefined);
      const spent = { erp: stores.erp.statements - before.erp, crm: stores.crm.statements - before.crm, integration: stores.integration.statements - before.integration };
      // Waves 2 to 5 reach the ERP (customers; company contacts; salespeople, currencies and persons; contacts' ERP sides), waves 2, 3, 4 and 6 the CRM.
      assert.deepEqual(spent, { erp: 4, crm: 4, integration: 7 });
    } finally {
      await loaders.stop();
    }
  });

  it("customers with their contacts' salespeople, opportunities and invoices: 10 rows and 200 rows", async () => {
    const stores = gateway.stores.counters;
    for (const first of [10, 200]) {
      const before = { erp: stores.erp.statements, crm: stores.crm.statements, integration: stores.integration.statements };
      const page = await statementsFor(gateway, nestedCustomersDocument, { first });
      assert.equal(page.data.customers.edges.length, first);
      const spent = { erp: stores.erp.statements - before.erp, crm: stores.crm.statements - before.crm, integration: stores.integration.statements - before.integration };
      // Relations of related records are read ahead with them, in the same statements.
      assert.deepEqual(spent, SEPARATE_PAGE_STATEMENTS, `${first} rows`);
    }
  });
});
