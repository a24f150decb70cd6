import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEFAULT_EDGE_LIMITS } from '../src/config/config';
import { codesOf, graphqlRequest, rawRequest } from './support/raw-requests';
import { eventually, wsClient } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** `customer(id) { contacts { customer { contacts { … } } } }`, `levels` fields deep. */
function contactsChain(levels: number): string {
  let selection = 'id';
  for (let level = levels - 1; level >= 1; level -= 1) selection = `${level % 2 === 1 ? 'contacts' : 'customer'} { ${selection} }`;
  return `{ customer(id: "Q3VzdG9tZXI6ZXJwOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA") { ${selection} } }`;
}

const aliases = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

async function firstResult(client: Client, query: string, variables: Record<string, unknown> = {}) {
  for await (const result of client.iterate({ query, variables })) return result;
  return null;
}

describe('no single operation can hold the server', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'limits', customers: 10, production: true, limits: { wsMaxConnectionsPerClient: 3, wsMaxSubscriptionsPerConnection: 2 } });
  });
  after(() => gateway?.close());

  /** Sends `query` and checks it was refused QUERY_TOO_COMPLEX with HTTP 400 and no statement sent. */
  async function refusedBeforeExecution(query: string, variables: Record<string, unknown> = {}) {
    const statements = gateway.statements();
    const response = await graphqlRequest(gateway.url, query, variables, gateway.tokens.viewer);
    assert.deepEqual(codesOf(response.body), ['QUERY_TOO_COMPLEX'], response.text.slice(0, 500));
    assert.equal(response.status, 400);
    assert.equal(response.body.data, undefined);
    assert.equal(gateway.statements(), statements, 'nothing ran');
    return response;
  }

  it('refuses a query deeper than the limit', async () => {
    const response = await refusedBeforeExecution(contactsChain(22));
    assert.match(response.body.errors![0]!.message, /depth limit of 12/);
    const allowed = await graphqlRequest(gateway.url, contactsChain(6), {}, gateway.tokens.viewer);
    assert.equal(allowed.body.errors, undefined);
  });

  it('refuses more aliases than the limit', async () => {
    const response = await refusedBeforeExecution(aliases(25, 'customers(first: 1000) { totalCount }'));
    assert.match(response.body.errors![0]!.message, /aliases limit of 20/i);
    await refusedBeforeExecution(aliases(1000, 'customers(first: 1000) { totalCount }'));
    const allowed = await graphqlRequest(gateway.url, aliases(3, 'customers(first: 2) { totalCount }'), {}, gateway.tokens.viewer);
    assert.equal(allowed.body.errors, undefined);
  });

  it('refuses more directives than the limit', async () => {
    await refusedBeforeExecution(`{ ${Array.from({ length: 25 }, () => '__typename @skip(if: false)').join(' ')} }`);
  });

  it('refuses a document of more tokens than the limit while parsing', async () => {
    const response = await refusedBeforeExecution(`{ ${'__typename '.repeat(DEFAULT_EDGE_LIMITS.maxTokens + 10)}}`);
    assert.match(response.body.errors![0]!.message, /more tha[nt] 3000 tokens/);
  });

  it("refuses an operation whose cost, with a page's first from its variables, is over the limit", async () => {
    const query = 'query ($first: Int!) { customers(first: $first) { edges { node { id name contacts { id name crm { id } } } } } }';
    const small = await graphqlRequest(gateway.url, query, { first: 5 }, gateway.tokens.viewer);
    assert.equal(small.body.errors, undefined);
    await refusedBeforeExecution(aliases(10, 'customers(first: 1000) { edges { node { id name contacts { id name crm { id } } } } }'));
    // The same document again, now with a first that makes it too costly: the cost follows the variables.
    const wide = `query ($first: Int!) { ${Array.from({ length: 5 }, (_, i) => `a${i}: customers(first: $first) { edges { node { id name contacts { id name crm { id } } } } }`).join(' ')} }`;
    assert.equal((await graphqlRequest(gateway.url, wide, { first: 5 }, gateway.tokens.viewer)).body.errors, undefined);
    await refusedBeforeExecution(wide, { first: 1000 });
  });

  it('refuses a body over the size limit before parsing it, as GraphQL-shaped JSON (413)', async () => {
    const response = await rawRequest(gateway.url, { body: JSON.stringify({ query: `{ ${'__typename '.repeat(90_000)}}` }), token: gateway.tokens.viewer });
    assert.equal(response.status, 413);
    assert.match(response.contentType, /application\/json/);
    assert.deepEqual(codesOf(response.body), ['PAYLOAD_TOO_LARGE']);
  });

  it('applies the same limits over graphql-ws', async () => {
    const client = wsClient(gateway.wsUrl, gateway.tokens.viewer);
    try {
      for (const query of [contactsChain(22), aliases(1000, 'customers(first: 1000) { totalCount }'), `{ ${'__typename '.repeat(3010)}}`]) {
        const statements = gateway.statements();
        await assert.rejects(firstResult(client, query), (errors: Array<{ extensions?: { code?: string } }>) => {
          assert.equal(errors[0]?.extensions?.code, 'QUERY_TOO_COMPLEX');
          return true;
        });
        assert.equal(gateway.statements(), statements);
      }
      const result = await firstResult(client, 'query ($first: Int!) { customers(first: $first) { totalCount } }', { first: 2 });
      assert.equal(result?.errors, undefined);
    } finally {
      await client.dispose();
    }
  });

  it('closes a socket that sends a message over the payload limit (1009)', async () => {
    const closed = new Promise<number>((resolve) => {
      const client = wsClient(gateway.wsUrl, gateway.tokens.viewer, resolve);
      client.subscribe({ query: `{ ${'__typename '.repeat(30_000)}}` }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    assert.equal(await closed, 1009);
  });

  it('refuses a subscription beyond the per-connection cap with TOO_MANY_SUBSCRIPTIONS', async () => {
    const client = wsClient(gateway.wsUrl, gateway.tokens.viewer);
    const results: unknown[][] = [[], [], []];
    const ends: Array<unknown> = [];
    try {
      for (const seen of results) {
        client.subscribe({ query: 'subscription { fullSyncProgress { kind } }' }, { next: (value) => seen.push(value), error: (error) => ends.push(error), complete: () => {} });
      }
      const refused = await eventually(async () => (ends[0] as Array<{ extensions?: { code?: string } }> | undefined) ?? undefined, 10_000, 'the third subscription refused');
      assert.equal(refused[0]?.extensions?.code, 'TOO_MANY_SUBSCRIPTIONS');
      assert.equal(ends.length, 1, 'the first two stay open');
    } finally {
      await client.dispose();
    }
  });

  it('refuses a client address more sockets than the cap (HTTP 429 on upgrade)', async () => {
    const clients = [0, 1, 2].map(() => wsClient(gateway.wsUrl, gateway.tokens.viewer));
    try {
      await Promise.all(clients.map((client) => firstResult(client, '{ __typename }')));
      const refused = await new Promise<unknown>((resolve) => {
        const extra = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
        extra.on('unexpected-response', (_req, res) => resolve(res.statusCode));
        extra.on('open', () => resolve('open'));
      });
      assert.equal(refused, 429);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
    // Closing frees the address's places.
    await eventually(
      async () => {
        const again = wsClient(gateway.wsUrl, gateway.tokens.viewer);
        try {
          return (await firstResult(again, '{ __typename }').catch(() => null)) ? true : undefined;
        } finally {
          await again.dispose();
        }
      },
      10_000,
      'a socket accepted again',
    );
  });
});
