import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { storeUrl } from '../src/db/data-sources';
import { startGateway, type RunningGateway } from '../src/server/gateway';
import { contact, customer, Generator, random, salesperson } from './support/query-generator';
import { lockTable } from './support/table-lock';
import { gatewaySchema, startTestGateway, type TestGateway } from './support/test-gateway';

/*
 * Differential test of the compiled responses: a unified list whose document Apollo has answered
 * once is then answered with the text PostgreSQL writes. Every answer must be the same bytes (and
 * the same status and headers) as Apollo's, the first time and after, and as a gateway that
 * answers everything through Apollo and graphql-js (federated tracing on); refusals, bad input
 * and every request-dependent check must still answer as Apollo does.
 */

const SEED = Number(process.env.COMPILED_SEED ?? 20261202);
const QUERIES = Number(process.env.COMPILED_QUERIES ?? 120);

/** A number of more than 15 digits: PostgreSQL's text of it is not JSON.stringify's, so graphql-js writes that answer. */
const unwritable = (body: string) => /[:,[]-?[0-9.]{17,}[,}\]]/.test(body);

/** The statement of a compiled response holds this; the other statements do not. */
const RESPONSE_STATEMENT = ' AS installed, (';

interface Raw {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

async function send(url: string, token: string | null, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Raw> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  const seen: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date' && name !== 'x-request-id') seen[name] = value;
  });
  return { status: response.status, body: await response.text(), headers: seen };
}

/** A connection's selection in a random order, with aliases and `__typename`s here and there. */
function connectionSelection(generate: Generator, node: string): string {
  const alias = (name: string) => (generate.next() < 0.25 ? `${name}Alias: ${name}` : name);
  const typename = () => (generate.next() < 0.2 ? ['__typename'] : []);
  const info = ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'].filter(() => generate.next() < 0.6).map(alias);
  const edge = [...(generate.next() < 0.6 ? [alias('cursor')] : []), `${alias('node')} { ${node} }`, ...typename()];
  const parts = [`${alias('edges')} { ${(generate.next() < 0.5 ? edge : edge.reverse()).join(' ')} }`, ...typename()];
  if (info.length) parts.push(`${alias('pageInfo')} { ${[...info, ...typename()].join(' ')} }`);
  if (generate.next() < 0.4) parts.push(alias('totalCount'));
  return (generate.next() < 0.5 ? parts : parts.reverse()).join(' ');
}

const unifiedId = (typeName: string, system: 'erp' | 'crm', key: string) => Buffer.from(`${typeName}:${system}:${key}`).toString('base64url');

/** Ids a lookup may be given, by what they should find. */
interface IdPools {
  /** Customers by their own id, and coupled ones by their CRM side's key. */
  readonly customers: string[];
  /** Ids of no record: random keys, and the ERP key of a customer whose ERP side is gone. */
  readonly unknown: string[];
  /** Records of other types. */
  readonly contacts: string[];
  readonly salespeople: string[];
}

/**
 * A random lookup: `_entities` of Customer references (known, unknown, of another type,
 * repeated; now and then a Contact reference among them, which Apollo answers), `customer(id:)`,
 * `contact(id:)` or `node(id:)`, with the ids in variables or in the document.
 */
