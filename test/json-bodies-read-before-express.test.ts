import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestGateway, type TestGateway } from './support/test-gateway';

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
}

/**
 * POSTs a body as JSON, either with its length declared (the gateway reads it in front of express)
 * or chunked (body-parser reads it, as it reads every body the gateway does not read itself).
 */
function post(url: string, body: string, token: string, framing: 'length' | 'chunked'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(framing === 'length' ? { 'content-length': String(bytes.length) } : {}) };
    const sent = request(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, contentType: response.headers['content-type'], text: Buffer.concat(chunks).toString() }));
    });
    sent.on('error', reject);
    if (framing === 'chunked') sent.setHeader('transfer-encoding', 'chunked');
    sent.end(bytes);
  });
}

const PAGE = '{ customers(first: 3) { totalCount edges { node { id name } } } }';

describe('a JSON body read in front of express', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'bodies', customers: 5, production: true });
  });
  after(() => gateway?.close());

  it('is answered as body-parser reads it, refusals included', async () => {
    const bodies = {
      'a planned list': JSON.stringify({ query: PAGE }),
      'a planned list after a byte order mark': `\uFEFF${JSON.stringify({ query: PAGE })}`,
      'a planned list after whitespace': `\n  ${JSON.stringify({ query: PAGE })}`,
      'malformed JSON': '{"query": "{ __typename }"',
      'a string (strict JSON is an object or an array)': '"{ __typename }"',
      'a number after whitespace': '  42',
      'an empty body': '',
      'a batch': JSON.stringify([{ query: '{ __typename }' }]),
      'a document that is not planned': JSON.stringify({ query: '{ __typename }' }),
    };
    // Apollo answers a document once before it is planned.
    await post(gateway.url, bodies['a planned list'], gateway.tokens.viewer, 'chunked');
    for (const [name, body] of Object.entries(bodies)) {
      const read = await post(gateway.url, body, gateway.tokens.viewer, 'length');
      const parsed = await post(gateway.url, body, gateway.tokens.viewer, 'chunked');
      assert.deepEqual(read, parsed, name);
    }
  });
});
