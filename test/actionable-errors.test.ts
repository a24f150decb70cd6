import assert from 'node:assert/strict';
import { createServer, Socket, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { closeStores, openStores, type Stores } from '../src/db/data-sources';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { createServices } from '../src/server/bootstrap';
import { startGateway, type RunningGateway } from '../src/server/gateway';
import { buildGatewaySchema } from '../src/server/schema';
import type { GatewayServices } from '../src/server/services';
import { Role } from '../src/auth/role';
import { CustomerNumbersDocument, UpdateFieldMappingDocument } from './generated/operations';
import { checksum } from './support/checksum';
import { codesOf, graphqlRequest, rawRequest } from './support/raw-requests';
import { within, wsClient } from './support/subscriptions';
import { createTestDatabase, startTestGateway, type TestGateway } from './support/test-gateway';

describe('errors a client can act on', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'errors', customers: 5, production: true });
  });
  after(() => gateway?.close());

  it("gives Apollo's own refusals their code BAD_REQUEST and status", async () => {
    const batched = await rawRequest(gateway.url, { body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
    assert.equal(batched.status, 400);
    assert.deepEqual(codesOf(batched.body), ['BAD_REQUEST']);
    const csrf = await rawRequest(gateway.url, { body: '{"query":"{ __typename }"}', contentType: 'text/plain' });
    assert.equal(csrf.status, 400);
    assert.deepEqual(codesOf(csrf.body), ['BAD_REQUEST']);
    const getMutation = await rawRequest(`${gateway.url}?query=${encodeURIComponent('mutation { startFullSync { id } }')}`, {
      method: 'GET',
      headers: { 'apollo-require-preflight': 'true' },
    });
    assert.equal(getMutation.status, 405);
    assert.deepEqual(codesOf(getMutation.body), ['BAD_REQUEST']);
  });

  it('answers malformed JSON with GraphQL-shaped JSON (400 BAD_REQUEST)', async () => {
    const response = await rawRequest(gateway.url, { body: '{"query": "{ __typename }"' });
    assert.equal(response.status, 400);
    assert.match(response.contentType, /application\/json/);
    assert.deepEqual(codesOf(response.body), ['BAD_REQUEST']);
  });

  it('refuses a field mapping id that is not a uuid as BAD_USER_INPUT before any statement', async () => {
    const before = await checksum(gateway.stores.integration, ['integration.field_mapping']);
    const statements = gateway.statements();
    const result = await gateway.request(UpdateFieldMappingDocument, { id: 'not-a-uuid', input: { enabled: false } }, gateway.tokens.admin);
    assert.deepEqual(codesOf(result), ['BAD_USER_INPUT']);
    assert.equal(gateway.statements(), statements);
    assert.equal(await checksum(gateway.stores.integration, ['integration.field_mapping']), before);
  });

  it('refuses a cursor holding a NUL byte, or a well-formed one with a bad id, as BAD_USER_INPUT before any statement', async () => {
    for (const content of [
      ['\u0000', '0190a0a0-0000-7000-8000-000000000000'],
      ['a', '------------------------------------'],
    ]) {
      const after = Buffer.from(JSON.stringify(content)).toString('base64url');
      const statements = gateway.statements();
      const result = await gateway.request(CustomerNumbersDocument, { first: 2, after });
      assert.deepEqual(codesOf(result), ['BAD_USER_INPUT']);
      assert.equal(gateway.statements(), statements);
    }
    const jobs = await graphqlRequest(
      gateway.url,
      'query ($after: String) { syncJobs(first: 2, after: $after) { edges { cursor } } }',
      { after: Buffer.from('["1","x"]').toString('base64url') },
      gateway.tokens.viewer,
    );
    assert.deepEqual(codesOf(jobs.body), ['BAD_USER_INPUT']);
  });

  it("refuses another list's cursor as a job-log cursor: a number V8 reads as a date is no time (fuzz seed 818125682)", async () => {
    const anotherList = Buffer.from(JSON.stringify(['ORD-00006', '0190a0a0-0000-7000-8000-000000000000'])).toString('base64url');
    const jobs = await graphqlRequest(gateway.url, 'query ($after: String) { syncJobs(first: 2, after: $after) { totalCount } }', { after: anotherList }, gateway.tokens.viewer);
    assert.deepEqual(codesOf(jobs.body), ['BAD_USER_INPUT']);
  });

  it('refuses an empty sync error id as BAD_USER_INPUT (found by the fuzz test, seed 803191302)', async () => {
    const response = await graphqlRequest(
      gateway.url,
      'mutation ($ids: [ID!]!) { resolveSyncErrors(resolution: RESTORE, ids: $ids) { id } }',
      { ids: ['', '3cc08497-d50d-4137-8c19-4dbfba68c07b'] },
      gateway.tokens.operator,
    );
    assert.deepEqual(codesOf(response.body), ['BAD_USER_INPUT']);
  });

  it("refuses a NUL byte in a list's search filter as BAD_USER_INPUT before any statement (fuzz seed 803191302)", async () => {
    const requests: Array<[string, Record<string, unknown>]> = [
      ['query ($filter: UnifiedFilter) { salespeople(first: 34, filter: $filter) { totalCount } }', { filter: { search: 'a\u0000b', syncState: 'SKIPPED' } }],
      ['query ($filter: UnifiedFilter) { customers(first: 5, filter: $filter) { edges { node { id name } } } }', { filter: { search: '\u0000' } }],
      ['{ customers(first: 5, filter: { search: "a\\u0000b" }) { totalCount edges { node { id } } } }', {}],
    ];
    for (const [query, variables] of requests) {
      const statements = gateway.statements();
      const response = await graphqlRequest(gateway.url, query, variables, gateway.tokens.viewer);
      assert.deepEqual(codesOf(response.body), ['BAD_USER_INPUT'], response.text);
      assert.equal(gateway.statements(), statements);
    }
  });

  it('refuses a NUL byte in coupleByMatch(mapping:) as BAD_USER_INPUT and changes nothing (fuzz seed 803191302)', async () => {
    const before = await checksum(gateway.stores.integration, ['integration.integration_record', 'integration.sync_job']);
    const response = await graphqlRequest(
      gateway.url,
      'mutation ($input: CoupleByMatchInput!) { coupleByMatch(input: $input) { samples { kind crmRecordIds } } }',
      { input: { mapping: 'a\u0000b', caseSensitive: false, createIfNoMatch: false, syncAfterCoupling: false, dryRun: true } },
      gateway.tokens.admin,
    );
    assert.deepEqual(codesOf(response.body), ['BAD_USER_INPUT'], response.text);
    assert.equal(await checksum(gateway.stores.integration, ['integration.integration_record', 'integration.sync_job']), before);
  });

  it('refuses a NUL byte in any other string argument as BAD_USER_INPUT, over HTTP and graphql-ws', async () => {
    const requests: Array<[string, Record<string, unknown>]> = [
      ['query ($name: String) { syncJobs(first: 2, filter: { mappingName: $name }) { totalCount } }', { name: 'CUSTOMER\u0000' }],
      ['query ($name: String) { syncErrors(first: 2, filter: { mappingName: $name }) { totalCount } }', { name: '\u0000' }],
      ['mutation ($mapping: ID!) { runSync(mapping: $mapping) { id } }', { mapping: 'CUSTOMER\u0000' }],
      [
        'mutation ($input: UpdateTableMappingInput!) { updateTableMapping(name: "CUSTOMER", input: $input) { name } }',
        { input: { erpFilter: [{ field: 'name', op: 'EQ', value: 'a\u0000' }] } },
      ],
      ['query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }', { representations: [{ __typename: 'Customer', id: '\u0000' }] }],
    ];
    const before = await checksum(gateway.stores.integration, ['integration.table_mapping', 'integration.sync_job']);
    for (const [query, variables] of requests) {
      const response = await graphqlRequest(gateway.url, query, variables, gateway.tokens.admin);
      assert.deepEqual(codesOf(response.body), ['BAD_USER_INPUT'], `${query}: ${response.text}`);
      assert.deepEqual(codesOf({ errors: await overWebSocket(gateway, query, variables, gateway.tokens.admin) }), ['BAD_USER_INPUT'], query);
    }
    assert.equal(await checksum(gateway.stores.integration, ['integration.table_mapping', 'integration.sync_job']), before);
  });

  it('gives graphql-ws operations whose variables fail coercion the code BAD_USER_INPUT (fuzz seed 803191302)', async () => {
    const requests: Array<[string, Record<string, unknown>]> = [
      ['subscription ($id: ID!) { syncJobProgress(jobId: $id) { etaSeconds } }', { id: 1.5 }],
      ['subscription ($id: ID!) { syncJobProgress(jobId: $id) { etaSeconds } }', {}],
      ['query ($first: Int!) { customers(first: $first) { totalCount } }', { first: 'ten' }],
    ];
    for (const [query, variables] of requests) {
      assert.deepEqual(codesOf({ errors: await overWebSocket(gateway, query, variables, gateway.tokens.operator) }), ['BAD_USER_INPUT'], query);
    }
  });

  it('never echoes a long bad cursor back in full', async () => {
    const after = 'x'.repeat(200_000);
    const result = await gateway.request(CustomerNumbersDocument, { first: 2, after });
    assert.deepEqual(codesOf(result), ['BAD_USER_INPUT']);
    assert.ok(JSON.stringify(result).length < 1_000, `answer of ${JSON.stringify(result).length} characters`);
  });
});

