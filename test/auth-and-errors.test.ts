import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CustomerByIdDocument, CustomerNumbersDocument, NodeByIdDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => (result.errors ?? []).map((error) => error.extensions?.code);

describe('who may ask, and what a bad question gets', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'auth', customers: 30, production: true });
  });
  after(() => gateway?.close());

  it('refuses a request without a token as UNAUTHENTICATED', async () => {
    const result = await gateway.request(CustomerNumbersDocument, { first: 5 }, null);
    assert.deepEqual(codes(result), ['UNAUTHENTICATED']);
    assert.equal(result.data, null);
  });

  it('refuses a forged or malformed token as UNAUTHENTICATED', async () => {
    const forged = gateway.tokens.admin.slice(0, -4) + 'AAAA';
    assert.deepEqual(codes(await gateway.request(CustomerNumbersDocument, { first: 5 }, forged)), ['UNAUTHENTICATED']);
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    assert.equal(body.errors[0]!.extensions.code, 'UNAUTHENTICATED');
  });

  it('refuses a token that holds no role as FORBIDDEN', async () => {
    const roleless = gateway.services.tokens.issue('nobody', []);
    assert.deepEqual(codes(await gateway.request(CustomerNumbersDocument, { first: 5 }, roleless)), ['FORBIDDEN']);
  });

  it('lets every role read', async () => {
    for (const token of Object.values(gateway.tokens)) {
      const result = await gateway.request(CustomerNumbersDocument, { first: 3 }, token);
      assert.equal(result.errors, undefined);
      assert.equal(result.data!.customers.edges.length, 3);
    }
  });

  it('answers an id it never issued with BAD_USER_INPUT', async () => {
    const result = await gateway.request(CustomerByIdDocument, { id: 'not-an-id' });
    assert.deepEqual(codes(result), ['BAD_USER_INPUT']);
    assert.match(result.errors![0]!.message, /not an id issued by this gateway/);
  });

  it('answers a well-formed id of a record that does not exist with null', async () => {
    const id = Buffer.from('Customer:erp:00000000-0000-4000-8000-000000000000').toString('base64url');
    const result = await gateway.request(CustomerByIdDocument, { id });
    assert.equal(result.errors, undefined);
    assert.equal(result.data!.customer, null);
  });

  it('answers a malformed cursor and an oversized page with BAD_USER_INPUT', async () => {
    assert.deepEqual(codes(await gateway.request(CustomerNumbersDocument, { first: 5, after: 'garbage' })), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await gateway.request(CustomerNumbersDocument, { first: 5000 })), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await gateway.request(CustomerNumbersDocument, { first: -1 })), ['BAD_USER_INPUT']);
  });

  it('answers an invalid filter value with BAD_USER_INPUT', async () => {
    const result = await gateway.request(CustomerNumbersDocument, { first: 5, filter: { syncState: 'SOMETIMES' as never } });
    assert.deepEqual(codes(result), ['BAD_USER_INPUT']);
  });

  it('shows no stack trace in production', async () => {
    const result = await gateway.request(NodeByIdDocument, { id: 'bad' });
    assert.equal(JSON.stringify(result).includes('stacktrace'), false);
    assert.equal(JSON.stringify(result).includes('    at '), false);
  });
});
