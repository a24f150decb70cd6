import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Pool } from 'pg';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/**
 * Compiled reads are prepared statements, planned again on every new connection (five times for
 * its parameters, then a generic plan). pg closes a connection left idle for 10 s, so each burst
 * after a quiet spell opened new connections and paid that planning again: a batch of 1,000
 * references ran at half the rate for the first seconds of every burst.
 */
describe("a store's pool keeps the connections it opened", () => {
  let gateway: TestGateway;

  const integrationConnections = async () => {
    const [{ open }] = (await gateway.stores.erp.query(
      `SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'erp-crm-gateway:integration'`,
    )) as Array<{ open: number }>;
    return open;
  };

  before(async () => {
    gateway = await startTestGateway({ label: 'pool_keeps', customers: 40 });
  });
  after(() => gateway?.close());

  it('through a quiet spell longer than pg closes idle connections after', async () => {
    // Three connections at once, as three reads at once take them (the compiled reads use this pool).
    const pool = (gateway.stores.integration.driver as unknown as { master: Pool }).master;
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    for (const client of clients) client.release();
    const opened = await integrationConnections();
    assert.ok(opened >= 3, `connections of the integration pool: ${opened}`);
    await sleep(11_000);
    assert.equal(await integrationConnections(), opened);
  });
});
