import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startGateway, type RunningGateway } from '../src/server/gateway';
import { MergeDirections } from '../src/unify/compiled/merge-directions';
import { encodeUnifiedId } from '../src/unify/unified-id';
import { contact, customer, Generator, random, salesperson } from './support/query-generator';
import { gatewaySchema, startTestGateway, type GraphQLResult, type TestGateway } from './support/test-gateway';

/*
 * Differential tests: the same queries through a gateway that compiles selections into one
 * statement, or (separate databases) reads pages ahead one statement per store, and through one
 * that reads through the loaders only, one relation at a time (the reference), over the same
 * databases; every answer must be identical, and every compiled query a single statement (plus
 * one for totalCount). Queries are random selections of fields, sides, couplings, relations,
 * filters, page sizes, cursors and lookups (`customer`, `node`, `_entities`).
 */

const SEED = Number(process.env.COMPILED_SEED ?? 20261201);
const QUERIES = Number(process.env.COMPILED_QUERIES ?? 160);

async function post<T>(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

/** The loader path alone, one relation at a time, over the gateway's services: the reference. */
async function startReference(gateway: TestGateway): Promise<RunningGateway> {
  return startGateway({ schema: await gatewaySchema(), services: { ...gateway.services, compiledReads: null, readsAhead: false }, port: 0, host: '127.0.0.1', production: false });
}

/**
 * Leaves the stores as real use does (records the index does not know yet, sides gone, a contact
 * moved, merge rules of every direction); returns ids and cursors for queries to pick from.
 */
async function prepareRecords(gateway: TestGateway, reference: RunningGateway): Promise<{ ids: string[]; cursors: string[] }> {
  const ids: string[] = [];
  const cursors: string[] = [];
  const { erp, integration } = gateway.stores;
  // Records the index does not know yet: a salesperson written straight into the ERP, given to a customer.
  const connector = gateway.services.connectors.erp;
  const table = connector.table('salesperson_purchaser');
  await connector.bulkUpsert(table, [{ ...connector.blankRecord(table, randomUUID()), code: 'NEWSP', name: 'Nova Unindexed' }], 'test');
  await erp.query(`UPDATE erp.customer SET salesperson_code = 'NEWSP' WHERE no = (SELECT min(no) FROM erp.customer)`);
  // A coupled customer whose ERP record is gone, and one whose CRM account is gone.
  const [gone, goneCrm] = await integration.query(
    `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL ORDER BY sort_key OFFSET 3 LIMIT 2`,
  );
  await erp.query('DELETE FROM erp.customer WHERE system_id = $1', [gone.erp_id]);
  await gateway.stores.crm.query('DELETE FROM crm.account WHERE id = $1', [goneCrm.crm_id]);
  // A CRM contact moved under another customer's account (its ERP side stays under its own),
  // and coupled contacts with their CRM side, or their ERP side, gone.
  const contacts = await integration.query(
    `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CONTACT' AND erp_id IS NOT NULL AND crm_id IS NOT NULL ORDER BY sort_key LIMIT 3`,
  );
  const [account] = await integration.query(
    `SELECT crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL ORDER BY sort_key OFFSET 6 LIMIT 1`,
  );
  await gateway.stores.crm.query('UPDATE crm.contact SET parent_customer_id = $1 WHERE id = $2', [account.crm_id, contacts[0].crm_id]);
  await gateway.stores.crm.query('DELETE FROM crm.contact WHERE id = $1', [contacts[1].crm_id]);
  await erp.query('DELETE FROM erp.contact WHERE system_id = $1', [contacts[2].erp_id]);
  // Merge rules of every direction.
  await integration.query(`UPDATE integration.field_mapping SET direction = 'FROM_CRM' WHERE table_mapping_name = 'CUSTOMER' AND erp_field = 'phoneNo'`);
  await integration.query(`UPDATE integration.field_mapping SET direction = 'TO_CRM' WHERE table_mapping_name = 'CONTACT' AND erp_field = 'email'`);
  await integration.query(`UPDATE integration.field_mapping SET enabled = false WHERE table_mapping_name = 'CUSTOMER' AND erp_field = 'city'`);

  const everything = await post<{
    customers: { edges: Array<{ cursor: string; node: { id: string; erp: { systemId: string } | null; crm: { id: string } | null; contacts: Array<{ id: string }> } }> };
  }>(reference.url, gateway.tokens.viewer, '{ customers(first: 1000) { edges { cursor node { id erp { systemId } crm { id } contacts { id } } } } }');
  for (const { cursor, node } of everything.data!.customers.edges) {
    cursors.push(cursor);
    ids.push(node.id, ...node.contacts.map((c) => c.id));
    if (node.erp && node.crm) ids.push(encodeUnifiedId({ typeName: 'Customer', system: 'crm', key: node.crm.id }));
  }
  ids.push(encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: randomUUID() }), encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: gone.erp_id }));
  assert.ok(ids.length > 300);
  return { ids, cursors };
}

/** What a gateway's statements must be for a list (`counted`: with totalCount) or a lookup. */
type StatementCheck = (statements: number, kind: 'list' | 'counted list' | 'lookup', label: string) => void;

