import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { print } from 'graphql';
import { startGateway, type RunningGateway } from '../src/server/gateway';
import { CustomersPageDocument } from './generated/operations';
import { gatewaySchema, startTestGateway, type TestGateway } from './support/test-gateway';

/*
 * On separate databases a page's one integration statement finds its related records' links by
 * the references the index keeps. The index follows the systems a moment later: a customer given
 * another salesperson, and a contact moved to it and one added, straight in the ERP's and the
 * CRM's databases, are read at once, before it has. The page must answer what the loaders answer, reading the links the
 * index did not point to in one more statement; once the index has caught up, one is enough again.
 */
describe('a page read while the index lags the systems', () => {
  let gateway: TestGateway;
  let loaders: RunningGateway;

  before(async () => {
    // The read model waits 10 s after a change, so the reads below come before it follows.
    gateway = await startTestGateway({ label: 'lagging_index', customers: 30, separateDatabases: true, readModelWindowMs: 10_000 });
    loaders = await startGateway({ schema: await gatewaySchema(), services: { ...gateway.services, readsAhead: false }, port: 0, host: '127.0.0.1', production: false });
  });
  after(async () => {
    await loaders?.stop();
    await gateway?.close();
  });

  const variables = { first: 3, filter: { coupled: true } };
  const statements = async (url: string) => {
    const { counters } = gateway.stores;
    const before = { erp: counters.erp.statements, crm: counters.crm.statements, integration: counters.integration.statements };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` },
      body: JSON.stringify({ query: print(CustomersPageDocument), variables }),
    });
    const body = (await response.json()) as { data: { customers: { edges: Array<{ node: Customer }> } }; errors?: unknown };
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const spent = { erp: counters.erp.statements - before.erp, crm: counters.crm.statements - before.crm, integration: counters.integration.statements - before.integration };
    return { body, spent };
  };

  it('answers as the loaders do, with one more integration statement, until the index has caught up', async () => {
    const { erp, crm } = gateway.stores;
    const first = await statements(gateway.url);
    assert.deepEqual(first.spent, { erp: 1, crm: 1, integration: 1 });
    const customers = first.body.data.customers.edges.map(({ node }) => node);
    const customer = customers[0]!;
    // A coupled salesperson no customer of the page has: only the fallback reads its link. Both sides are changed, as a synchronisation would.
    const [other] = await gateway.stores.integration.query(
      `SELECT erp_code AS code, crm_id FROM integration.integration_record
        WHERE mapping_name = 'SALESPEOPLE' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND erp_code <> ALL($1) ORDER BY erp_code LIMIT 1`,
      [customers.map((node) => node.erp!.salespersonCode)],
    );
    await erp.query(`UPDATE erp.customer SET salesperson_code = $1, modified_at = now() WHERE no = $2`, [other.code, customer.erp!.no]);
    await crm.query(`UPDATE crm.account SET owner_id = $1, modified_at = now() WHERE id = $2`, [other.crm_id, customer.crm!.id]);
    // A coupled contact of a customer off the page moved to this one on both sides, and a copy of its CRM side added.
    const candidates: Array<{ id: string }> = await crm.query(`SELECT id FROM crm.contact WHERE parent_customer_id <> ALL($1) ORDER BY id`, [
      customers.map((node) => node.crm!.id),
    ]);
    const [moved] = await gateway.stores.integration.query(
      `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CONTACT' AND erp_id IS NOT NULL AND crm_id = ANY($1) ORDER BY crm_id LIMIT 1`,
      [candidates.map((candidate) => candidate.id)],
    );
    await erp.query(`UPDATE erp.contact SET company_no = (SELECT no FROM erp.contact WHERE customer_no = $1 LIMIT 1), modified_at = now() WHERE system_id = $2`, [
      customer.erp!.no,
      moved.erp_id,
    ]);
    await crm.query(`UPDATE crm.contact SET parent_customer_id = $1, modified_at = now() WHERE id = $2`, [customer.crm!.id, moved.crm_id]);
    await crm.query(
      `INSERT INTO crm.contact
       SELECT (jsonb_populate_record(NULL::crm.contact, to_jsonb(c) || jsonb_build_object('id', gen_random_uuid(), 'modified_at', now()))).*
         FROM crm.contact c WHERE id = $1`,
      [moved.crm_id],
    );

    const lagging = await statements(gateway.url);
    const expected = await statements(loaders.url);
    assert.deepEqual(lagging.body, expected.body);
    const changed = lagging.body.data.customers.edges[0]!.node;
    assert.equal(changed.erp!.salespersonCode, other.code);
    assert.equal(changed.salesperson?.erp?.code, other.code);
    assert.notEqual(changed.salesperson?.crm, null, 'the salesperson with its coupled CRM user');
    assert.equal(changed.contacts.length, customer.contacts.length + 2);
    assert.deepEqual(lagging.spent, { erp: 1, crm: 1, integration: 2 }, 'the links the index did not point to, in a second statement');

    for (const mapping of ['CUSTOMER', 'CONTACT']) while ((await gateway.services.discovery.refreshMapping(mapping, 1_000)).more);
    const caughtUp = await statements(gateway.url);
    assert.deepEqual(caughtUp.body, (await statements(loaders.url)).body);
    assert.deepEqual(caughtUp.spent, { erp: 1, crm: 1, integration: 1 });
  });
});

interface Customer {
  erp: { no: string; salespersonCode: string | null } | null;
  crm: { id: string } | null;
  salesperson: { erp: { code: string } | null; crm: { id: string } | null } | null;
  contacts: Array<{ id: string }>;
}
