import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../src/server/gateway';
import { gatewaySchema, startTestGateway, type TestGateway } from './support/test-gateway';

/*
 * A salesperson deleted in the ERP and written again under the same code can leave, until the index
 * catches up, two links carrying that code: the old one, still coupled to its CRM user, and the new
 * one. A compiled page finds a customer's salesperson by joining the links by code: each customer
 * must still be one edge, the page the same customers as before. And a code whose only link names
 * a record gone from both systems finds no salesperson, on the loader path as in the statement.
 */

const PAGE = '{ customers(first: 500, filter: { coupled: true }) { edges { node { erp { no } salesperson { name } } } } }';
/** The statement of a compiled response holds this; the other statements do not. */
const RESPONSE_STATEMENT = ' AS installed, (';

interface Page {
  data: { customers: { edges: Array<{ node: { erp: { no: string }; salesperson: { name: string } | null } }> } };
}

async function numbers(url: string, token: string): Promise<string[]> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: PAGE }) });
  const page = (await response.json()) as Page;
  return page.data.customers.edges.map(({ node }) => node.erp.no);
}

describe('a code two links carry', () => {
  let gateway: TestGateway;
  let reference: RunningGateway;
  let code: string;
  let expected: string[];

  before(async () => {
    gateway = await startTestGateway({ label: 'stale_code', customers: 40 });
    // Federated tracing keeps every answer on Apollo's path, which reads a page with the compiled JSON statement.
    reference = await startGateway({ schema: await gatewaySchema(), services: gateway.services, port: 0, host: '127.0.0.1', production: false, federatedTracing: true });
    const { integration } = gateway.stores;
    const [link] = await integration.query(
      `SELECT l.erp_code FROM integration.integration_record l
        WHERE l.mapping_name = 'SALESPEOPLE' AND l.erp_id IS NOT NULL AND l.crm_id IS NOT NULL AND l.erp_code IN (SELECT salesperson_code FROM erp.customer)
        ORDER BY l.erp_code LIMIT 1`,
    );
    code = link.erp_code;
    expected = await numbers(reference.url, gateway.tokens.viewer);
    // A CRM user's link (its ERP side gone) carrying the code too.
    const updated = await integration.query(
      `UPDATE integration.integration_record SET erp_code = $1
        WHERE id = (SELECT id FROM integration.integration_record WHERE mapping_name = 'SALESPEOPLE' AND erp_id IS NULL AND crm_id IS NOT NULL ORDER BY id LIMIT 1)`,
      [code],
    );
    assert.equal(updated[1], 1, 'a CRM user without an ERP side is linked');
  });
  after(async () => {
    await reference?.stop();
    await gateway?.close();
  });

  it('a salesperson whose only link names a record gone from both systems is null, through the loaders too', async () => {
    const { erp, integration } = gateway.stores;
    // An UPDATE answers [rows, count].
    const [[customer]] = await erp.query(`UPDATE erp.customer SET salesperson_code = 'GONE' WHERE no = (SELECT max(no) FROM erp.customer) RETURNING no`);
    await integration.query(
      `INSERT INTO integration.integration_record (id, mapping_name, erp_id, erp_code, sort_key, modified_at, modified_by) VALUES ($1, 'SALESPEOPLE', $2, 'GONE', 'GONE', now(), 'test')`,
      [randomUUID(), randomUUID()],
    );
    const loaders = await startGateway({ schema: await gatewaySchema(), services: { ...gateway.services, compiledReads: null }, port: 0, host: '127.0.0.1', production: false });
    try {
      const query = `{ customers(first: 1, filter: { search: ${JSON.stringify(customer.no)} }) { edges { node { erp { no } salesperson { name } } } } }`;
      for (const url of [loaders.url, reference.url]) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` },
          body: JSON.stringify({ query }),
        });
        assert.deepEqual(await response.json(), { data: { customers: { edges: [{ node: { erp: { no: customer.no }, salesperson: null } }] } } }, url);
      }
    } finally {
      await loaders.stop();
    }
  });

  it('leaves each customer one edge, through the compiled JSON and the compiled response alike', async () => {
    const [{ n }] = await gateway.stores.erp.query('SELECT count(*)::int AS n FROM erp.customer WHERE salesperson_code = $1', [code]);
    assert.ok(n > 0, 'customers of that salesperson are on the page');
    assert.equal(new Set(expected).size, expected.length);
    assert.deepEqual(await numbers(reference.url, gateway.tokens.viewer), expected);
    const compiled = gateway.stores.counters.integration.watch(RESPONSE_STATEMENT);
    // The first answer comes through Apollo (the compiled JSON statement), the next from the compiled response.
    assert.deepEqual(await numbers(gateway.url, gateway.tokens.viewer), expected);
    assert.deepEqual(await numbers(gateway.url, gateway.tokens.viewer), expected);
    assert.equal(compiled(), 1, 'the second page was the compiled response');
  });
});