function lookupQuery(generate: Generator, pools: IdPools): { query: string; variables: () => Record<string, unknown> | undefined } {
  const pickId = () => generate.pick(generate.pick([pools.customers, pools.customers, pools.customers, pools.unknown, pools.contacts, pools.salespeople]));
  const customerSelection = () => generate.selection(customer, 2);
  const typename = () => (generate.next() < 0.25 ? '__typename ' : '');
  const kind = generate.pick(['entities', 'entities', 'one', 'node'] as const);
  const literal = generate.next() < 0.2;
  if (kind === 'entities') {
    const alsoContacts = generate.next() < 0.3 ? ` ... on Contact { ${generate.selection(contact, 1)} }` : '';
    const references = () => {
      const chosen: Array<{ __typename: string; id: string }> = [];
      // 150: more records than a piece of the compiled text holds (see inPieces in response-text.ts).
      const size = generate.pick([0, 1, 2, 5, 12, 30, 150]);
      for (let i = 0; i < size; i += 1) {
        const repeat = chosen.length > 0 && generate.next() < 0.15;
        const id = repeat ? generate.pick(chosen).id : pickId();
        const typeName = pools.contacts.includes(id) && generate.next() < 0.1 ? 'Contact' : 'Customer';
        chosen.push({ __typename: typeName, id });
      }
      return chosen;
    };
    const selection = `${typename()}... on Customer { ${customerSelection()} }${alsoContacts}`;
    const field = generate.next() < 0.3 ? 'found: _entities' : '_entities';
    if (literal) {
      const written = references()
        .map((reference) => `{ __typename: ${JSON.stringify(reference.__typename)}, id: ${JSON.stringify(reference.id)} }`)
        .join(', ');
      return { query: `{ ${field}(representations: [${written}]) { ${selection} } }`, variables: () => undefined };
    }
    return { query: `query Refs($r: [_Any!]!) { ${field}(representations: $r) { ${selection} } }`, variables: () => ({ r: references() }) };
  }
  const contactLookup = kind === 'one' && generate.next() < 0.25;
  const field = kind === 'node' ? 'node' : contactLookup ? 'contact' : 'customer';
  const selection =
    kind === 'node'
      ? `${typename()}id ... on Customer { ${customerSelection()} }${generate.next() < 0.5 ? ` ... on Contact { ${generate.selection(contact, 1)} }` : ''}`
      : contactLookup
        ? generate.selection(contact, 1)
        : customerSelection();
  const aliased = generate.next() < 0.3 ? `record: ${field}` : field;
  if (literal) return { query: `{ ${aliased}(id: ${JSON.stringify(pickId())}) { ${selection} } }`, variables: () => undefined };
  return { query: `query One($id: ID!) { ${aliased}(id: $id) { ${selection} } }`, variables: () => ({ id: pickId() }) };
}

/** Whether an answer holds a record (a lookup answering only nulls reads nothing, compiled or not). */
function holdsRecord(body: string): boolean {
  const value = Object.values((JSON.parse(body) as { data: Record<string, unknown> }).data)[0];
  return Array.isArray(value) ? value.some((item) => item !== null) : value !== null;
}

