import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { print } from 'graphql';
import { startGateway, type RunningGateway } from '../src/server/gateway';
import { referenceTargets, resolvedReferencesCurrent } from '../src/unify/compiled/resolved-references';
import { CustomersPageDocument } from './generated/operations';
import { gatewaySchema, startTestGateway, type TestGateway } from './support/test-gateway';

/*
 * A compiled page reads its customers' salespeople and currencies as the read model resolved them
 * on the write side, and only while that resolution stands in the page's own snapshot. A
 * salesperson renamed in the CRM, one added to the ERP and given to a customer, or a salesperson's
 * link removed, each written straight into a store, is answered at once as the loaders answer it;
 * once the read model has resolved the references again, the page is one statement again.
 */

interface Customer {
  erp: { no: string; salespersonCode: string } | null;
  salesperson: { id: string; name: string; erp: { code: string } | null; crm: { id: string; fullName: string } | null } | null;
}
interface Page {
  data: { customers: { edges: Array<{ node: Customer }> } };
  errors?: unknown;
}

/** The read model waits this long after a change, so that a read right after one comes before it. */
const WINDOW_MS = 1_500;

describe('to-one references resolved on the write side', () => {
  let gateway: TestGateway;
  let loaders: RunningGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'resolved_refs', customers: 30, readModelWindowMs: WINDOW_MS });
    loaders = await startGateway({
      schema: await gatewaySchema(),
      services: { ...gateway.services, compiledReads: null, readsAhead: false },
      port: 0,
      host: '127.0.0.1',
      production: false,
    });
  });
  after(async () => {
    await loaders?.stop();
    await gateway?.close();
  });

  const variables = { first: 30, filter: { coupled: true } };
  const page = async (url: string) => {
    const before = gateway.statements();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` },
      body: JSON.stringify({ query: print(CustomersPageDocument), variables }),
    });
    const body = (await response.json()) as Page;
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return { body, statements: gateway.statements() - before };
  };
  /** The page, once it is one statement again (the read model has resolved the references anew), and the loaders' page. */
  const settled = async () => {
    for (let waited = 0; waited < 20_000; waited += 100) {
      const compiled = await page(gateway.url);
      if (compiled.statements === 1) return { compiled: compiled.body, loaded: (await page(loaders.url)).body };
      await sleep(100);
    }
    assert.fail('the page was never one statement again');
  };
  const customers = (body: Page) => body.data.customers.edges.map(({ node }) => node);

  it('reads them as resolved: one statement, and what the resolution holds', async () => {
    const { compiled, loaded } = await settled();
    assert.deepEqual(compiled, loaded);
    const customer = customers(compiled).find((node) => node.salesperson?.crm)!;
    assert.ok(customer, 'a customer with a coupled salesperson');
    // A name changed in the stored resolution alone, no write counted: the page reads it from there.
    const { integration } = gateway.stores;
    await integration.query(
      `UPDATE integration.resolved_reference SET crm = jsonb_set(crm, '{full_name}', '"Held On The Write Side"') WHERE target_type = 'Salesperson' AND by_code AND ref = $1`,
      [customer.erp!.salespersonCode],
    );
    const read = await page(gateway.url);
    assert.equal(read.statements, 1);
    const same = customers(read.body).find((node) => node.erp?.no === customer.erp!.no)!;
    assert.equal(same.salesperson!.name, 'Held On The Write Side');
    assert.equal(same.salesperson!.crm!.fullName, 'Held On The Write Side');
    // Resolved again from the stores (as the read model does after a counted write), the page is the loaders' once more.
    await integration.query(`UPDATE integration.resolved_reference_state SET link_version = -1 WHERE target_type = 'Salesperson'`);
    assert.deepEqual(await gateway.services.compiledReads!.references.refreshStale(), ['Salesperson']);
    const again = await page(gateway.url);
    assert.equal(again.statements, 1);
    assert.deepEqual(again.body, loaded);
  });

  it('answers a salesperson renamed in the CRM at once, and in one statement once resolved again', async () => {
    const { compiled: before } = await settled();
    const customer = customers(before).find((node) => node.salesperson?.crm)!;
    await gateway.stores.crm.query(`UPDATE crm.system_user SET full_name = 'Renamed Straight In The CRM', modified_at = now() WHERE id = $1`, [customer.salesperson!.crm!.id]);
    const atOnce = await page(gateway.url);
    assert.ok(atOnce.statements > 1, 'read before the read model resolved the references again');
    assert.equal(customers(atOnce.body).find((node) => node.erp?.no === customer.erp!.no)!.salesperson!.name, 'Renamed Straight In The CRM');
    assert.deepEqual(atOnce.body, (await page(loaders.url)).body);
    const { compiled, loaded } = await settled();
    assert.deepEqual(compiled, loaded);
    assert.notDeepEqual(compiled, before);
  });

  it('answers a new ERP salesperson given to a customer, and a salesperson whose link is gone, as the loaders do', async () => {
    const { compiled: before } = await settled();
    const [first, second] = customers(before).filter((node) => node.salesperson?.crm && node.erp);
    const connector = gateway.services.connectors.erp;
    const table = connector.table('salesperson_purchaser');
    await connector.bulkUpsert(table, [{ ...connector.blankRecord(table, randomUUID()), code: 'NEWREF', name: 'Not Yet Resolved' }], 'test');
    await gateway.stores.erp.query(`UPDATE erp.customer SET salesperson_code = 'NEWREF', modified_at = now() WHERE no = $1`, [first!.erp!.no]);
    const other = second!.salesperson!.erp?.code ?? second!.erp!.salespersonCode;
    await gateway.stores.integration.query(`DELETE FROM integration.integration_record WHERE mapping_name = 'SALESPEOPLE' AND erp_code = $1`, [other]);
    const atOnce = await page(gateway.url);
    assert.ok(atOnce.statements > 1, 'read before the read model resolved the references again');
    assert.equal(customers(atOnce.body).find((node) => node.erp?.no === first!.erp!.no)!.salesperson!.name, 'Not Yet Resolved');
    assert.deepEqual(atOnce.body, (await page(loaders.url)).body);
    const { compiled, loaded } = await settled();
    assert.deepEqual(compiled, loaded);
    const unlinked = customers(compiled).find((node) => node.erp?.no === second!.erp!.no)!;
    assert.equal(unlinked.salesperson?.crm ?? null, null, 'without its link, the salesperson is its ERP record alone');
  });

  it("counts every write to each target's ERP table, CRM table and links, so that its resolution no longer stands", async () => {
    // The migrations list the target tables and mappings by hand; a target they left out would be read stale.
    const { integration } = gateway.stores;
    await gateway.services.compiledReads!.references.refreshStale();
    assert.ok(referenceTargets.length > 0);
    for (const type of referenceTargets) {
      const writes = {
        'ERP table': `DELETE FROM erp.${type.erpTable} WHERE false`,
        'CRM table': `DELETE FROM crm.${type.crmTable} WHERE false`,
        links: `DELETE FROM integration.integration_record WHERE mapping_name = '${type.mappingName}'`,
      };
      for (const [what, write] of Object.entries(writes)) {
        const session = integration.createQueryRunner();
        await session.startTransaction();
        try {
          const current = async () => ((await session.query(`SELECT ${resolvedReferencesCurrent(type)} AS current`)) as Array<{ current: boolean | null }>)[0]!.current;
          assert.equal(await current(), true, `${type.typeName} resolved`);
          const written = await session.query(write);
          if (what === 'links') assert.ok((written as [unknown[], number])[1] > 0, `${type.typeName} has links`);
          assert.equal(await current(), false, `a write to ${type.typeName}'s ${what} leaves its resolution standing`);
        } finally {
          await session.rollbackTransaction();
          await session.release();
        }
      }
    }
  });
});
