import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { CustomersPageDocument, InvoicesWithLinesDocument, ItemsWithPricesDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** Statements one request costs, after a warm-up so discovery has nothing left to index. */
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
`) as TypedDocumentNode<{ _entities: Array<{ id: string; erp: { no: string } | null } | null> }, { representations: Array<{ __typename: string; id: string }> }>;

/** Statements a request may cost whatever its size, for the queries below (they touch ~15 tables). */
const BOUND = 40;

describe('a page costs the same number of statements whatever its size', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'statements', customers: 700 });
  });
  after(() => gateway?.close());

  it('customers with both sides, coupling, salesperson, currency and contacts: 10 rows and 400 rows', async () => {
    const small = await statementsFor(gateway, CustomersPageDocument, { first: 10, filter: { coupled: true } });
    const large = await statementsFor(gateway, CustomersPageDocument, { first: 400, filter: { coupled: true } });
    assert.equal(small.data.customers.edges.length, 10);
    assert.equal(large.data.customers.edges.length, 400);
    const withContacts = large.data.customers.edges.filter((edge) => edge.node.contacts.length > 0);
    assert.ok(withContacts.length > 100, 'the demo customers have contacts');
    assert.ok(large.data.customers.edges.some((edge) => edge.node.salesperson && edge.node.currency));
    assert.equal(large.count, small.count, `10 rows: ${small.count} statements, 500 rows: ${large.count}`);
    assert.ok(small.count <= 25, `a handful of statements, got ${small.count}`);
  });

  it('items with their unit and prices: 100 rows and 200 rows stay under a fixed bound', async () => {
    const small = await statementsFor(gateway, ItemsWithPricesDocument, { first: 100 });
    const large = await statementsFor(gateway, ItemsWithPricesDocument, { first: 200 });
    assert.ok(large.data.items.edges.length > 100);
    assert.ok(large.data.items.edges.some((edge) => edge.node.prices.length > 0), 'some items have prices');
    // Bounded by the query's shape, not its size: a statement per row would be hundreds here.
    for (const count of [small.count, large.count]) assert.ok(count <= BOUND, `100 rows: ${small.count}, 200 rows: ${large.count}`);
  });

  it('invoices with their lines and the lines\' items and resources: 150 rows and 300 rows stay under a fixed bound', async () => {
    const small = await statementsFor(gateway, InvoicesWithLinesDocument, { first: 150 });
    const large = await statementsFor(gateway, InvoicesWithLinesDocument, { first: 300 });
    assert.equal(large.data.invoices.edges.length, 300);
    assert.ok(large.data.invoices.edges.every((edge) => edge.node.lines.length > 0), 'every invoice has lines');
    assert.ok(large.data.invoices.edges.some((edge) => edge.node.lines.some((line) => line.item)), 'item lines resolve their item');
    for (const count of [small.count, large.count]) assert.ok(count <= BOUND, `150 rows: ${small.count}, 300 rows: ${large.count}`);
  });

  it('_entities: 400 references and a reference to every customer stay under a fixed bound', async () => {
    const page = await gateway.request(CustomersPageDocument, { first: 1000 });
    const ids = page.data!.customers.edges.map((edge) => edge.node.id);
    assert.ok(ids.length > 800);
    const references = (count: number) => ({ representations: ids.slice(0, count).map((id) => ({ __typename: 'Customer', id })) });
    const small = await statementsFor(gateway, entitiesDocument, references(400));
    const large = await statementsFor(gateway, entitiesDocument, references(ids.length));
    assert.equal(large.data._entities.length, ids.length);
    assert.deepEqual(large.data._entities.map((entity) => entity?.id), ids, 'each reference resolves to its own customer, in order');
    for (const count of [small.count, large.count]) assert.ok(count <= BOUND, `400 references: ${small.count}, ${ids.length}: ${large.count}`);
  });
});
