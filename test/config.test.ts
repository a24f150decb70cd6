import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config';

describe('configuration is read once from the environment', () => {
  it('has defaults that run the embedded demo', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.databaseUrl, null);
    assert.equal(config.authJwtSecret, null);
    assert.equal(config.nodeEnv, 'development');
    assert.ok(config.demoCustomers > 0);
  });

  it('lets ERP and CRM default to DATABASE_URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://a@h/db' });
    assert.equal(config.erpDatabaseUrl, 'postgres://a@h/db');
    assert.equal(config.crmDatabaseUrl, 'postgres://a@h/db');
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://a@h/db', CRM_DATABASE_URL: 'postgres://a@h/crm' }).crmDatabaseUrl, 'postgres://a@h/crm');
  });

  it('fails fast with a clear message on bad values', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (error: Error) => error instanceof ConfigError && /PORT/.test(error.message));
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must be a postgres/);
    assert.throws(() => loadConfig({ AUTH_JWT_SECRET: 'short' }), /at least 32/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /AUTH_JWT_SECRET is required/);
    assert.throws(() => loadConfig({ ERP_DATABASE_URL: 'postgres://a@h/erp' }), /need DATABASE_URL/);
  });

  it('reads the edge limits and token rules, with documented defaults, and refuses bad values', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.limits.maxDepth, 12);
    assert.equal(defaults.limits.wsAllowAnonymous, false);
    assert.equal(defaults.auth.maxTokenLifetimeSeconds, 86_400);
    const set = loadConfig({ GRAPHQL_MAX_COST: '5000', QUERY_TIMEOUT_MS: '2500', WS_ALLOW_ANONYMOUS: 'true', AUTH_ISSUER: 'https://id.example', AUTH_AUDIENCE: 'gw' });
    assert.equal(set.limits.maxCost, 5_000);
    assert.equal(set.limits.queryTimeoutMs, 2_500);
    assert.equal(set.limits.wsAllowAnonymous, true);
    assert.deepEqual([set.auth.issuer, set.auth.audience], ['https://id.example', 'gw']);
    assert.throws(() => loadConfig({ GRAPHQL_MAX_DEPTH: '0' }), /GRAPHQL_MAX_DEPTH must be an integer between 2/);
    assert.throws(() => loadConfig({ HTTP_MAX_BODY_BYTES: 'lots' }), /HTTP_MAX_BODY_BYTES/);
    assert.throws(() => loadConfig({ WS_ALLOW_ANONYMOUS: 'maybe' }), /WS_ALLOW_ANONYMOUS must be true or false/);
  });

  it('lets a stand-alone worker, which checks no tokens, run in production without a secret', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://a@h/db' }, { servesRequests: false }).nodeEnv, 'production');
  });
});