describe('compiled responses are the bytes Apollo writes', () => {
  let gateway: TestGateway;
  let reference: RunningGateway;
  let compiled: () => number;
  const cursors: string[] = [];
  const pools: IdPools = { customers: [], unknown: [], contacts: [], salespeople: [] };

  before(async () => {
    gateway = await startTestGateway({ label: 'responses', customers: 150 });
    reference = await startGateway({ schema: await gatewaySchema(), services: gateway.services, port: 0, host: '127.0.0.1', production: false, federatedTracing: true });
    compiled = gateway.stores.counters.integration.watch(RESPONSE_STATEMENT);
    const { erp, crm, integration } = gateway.stores;
    // Text JSON must escape, numbers JSON.stringify writes its own way, a record with one side gone.
    await erp.query(
      `UPDATE erp.customer SET name = E'Quote " back \\\\ tab \\t nl \\n bell \\x07 é 漢 😀', credit_limit_lcy = 1500.50 WHERE no = (SELECT min(no) FROM erp.customer)`,
    );
    // 18 digits: a double cannot keep them, so JSON.stringify writes another number and graphql-js must answer.
    await crm.query(`UPDATE crm.account SET credit_limit = 1234567890123456.78 WHERE id = (SELECT id FROM crm.account ORDER BY name LIMIT 1)`);
    await crm.query(`UPDATE crm.account SET credit_limit = 12345678901.25 WHERE id = (SELECT id FROM crm.account ORDER BY name OFFSET 1 LIMIT 1)`);
    const [gone] = await integration.query(
      `SELECT erp_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL ORDER BY sort_key OFFSET 3 LIMIT 1`,
    );
    await erp.query('DELETE FROM erp.customer WHERE system_id = $1', [gone.erp_id]);
    await integration.query(`UPDATE integration.field_mapping SET direction = 'FROM_CRM' WHERE table_mapping_name = 'CUSTOMER' AND erp_field = 'phoneNo'`);
    const all = await send(reference.url, gateway.tokens.viewer, { query: '{ customers(first: 1000) { edges { cursor } } }' });
    for (const edge of (JSON.parse(all.body) as { data: { customers: { edges: Array<{ cursor: string }> } } }).data.customers.edges) cursors.push(edge.cursor);

    const [customers] = await integration.query(
      `SELECT array_agg(erp_id::text) FILTER (WHERE erp_id IS NOT NULL) AS erp, array_agg(crm_id::text) FILTER (WHERE crm_id IS NOT NULL) AS crm
         FROM integration.integration_record WHERE mapping_name = 'CUSTOMER'`,
    );
    pools.customers.push(...(customers.erp as string[]).filter((key) => key !== gone.erp_id).map((key) => unifiedId('Customer', 'erp', key)));
    pools.customers.push(...(customers.crm as string[]).map((key) => unifiedId('Customer', 'crm', key)));
    pools.unknown.push(unifiedId('Customer', 'erp', gone.erp_id as string), unifiedId('Customer', 'erp', randomUUID()), unifiedId('Customer', 'crm', randomUUID()));
    const others = await send(reference.url, gateway.tokens.viewer, { query: '{ contacts(first: 40) { edges { node { id } } } salespeople(first: 5) { edges { node { id } } } }' });
    const { contacts, salespeople } = (JSON.parse(others.body) as { data: Record<'contacts' | 'salespeople', { edges: Array<{ node: { id: string } }> }> }).data;
    pools.contacts.push(...contacts.edges.map((edge) => edge.node.id));
    pools.salespeople.push(...salespeople.edges.map((edge) => edge.node.id));
  });
  after(async () => {
    await reference?.stop();
    await gateway?.close();
  });

  it(`${QUERIES} random lists: Apollo's first answer, the compiled ones after it and the reference's are equal`, async () => {
    const generate = new Generator(random(SEED));
    const kinds = ['customers', 'customers', 'contacts', 'salespeople'] as const;
    let fast = 0;
    let fallbacks = 0;
    for (let n = 0; n < QUERIES; n += 1) {
      const kind = generate.pick(kinds);
      const shape = kind === 'customers' ? customer : kind === 'contacts' ? contact : salesperson;
      const withVariables = generate.next() < 0.4;
      const field = generate.next() < 0.3 ? `page: ${kind}` : kind;
      const arguments_ = withVariables ? `first: $first, after: $after${generate.filter()}` : `first: ${generate.pick([0, 1, 7, 25, 60, 130])}${generate.filter()}`;
      const query = `${withVariables ? 'query Page($first: Int!, $after: String)' : ''} { ${field}(${arguments_}) { ${connectionSelection(generate, generate.selection(shape, 2))} } }`;
      const variables = () => ({ first: generate.pick([0, 1, 7, 25, 60, 130]), after: kind === 'customers' && generate.next() < 0.4 ? generate.pick(cursors) : null });
      const body = withVariables ? { query, variables: variables() } : { query };

      const apollo = await send(gateway.url, gateway.tokens.viewer, body);
      const expected = await send(reference.url, gateway.tokens.viewer, body);
      assert.deepEqual(apollo, expected, `query ${n}, first answer: ${query}`);
      assert.ok(!apollo.body.includes('"errors"'), `query ${n}: ${apollo.body}`);
      for (const again of withVariables ? [body, { query, variables: variables() }] : [body]) {
        const before = compiled();
        const statements = gateway.statements();
        const answer = await send(gateway.url, gateway.tokens.viewer, again);
        const wasCompiled = compiled() - before === 1 && gateway.statements() - statements === 1;
        assert.deepEqual(answer, await send(reference.url, gateway.tokens.viewer, again), `query ${n}, compiled answer: ${query} ${JSON.stringify(again)}`);
        assert.equal(wasCompiled, !unwritable(answer.body), `query ${n} should be answered by its compiled response unless a number cannot be: ${query}`);
        if (wasCompiled) fast += 1;
        else fallbacks += 1;
      }
    }
    console.log(`lists: ${fast} compiled, ${fallbacks} through graphql-js`);
    assert.ok(fast >= QUERIES * 0.9, `${fast} compiled, ${fallbacks} through graphql-js`);
  });

  it(`${QUERIES} random lookups (_entities, customer(id:), node): Apollo's first answer, the compiled ones after it and the reference's are equal`, async () => {
    const generate = new Generator(random(SEED + 1));
    let fast = 0;
    let fallbacks = 0;
    for (let n = 0; n < QUERIES; n += 1) {
      const { query, variables } = lookupQuery(generate, pools);
      const body = (values = variables()) => (values ? { query, variables: values } : { query });
      const first = body();
      const apollo = await send(gateway.url, gateway.tokens.viewer, first);
      assert.deepEqual(apollo, await send(reference.url, gateway.tokens.viewer, first), `lookup ${n}, first answer: ${query}`);
      assert.ok(!apollo.body.includes('"errors"'), `lookup ${n}: ${apollo.body}`);
      for (const again of [first, body()]) {
        const before = compiled();
        const statements = gateway.statements();
        const answer = await send(gateway.url, gateway.tokens.viewer, again);
        const ran = { compiled: compiled() - before, statements: gateway.statements() - statements };
        assert.deepEqual(answer, await send(reference.url, gateway.tokens.viewer, again), `lookup ${n}, compiled answer: ${JSON.stringify(again)}`);
        const references = (again.variables?.r as Array<{ __typename: string }> | undefined) ?? [];
        const oneType = new Set(references.map((r) => r.__typename)).size <= 1 && !query.includes('__typename: "Contact"');
        if (holdsRecord(answer.body) && oneType) {
          const wasCompiled = ran.compiled === 1 && ran.statements === 1;
          assert.equal(
            wasCompiled,
            !unwritable(answer.body),
            `lookup ${n} should be answered by its compiled response unless a number cannot be: ${JSON.stringify(again)} ${JSON.stringify(ran)}`,
          );
          if (wasCompiled) fast += 1;
          else fallbacks += 1;
        } else if (!oneType) assert.equal(ran.compiled, 0, `lookup ${n}: references of two types are Apollo's to answer`);
      }
    }
    console.log(`lookups: ${fast} compiled, ${fallbacks} through graphql-js`);
    assert.ok(fast >= QUERIES * 0.5, `${fast} compiled, ${fallbacks} through graphql-js`);
  });

  it('a planned document still gets every refusal and error Apollo gives, with the same bytes', async () => {
    const query = 'query Checked($first: Int!, $after: String) { customers(first: $first, after: $after) { edges { cursor node { id erp { no } contacts { name } } } } }';
    const planned = await send(gateway.url, gateway.tokens.viewer, { query, variables: { first: 2 } });
    assert.equal(planned.status, 200);
    const cases: Array<{ token: string | null; body: Record<string, unknown>; headers?: Record<string, string> }> = [
      { token: null, body: { query, variables: { first: 2 } } },
      { token: 'not-a-token', body: { query, variables: { first: 2 } } },
      { token: gateway.tokens.viewer, body: { query, variables: { first: 1001 } } },
      { token: gateway.tokens.viewer, body: { query, variables: { first: 'two' } } },
      { token: gateway.tokens.viewer, body: { query, variables: {} } },
      { token: gateway.tokens.viewer, body: { query, variables: { first: 2, after: 'nope' } } },
      { token: gateway.tokens.viewer, body: { query, variables: { first: 2, after: 'a\u0000b' } } },
      { token: gateway.tokens.viewer, body: { query, variables: { first: 2 }, operationName: 'Other' } },
      { token: gateway.tokens.viewer, body: { query, variables: { first: 2 }, extensions: { persistedQuery: { version: 1, sha256Hash: 'not-the-hash' } } } },
      { token: gateway.tokens.viewer, body: { query, variables: { first: 2 } }, headers: { accept: 'application/graphql-response+json' } },
    ];
    for (const { token, body, headers } of cases) {
      const before = compiled();
      const answer = await send(gateway.url, token, body, headers);
      assert.equal(compiled() - before, 0, `not compiled: ${JSON.stringify(body)}`);
      assert.deepEqual(answer, await send(reference.url, token, body, headers), JSON.stringify({ token, body, headers }));
      assert.ok(answer.status !== 200 || answer.body.includes('"errors"') || headers, answer.body);
    }
  });

  it('a planned lookup still gets every refusal and error Apollo gives, with the same bytes', async () => {
    const entities = 'query Refs($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name erp { no } } } }';
    const one = 'query One($id: ID!) { customer(id: $id) { id name } }';
    const node = 'query Node($id: ID!) { node(id: $id) { id ... on Customer { name } } }';
    const known = pools.customers[0]!;
    const references = (...ids: unknown[]) => ({ r: ids.map((id) => ({ __typename: 'Customer', id })) });
    for (const query of [entities, one, node]) {
      const variables = query === entities ? references(known) : { id: known };
      assert.equal((await send(gateway.url, gateway.tokens.viewer, { query, variables })).status, 200);
    }
    const cases: Array<{ token: string | null; body: Record<string, unknown> }> = [
      { token: null, body: { query: entities, variables: references(known) } },
      { token: gateway.tokens.viewer, body: { query: entities, variables: references(known, 'not-an-id') } },
      { token: gateway.tokens.viewer, body: { query: entities, variables: references(known, 42) } },
      { token: gateway.tokens.viewer, body: { query: entities, variables: references(known, null) } },
      { token: gateway.tokens.viewer, body: { query: entities, variables: { r: [{ __typename: 'Customer', id: known }, { id: known }] } } },
      { token: gateway.tokens.viewer, body: { query: entities, variables: { r: [{ __typename: 'Nope', id: known }] } } },
      { token: gateway.tokens.viewer, body: { query: entities, variables: { r: [{ __typename: 'Query', id: known }] } } },
      { token: gateway.tokens.viewer, body: { query: entities, variables: { r: ['Customer'] } } },
      { token: gateway.tokens.viewer, body: { query: entities, variables: { r: null } } },
      { token: gateway.tokens.viewer, body: { query: one, variables: { id: 'not-an-id' } } },
      { token: gateway.tokens.viewer, body: { query: one, variables: { id: unifiedId('Customer', 'erp', 'not-a-uuid') } } },
      { token: null, body: { query: one, variables: { id: known } } },
      { token: gateway.tokens.viewer, body: { query: node, variables: { id: 'not-an-id' } } },
      { token: gateway.tokens.viewer, body: { query: node, variables: {} } },
    ];
    for (const { token, body } of cases) {
      const before = compiled();
      const answer = await send(gateway.url, token, body);
      assert.equal(compiled() - before, 0, `not compiled: ${JSON.stringify(body)}`);
      assert.deepEqual(answer, await send(reference.url, token, body), JSON.stringify({ token, body }));
      assert.ok(answer.status !== 200 || answer.body.includes('"errors"'), answer.body);
    }
  });

  it('a page holding a value graphql-js writes otherwise is answered by graphql-js', async () => {
    const query = '{ customers(first: 3, filter: { coupled: true, search: "" }) { edges { node { name crm { creditLimit } } } } }';
    const ordered = '{ customers(first: 1000) { edges { node { crm { creditLimit } } } } }';
    for (const body of [{ query }, { query }, { query: ordered }, { query: ordered }]) {
      const answer = await send(gateway.url, gateway.tokens.viewer, body);
      assert.deepEqual(answer, await send(reference.url, gateway.tokens.viewer, body));
    }
    const before = compiled();
    const answer = await send(gateway.url, gateway.tokens.viewer, { query: ordered });
    assert.ok(unwritable(answer.body), 'the page holds the 18-digit credit limit');
    assert.equal(compiled() - before, 1, 'the compiled statement ran and gave way to graphql-js');
    assert.deepEqual(answer, await send(reference.url, gateway.tokens.viewer, { query: ordered }));
  });

  it('the cost limit and the deadline apply to each request of a planned document', async () => {
    const limited = await startTestGateway({ label: 'responses_limits', customers: 5, production: true, limits: { maxCost: 400, queryTimeoutMs: 2_500 } });
    try {
      const watch = limited.stores.counters.integration.watch(RESPONSE_STATEMENT);
      const query = 'query Costly($first: Int!) { customers(first: $first) { edges { node { id name contacts { name email } } } } }';
      assert.equal((await send(limited.url, limited.tokens.viewer, { query, variables: { first: 5 } })).status, 200);
      const cheap = await send(limited.url, limited.tokens.viewer, { query, variables: { first: 5 } });
      assert.equal(watch(), 1, cheap.body);
      const costly = await send(limited.url, limited.tokens.viewer, { query, variables: { first: 200 } });
      assert.match(costly.body, /QUERY_TOO_COMPLEX/);
      assert.equal(watch(), 1);

      // A compiled response held by a lock past the deadline is cancelled, and the answer is Apollo's DEADLINE_EXCEEDED.
      const lock = await lockTable(storeUrl(limited.stores.integration), 'integration.integration_record');
      try {
        const held = await send(limited.url, limited.tokens.viewer, { query, variables: { first: 5 } });
        assert.equal(watch(), 2, 'the compiled response was tried');
        assert.deepEqual(
          (JSON.parse(held.body) as { errors: Array<{ extensions: { code: string } }> }).errors.map((error) => error.extensions.code),
          ['DEADLINE_EXCEEDED'],
          held.body,
        );
      } finally {
        await lock.release();
      }
      const [{ n }] = await limited.stores.integration.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      assert.equal(n, 0, 'no statement left waiting');
      assert.equal((await send(limited.url, limited.tokens.viewer, { query, variables: { first: 5 } })).status, 200);
      assert.equal(watch(), 3);
    } finally {
      await limited.close();
    }
  });

  it('a compiled answer is logged and measured as an operation', async () => {
    const query = 'query Measured { customers(first: 3) { edges { node { id } } } }';
    const count = async () => {
      const text = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
      const line = text.split('\n').find((l) => l.startsWith('gateway_graphql_operation_duration_seconds_count{operation="Measured",type="query",outcome="ok"}'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = compiled();
    for (let i = 0; i < 3; i += 1) assert.equal((await send(gateway.url, gateway.tokens.viewer, { query })).status, 200);
    assert.equal(compiled() - before, 2);
    assert.equal(await count(), 3);
  });
});
