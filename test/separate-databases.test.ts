import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { print } from 'graphql';
import { startGateway } from '../src/server/gateway';
import { CustomersPageDocument, InvoicesWithLinesDocument } from './generated/operations';
import { gatewaySchema, startTestGateway, type TestGateway } from './support/test-gateway';

describe('the ERP, the CRM and the integration store in three separate databases', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'separate', customers: 60, separateDatabases: true });
  });
  after(() => gateway?.close());

  it('keeps each system in its own database', async () => {
    const databases = await Promise.all(
      [gateway.stores.erp, gateway.stores.crm, gateway.stores.integration].map(async (store) => (await store.query('SELECT current_database() AS name'))[0].name as string),
    );
    assert.equal(new Set(databases).size, 3);
    const [erpTables] = await gateway.stores.crm.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'erp'`);
    assert.equal(erpTables.n, 0, 'the CRM database holds no ERP table');
  });

  it('unifies customers with both sides, their salesperson and contacts', async () => {
    const result = await gateway.request(CustomersPageDocument, { first: 100 });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const coupled = result.data!.customers.edges.map((edge) => edge.node).filter((node) => node.erp && node.crm);
    assert.ok(coupled.length > 20);
    assert.ok(coupled.some((node) => node.salesperson?.erp && node.salesperson.crm));
    assert.ok(coupled.some((node) => node.contacts.some((contact) => contact.erp && contact.crm)));
  });

  it('answers a searched, filtered and counted page after a cursor as the loaders do', async () => {
    const loaders = await startGateway({ schema: await gatewaySchema(), services: { ...gateway.services, readsAhead: false }, port: 0, host: '127.0.0.1', production: false });
    try {
      const filter = { search: 'a', syncState: 'IN_SYNC' as const, modifiedSince: '2000-01-01T00:00:00.000Z' };
      const start = await gateway.request(CustomersPageDocument, { first: 3, filter });
      const variables = { first: 10, after: start.data!.customers.pageInfo.endCursor, filter };
      const answers = await Promise.all(
        [gateway.url, loaders.url].map(async (url) => {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` },
            body: JSON.stringify({ query: print(CustomersPageDocument), variables }),
          });
          return (await response.json()) as { data: { customers: { totalCount: number; edges: unknown[] } } };
        }),
      );
      assert.deepEqual(answers[0], answers[1]);
      assert.ok(answers[0]!.data.customers.edges.length > 0 && answers[0]!.data.customers.totalCount > 3, JSON.stringify(answers[0]));
    } finally {
      await loaders.stop();
    }
  });

  it('unifies invoices with their lines', async () => {
    const result = await gateway.request(InvoicesWithLinesDocument, { first: 20 });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.ok(result.data!.invoices.edges.some((edge) => edge.node.crm && edge.node.lines.length > 0));
  });
});