/** `QUERIES` random queries through both gateways: every answer must be identical. */
async function compareRandomQueries(
  gateway: TestGateway,
  reference: RunningGateway,
  { ids, cursors }: { ids: string[]; cursors: string[] },
  check: StatementCheck,
  seed = SEED,
): Promise<void> {
  const generate = new Generator(random(seed));
  const kinds = ['customers', 'customers', 'customers', 'contacts', 'customer', 'node', 'entities', 'salespeople'] as const;
  let compared = 0;
  for (let n = 0; n < QUERIES; n += 1) {
    const kind = generate.pick(kinds);
    let query: string;
    let listed = false;
    let counted = false;
    if (kind === 'customers' || kind === 'contacts' || kind === 'salespeople') {
      const shape = kind === 'customers' ? customer : kind === 'contacts' ? contact : salesperson;
      const first = generate.pick([0, 1, 7, 25, 60]);
      const after = generate.next() < 0.3 && kind === 'customers' ? `, after: ${JSON.stringify(generate.pick(cursors))}` : '';
      counted = generate.next() < 0.2;
      listed = true;
      query = `{ ${kind}(first: ${first}${after}${generate.filter()}) { ${counted ? 'totalCount' : ''} pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${generate.selection(shape, 2)} } } } }`;
    } else if (kind === 'customer') {
      query = `{ customer(id: ${JSON.stringify(generate.pick(ids))}) { ${generate.selection(customer, 2)} } }`;
    } else if (kind === 'node') {
      query = `{ node(id: ${JSON.stringify(generate.pick(ids))}) { id ... on Customer { ${generate.selection(customer, 1)} } ... on Contact { ${generate.selection(contact, 1)} } } }`;
    } else {
      const references = Array.from({ length: 1 + Math.floor(generate.next() * 30) }, () => ({ __typename: 'Customer', id: generate.pick(ids) }));
      query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { ${generate.selection(customer, 2)} } } }`;
      const before = gateway.statements();
      const fast = await gateway.request(parse(query) as TypedDocumentNode<unknown, { r: unknown }>, { r: references });
      const statements = gateway.statements() - before;
      const slow = await post(reference.url, gateway.tokens.viewer, query, { r: references });
      assert.deepEqual(fast, slow, `query ${n}: ${query}`);
      assert.equal(fast.errors, undefined, JSON.stringify(fast.errors));
      check(statements, 'lookup', `query ${n}: ${query}`);
      compared += 1;
      continue;
    }
    const before = gateway.statements();
    const fast = await gateway.request(parse(query) as TypedDocumentNode<unknown, Record<string, never>>);
    const statements = gateway.statements() - before;
    const slow = await post(reference.url, gateway.tokens.viewer, query);
    assert.deepEqual(fast, slow, `query ${n}: ${query}`);
    assert.equal(fast.errors, undefined, `query ${n}: ${JSON.stringify(fast.errors)}`);
    check(statements, listed ? (counted ? 'counted list' : 'list') : 'lookup', `query ${n}: ${query}`);
    compared += 1;
  }
  assert.equal(compared, QUERIES);
}

describe('compiled reads answer exactly as the loader path does', () => {
  let gateway: TestGateway;
  let reference: RunningGateway;
  let records: { ids: string[]; cursors: string[] };

  before(async () => {
    gateway = await startTestGateway({ label: 'compiled', customers: 150 });
    reference = await startReference(gateway);
    records = await prepareRecords(gateway, reference);
  });
  after(async () => {
    await reference?.stop();
    await gateway?.close();
  });

  it(`${QUERIES} random queries (seed ${SEED})`, async () => {
    // The first compiled read also reads the merge directions, which then hold until a field mapping changes.
    const directionReads = gateway.stores.counters.integration.watch(MergeDirections.SQL);
    let directionsSeen = 0;
    await compareRandomQueries(gateway, reference, records, (statements, kind, label) => {
      const own = statements - (directionReads() - directionsSeen);
      directionsSeen = directionReads();
      // A lookup of an id of another type (or a bad one) needs no statement at all.
      if (kind === 'lookup') assert.ok(own <= 1, `${label} should be compiled`);
      else assert.equal(own, kind === 'counted list' ? 2 : 1, `${label} should be compiled`);
    });
    assert.equal(directionReads(), 1, 'the merge directions are read once');
  });

  it('bad input gets the same coded errors on both paths', async () => {
    for (const query of [
      '{ customers(first: 1001) { edges { node { id } } } }',
      '{ customers(first: 5, after: "nope") { edges { node { id } } } }',
      '{ customer(id: "bm9wZQ") { id } }',
    ]) {
      const fast = await gateway.request(parse(query) as TypedDocumentNode<unknown, Record<string, never>>);
      const slow = await post(reference.url, gateway.tokens.viewer, query);
      assert.equal(fast.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(fast.errors));
      assert.deepEqual(
        fast.errors?.map((e) => e.extensions?.code),
        slow.errors?.map((e) => e.extensions?.code),
      );
    }
  });
});

describe('separate databases: pages read ahead answer exactly as the loader path does', () => {
  let gateway: TestGateway;
  let reference: RunningGateway;
  let records: { ids: string[]; cursors: string[] };

  before(async () => {
    gateway = await startTestGateway({ label: 'read_ahead', customers: 150, separateDatabases: true });
    reference = await startReference(gateway);
    records = await prepareRecords(gateway, reference);
  });
  after(async () => {
    await reference?.stop();
    await gateway?.close();
  });

  it(`${QUERIES} random queries (seed ${SEED + 1})`, async () => {
    await compareRandomQueries(gateway, reference, records, () => {}, SEED + 1);
  });
});
