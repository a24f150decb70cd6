import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { print } from 'graphql';
import { storeUrl } from '../src/db/data-sources';
import { RecordReferences1796720000000 } from '../src/db/migrations/integration/1796720000000-RecordReferences';
import { startGateway, type RunningGateway } from '../src/server/gateway';
import { ReadModelFollower } from '../src/unify/read-model-follower';
import { CustomersPageDocument } from './generated/operations';
import { gatewaySchema, startTestGateway, type TestGateway } from './support/test-gateway';

/*
 * The migration that adds the index's references leaves them null on the rows already indexed. A
 * page still answers as the loaders do (reading its related records' links in a second statement),
 * and the read model's start-up catch-up fills them in, after which one statement is enough.
 */
describe('references of rows indexed before the migration', () => {
  let gateway: TestGateway;
  let loaders: RunningGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'references_migration', customers: 30, separateDatabases: true });
    loaders = await startGateway({ schema: await gatewaySchema(), services: { ...gateway.services, readsAhead: false }, port: 0, host: '127.0.0.1', production: false });
  });
  after(async () => {
    await loaders?.stop();
    await gateway?.close();
  });

  const page = async (url: string) => {
    const { counters } = gateway.stores;
    const before = counters.integration.statements;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` },
      body: JSON.stringify({ query: print(CustomersPageDocument), variables: { first: 20, filter: { coupled: true } } }),
    });
    return { body: (await response.json()) as unknown, integration: counters.integration.statements - before };
  };
  const unfilled = async () => {
    const [row] = await gateway.stores.integration.query(
      `SELECT count(*) FILTER (WHERE erp_id IS NOT NULL AND erp_refs IS NULL)::int AS erp, count(*) FILTER (WHERE crm_id IS NOT NULL AND crm_refs IS NULL)::int AS crm
         FROM integration.integration_record`,
    );
    return row as { erp: number; crm: number };
  };

  it('answers as the loaders do before the catch-up, and in one integration statement after it', async () => {
    const expected = (await page(loaders.url)).body;
    assert.deepEqual(await unfilled(), { erp: 0, crm: 0 });
    const migration = new RecordReferences1796720000000();
    const runner = gateway.stores.integration.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const before = await unfilled();
    assert.ok(before.erp > 0 && before.crm > 0, JSON.stringify(before));

    const lagging = await page(gateway.url);
    assert.deepEqual(lagging.body, expected);
    assert.equal(lagging.integration, 2, 'the related records found by their keys, in a second statement');

    const { stores, services } = gateway;
    const follower = new ReadModelFollower({ erp: storeUrl(stores.erp), crm: storeUrl(stores.crm) }, stores.integration, services.discovery, null, {
      windowMs: 20,
      batchSize: 1_000,
    });
    try {
      await follower.start();
      await follower.whenComplete();
    } finally {
      await follower.stop();
    }
    assert.deepEqual(await unfilled(), { erp: 0, crm: 0 });
    const caughtUp = await page(gateway.url);
    assert.deepEqual(caughtUp.body, expected);
    assert.equal(caughtUp.integration, 1);
  });
});
