import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CustomersPageDocument, InvoicesWithLinesDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

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

  it('unifies invoices with their lines', async () => {
    const result = await gateway.request(InvoicesWithLinesDocument, { first: 20 });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.ok(result.data!.invoices.edges.some((edge) => edge.node.crm && edge.node.lines.length > 0));
  });
});