/** The errors a graphql-ws operation ends with (none when its first result has none). */
async function overWebSocket(gateway: TestGateway, query: string, variables: Record<string, unknown>, token: string): Promise<Array<{ extensions?: Record<string, unknown> }>> {
  const client = wsClient(gateway.wsUrl, token);
  try {
    return await within(
      new Promise((resolve) => {
        client.subscribe(
          { query, variables },
          {
            next: (result) => resolve([...(result.errors ?? [])]),
            error: (error) => resolve(Array.isArray(error) ? error : [{ extensions: { code: `not a GraphQL error: ${String(error)}` } }]),
            complete: () => resolve([]),
          },
        );
      }),
      10_000,
      "the operation's answer",
    );
  } finally {
    await client.dispose();
  }
}

/** A TCP relay to PostgreSQL that the test can cut: the database "goes down" for the gateway only. */
async function relayTo(target: URL): Promise<{ port: number; cut: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

describe('a database that cannot be reached', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let stores: Stores;
  let services: GatewayServices;
  let gateway: RunningGateway;
  let relay: Awaited<ReturnType<typeof relayTo>>;

  before(async () => {
    database = await createTestDatabase('down');
    relay = await relayTo(new URL(database.url));
    const relayed = new URL(database.url);
    relayed.host = `127.0.0.1:${relay.port}`;
    stores = await openStores({ erp: relayed.toString(), crm: relayed.toString(), integration: relayed.toString() }, { poolSize: 2 });
    await installStandardMappings(stores.integration);
    services = createServices(stores, 'x'.repeat(32));
    gateway = await startGateway({ schema: await buildGatewaySchema(), services, port: 0, host: '127.0.0.1', production: true });
  });
  after(async () => {
    await gateway?.stop();
    await services?.close().catch(() => {});
    await closeStores(stores).catch(() => {});
    await database?.drop();
  });

  it('answers SERVICE_UNAVAILABLE with HTTP 503, without internals', async () => {
    const token = services.tokens.issue('t', [Role.VIEWER]);
    const query = '{ customers(first: 2) { totalCount } }';
    assert.equal((await graphqlRequest(gateway.url, query, {}, token)).status, 200);
    await relay.cut();
    const response = await graphqlRequest(gateway.url, query, {}, token);
    assert.equal(response.status, 503);
    assert.deepEqual([...new Set(codesOf(response.body))], ['SERVICE_UNAVAILABLE']);
    assert.doesNotMatch(response.text, /ECONNREFUSED|127\.0\.0\.1|terminated|at \//);
  });
});
