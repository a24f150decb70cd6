import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { CustomerNumbersDocument, type CustomerNumbersQuery } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

function client(gateway: TestGateway, token: string | null): Client {
  return createClient({
    url: gateway.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
}

async function run(wsClient: Client) {
  const results = [];
  for await (const result of wsClient.iterate<CustomerNumbersQuery>({ query: print(CustomerNumbersDocument), variables: { first: 4 } })) results.push(result);
  return results;
}

describe('graphql-ws on the same port and path', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'ws', customers: 20 });
  });
  after(() => gateway?.close());

  it('runs an operation with the token from connectionParams.authorization', async () => {
    const ws = client(gateway, gateway.tokens.viewer);
    try {
      const [result] = await run(ws);
      assert.equal(result!.errors, undefined);
      const overHttp = await gateway.request(CustomerNumbersDocument, { first: 4 });
      assert.deepEqual(result!.data, overHttp.data);
    } finally {
      await ws.dispose();
    }
  });

  it('refuses a socket without a token at connection_init (close 4403)', async () => {
    const ws = client(gateway, null);
    try {
      await assert.rejects(run(ws), (event: { code?: number }) => event.code === 4403);
    } finally {
      await ws.dispose();
    }
  });

  it('serves /healthz', async () => {
    const response = await fetch(gateway.url.replace('/graphql', '/healthz'));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });
});
