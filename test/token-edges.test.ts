import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { print } from 'graphql';
import jwt from 'jsonwebtoken';
import { Role } from '../src/auth/role';
import { CustomerNumbersDocument, FullSyncProgressDocument } from './generated/operations';
import { codesOf, graphqlRequest } from './support/raw-requests';
import { within, wsClient } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const POLICY = { issuer: 'https://login.example.test', audience: 'erp-crm-gateway', maxLifetimeSeconds: 3_600 };

function sign(gateway: TestGateway, claims: Record<string, unknown>, options: jwt.SignOptions = {}): string {
  return jwt.sign({ roles: [Role.VIEWER], ...claims }, gateway.secret, { algorithm: 'HS256', subject: 'someone', ...options });
}

const page = (gateway: TestGateway, token: string) => gateway.request(CustomerNumbersDocument, { first: 2 }, token);

describe('tokens must expire, come from the configured issuer and be meant for this gateway', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'tokens', customers: 3, production: true, tokenPolicy: POLICY });
  });
  after(() => gateway?.close());

  it('accepts the tokens it issues', async () => {
    assert.equal((await page(gateway, gateway.tokens.viewer)).errors, undefined);
  });

  it('refuses a token without exp', async () => {
    const result = await page(gateway, sign(gateway, {}, { issuer: POLICY.issuer, audience: POLICY.audience }));
    assert.deepEqual(codesOf(result), ['UNAUTHENTICATED']);
    assert.match(result.errors![0]!.message, /no expiry/);
  });

  it('refuses a token that lives longer than the maximum lifetime', async () => {
    const result = await page(gateway, sign(gateway, {}, { issuer: POLICY.issuer, audience: POLICY.audience, expiresIn: 2 * 3_600 }));
    assert.deepEqual(codesOf(result), ['UNAUTHENTICATED']);
    assert.match(result.errors![0]!.message, /longer than/);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const otherIssuer = await page(gateway, sign(gateway, {}, { issuer: 'https://elsewhere.test', audience: POLICY.audience, expiresIn: 600 }));
    assert.deepEqual(codesOf(otherIssuer), ['UNAUTHENTICATED']);
    assert.match(otherIssuer.errors![0]!.message, /issuer/);
    const otherAudience = await page(gateway, sign(gateway, {}, { issuer: POLICY.issuer, audience: 'another-service', expiresIn: 600 }));
    assert.deepEqual(codesOf(otherAudience), ['UNAUTHENTICATED']);
    const noClaims = await page(gateway, sign(gateway, {}, { expiresIn: 600 }));
    assert.deepEqual(codesOf(noClaims), ['UNAUTHENTICATED']);
  });

  it('refuses an expired token even after it was accepted (and cached) before', async () => {
    // exp is in whole seconds: a token signed late in a second for 1 s may be expired at once.
    const token = sign(gateway, {}, { issuer: POLICY.issuer, audience: POLICY.audience, expiresIn: 3 });
    assert.equal((await page(gateway, token)).errors, undefined);
    const { exp } = jwt.decode(token) as { exp: number };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1_000 - Date.now()) + 100));
    assert.deepEqual(codesOf(await page(gateway, token)), ['UNAUTHENTICATED']);
  });

  it('ends a subscription with UNAUTHENTICATED when its token expires', async () => {
    const token = sign(gateway, {}, { issuer: POLICY.issuer, audience: POLICY.audience, expiresIn: 3 });
    const client = wsClient(gateway.wsUrl, token);
    try {
      const results: Array<{ errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }> = [];
      const ended = (async () => {
        for await (const result of client.iterate({ query: print(FullSyncProgressDocument), variables: {} })) results.push(result);
      })();
      await within(ended, 10_000, 'the subscription to end');
      assert.deepEqual(codesOf(results.at(-1)!), ['UNAUTHENTICATED']);
      assert.match(JSON.stringify(results.at(-1)), /expired/);
    } finally {
      await client.dispose();
    }
  });
});

describe('graphql-ws sockets need a token unless anonymous sockets are allowed', () => {
  let strict: TestGateway;
  let open: TestGateway;

  before(async () => {
    strict = await startTestGateway({ label: 'wsauth', production: true });
    open = await startTestGateway({ label: 'wspublic', production: true, limits: { wsAllowAnonymous: true } });
  });
  after(async () => {
    await strict?.close();
    await open?.close();
  });

  for (const [what, token] of [
    ['no token', () => null],
    ['a forged token', () => strict.tokens.viewer.slice(0, -4) + 'AAAA'],
  ] as const) {
    it(`closes a socket with ${what} at connection_init (4403)`, async () => {
      const code = await within(new Promise<number>((resolve) => wsClient(strict.wsUrl, token(), resolve)), 10_000, 'the socket to close');
      assert.equal(code, 4403);
    });
  }

  it('acknowledges an anonymous socket in public mode; its operations still need a role', async () => {
    const client = wsClient(open.wsUrl, null);
    try {
      const results = [];
      for await (const result of client.iterate({ query: print(CustomerNumbersDocument), variables: { first: 1 } })) results.push(result);
      assert.deepEqual(codesOf(results[0]!), ['UNAUTHENTICATED']);
    } finally {
      await client.dispose();
    }
  });
});

describe('introspection and suggestions', () => {
  let production: TestGateway;
  let development: TestGateway;
  const introspection = '{ __schema { queryType { name } } }';
  const misspelt = '{ customerz(first: 1) { totalCount } }';

  before(async () => {
    production = await startTestGateway({ label: 'introprod', production: true });
    development = await startTestGateway({ label: 'introdev', production: false });
  });
  after(async () => {
    await production?.close();
    await development?.close();
  });

  it('in production: refused to anonymous callers and role-less tokens, served to every role', async () => {
    assert.deepEqual(codesOf((await graphqlRequest(production.url, introspection)).body), ['UNAUTHENTICATED']);
    assert.deepEqual(codesOf((await graphqlRequest(production.url, introspection, {}, production.services.tokens.issue('nobody', []))).body), ['FORBIDDEN']);
    for (const role of [Role.VIEWER, Role.OPERATOR, Role.ADMIN]) {
      const answer = await graphqlRequest(production.url, introspection, {}, production.tokens[role]);
      assert.deepEqual(answer.body.data, { __schema: { queryType: { name: 'Query' } } }, role);
    }
  });

  it('in production: no "Did you mean" for anonymous callers and role-less tokens, over HTTP and graphql-ws', async () => {
    const roleless = production.services.tokens.issue('nobody', []);
    for (const token of [null, roleless]) {
      const response = await graphqlRequest(production.url, misspelt, {}, token);
      assert.deepEqual(codesOf(response.body), ['GRAPHQL_VALIDATION_FAILED']);
      assert.doesNotMatch(response.text, /Did you mean|customers/);
    }
    assert.match((await graphqlRequest(production.url, misspelt, {}, production.tokens.viewer)).body.errors![0]!.message, /Did you mean "customer" or "customers"/);
    const client = wsClient(production.wsUrl, roleless);
    try {
      await assert.rejects(
        (async () => {
          for await (const result of client.iterate({ query: misspelt })) return result;
        })(),
        (errors: Array<{ message: string }>) => !/Did you mean/.test(errors[0]!.message),
      );
    } finally {
      await client.dispose();
    }
  });

  it('in development: served to everyone', async () => {
    assert.deepEqual((await graphqlRequest(development.url, introspection)).body.data, { __schema: { queryType: { name: 'Query' } } });
    assert.match((await graphqlRequest(development.url, misspelt)).body.errors![0]!.message, /Did you mean "customer" or "customers"/);
  });
});
