import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../src/config/config';

describe('configuration is read once from the environment', () => {
  it('has defaults that run the embedded demo', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.databaseUrl, null);
    assert.equal(config.authJwtSecret, null);
    assert.equal(config.nodeEnv, 'development');
    assert.ok(config.demoCustomers > 0);
    assert.equal(config.worker.fieldHistoryRetentionDays, 365);
    assert.equal(loadConfig({ FIELD_HISTORY_RETENTION_DAYS: '0' }).worker.fieldHistoryRetentionDays, 0, '0 keeps field lineage forever');
  });

  it('lets ERP and CRM default to DATABASE_URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://a@h/db' });
    assert.equal(config.erpDatabaseUrl, 'postgres://a@h/db');
    assert.equal(config.crmDatabaseUrl, 'postgres://a@h/db');
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://a@h/db', CRM_DATABASE_URL: 'postgres://a@h/crm' }).crmDatabaseUrl, 'postgres://a@h/crm');
  });

  it('fails fast with a clear message on bad values', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (error: Error) => error instanceof ConfigError && /PORT/.test(error.message),
    );
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must be a postgres/);
    assert.throws(() => loadConfig({ AUTH_JWT_SECRET: 'short' }), /at least 32/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /AUTH_JWT_SECRET is required/);
    assert.throws(() => loadConfig({ ERP_DATABASE_URL: 'postgres://a@h/erp' }), /need DATABASE_URL/);
    assert.throws(() => loadConfig({ FIELD_HISTORY_RETENTION_DAYS: '-1' }), /FIELD_HISTORY_RETENTION_DAYS must be an integer between 0 and 36500/);
    assert.throws(() => loadConfig({ FIELD_HISTORY_RETENTION_DAYS: 'a year' }), /FIELD_HISTORY_RETENTION_DAYS/);
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

  it('talks to the PostgreSQL stores unless a real ERP or CRM is configured', () => {
    const { systems, mirrorPollMs } = loadConfig({});
    assert.deepEqual(systems, { erp: { kind: 'postgres' }, crm: { kind: 'postgres' } });
    assert.equal(mirrorPollMs, 5_000, 'a mirror of a real product reads its change feed every 5 s by default');
    assert.equal(loadConfig({ MIRROR_POLL_SECONDS: '30' }).mirrorPollMs, 30_000);
    assert.throws(() => loadConfig({ MIRROR_POLL_SECONDS: '0' }), /MIRROR_POLL_SECONDS/);
  });

  it('reads the Business Central and Dataverse connections, and never shows their secrets', () => {
    const env = {
      ERP_SYSTEM: 'business-central',
      BC_API_URL: 'https://api.businesscentral.dynamics.com/v2.0/contoso/production/api/v2.0/',
      BC_COMPANY_ID: '6C4A3E8C-0D6B-4E6B-9C1B-0E4B9F1A2B3C',
      BC_TENANT_ID: 'contoso',
      BC_CLIENT_ID: 'bc-app',
      BC_CLIENT_SECRET: 'bc-very-secret',
      CRM_SYSTEM: 'dataverse',
      DATAVERSE_URL: 'https://contoso.crm4.dynamics.com',
      DATAVERSE_TENANT_ID: 'contoso',
      DATAVERSE_CLIENT_ID: 'dv-app',
      DATAVERSE_CLIENT_SECRET: 'dv-very-secret',
    };
    const config = loadConfig(env);
    assert.equal(config.systems.erp.kind === 'business-central' && config.systems.erp.apiUrl, 'https://api.businesscentral.dynamics.com/v2.0/contoso/production/api/v2.0');
    assert.equal(config.systems.erp.kind === 'business-central' && config.systems.erp.companyId, '6c4a3e8c-0d6b-4e6b-9c1b-0e4b9f1a2b3c');
    assert.equal(config.systems.crm.kind === 'dataverse' && config.systems.crm.app.authorityUrl, 'https://login.microsoftonline.com');
    assert.equal(config.systems.crm.kind === 'dataverse' && config.systems.crm.app.clientSecret.reveal(), 'dv-very-secret');
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.systems.crm.kind === 'dataverse' && config.systems.crm.app.clientSecret)]) {
      assert.doesNotMatch(shown, /very-secret/);
    }
    assert.throws(() => loadConfig({ ...env, BC_CLIENT_SECRET: '' }), /BC_CLIENT_SECRET is required/);
    assert.throws(() => loadConfig({ ...env, BC_COMPANY_ID: 'CRONUS' }), /BC_COMPANY_ID must be a GUID/);
    assert.throws(() => loadConfig({ ...env, DATAVERSE_URL: 'ftp://x' }), /DATAVERSE_URL must be an http/);
    assert.throws(() => loadConfig({ CRM_SYSTEM: 'salesforce' }), /CRM_SYSTEM must be postgres or dataverse/);
  });
});

describe('operations configuration', () => {
  it('drains for 30 s on SIGTERM unless told otherwise, and logs at info', () => {
    const config = loadConfig({});
    assert.equal(config.shutdownDrainMs, 30_000);
    assert.equal(loadConfig({ SHUTDOWN_DRAIN_SECONDS: '90' }).shutdownDrainMs, 90_000);
    assert.equal(config.logLevel, 'info');
    assert.equal(loadConfig({ LOG_LEVEL: 'WARN' }).logLevel, 'warn');
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/);
    assert.throws(() => loadConfig({ SHUTDOWN_DRAIN_SECONDS: '-1' }), /SHUTDOWN_DRAIN_SECONDS/);
  });

  it('names the variable each store came from, for the message when it cannot be reached', () => {
    const shared = loadConfig({ DATABASE_URL: 'postgres://a@h/db' }).databaseConnect;
    assert.deepEqual(shared.variables, { integration: 'DATABASE_URL', erp: 'DATABASE_URL', crm: 'DATABASE_URL' });
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://a@h/db', ERP_DATABASE_URL: 'postgres://a@h/erp' }).databaseConnect.variables.erp, 'ERP_DATABASE_URL');
    assert.equal(shared.timeoutMs, 10_000);
    assert.equal(shared.attempts, 5);
    assert.throws(() => loadConfig({ DATABASE_CONNECT_ATTEMPTS: '0' }), /DATABASE_CONNECT_ATTEMPTS/);
  });
});
