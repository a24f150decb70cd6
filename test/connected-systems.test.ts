import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { ConnectedSystemsDocument, RunSyncDocument, TestConnectionDocument } from './generated/operations';
import { BUSINESS_CENTRAL_WEBHOOK_PATH } from '../src/mirrors/business-central-webhook';
import { BUSINESS_CENTRAL_USER } from '../src/mirrors/mirrors.factory';
import { emulatedProducts, type EmulatedProducts } from './support/emulated-systems';
import { freePort } from './support/free-port';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const CUSTOMERS = 40;

/** A table's rows without what every write stamps (modified-at, modified-by): what two correct runs agree on. */
async function contents(store: DataSource, table: string): Promise<string> {
  const [row] = await store.query(
    `SELECT count(*)::int AS n, md5(coalesce(string_agg((to_jsonb(t) - 'modified_at' - 'modified_by')::text, '|' ORDER BY to_jsonb(t)::text), '')) AS sum FROM ${table} t`,
  );
  return `${row.n} rows ${row.sum}`;
}

async function customerCouplings(gateway: TestGateway): Promise<string> {
  const [row] = await gateway.stores.integration.query(
    `SELECT count(*)::int AS n, md5(coalesce(string_agg(concat_ws(',', erp_id, crm_id, last_result), '|' ORDER BY erp_id, crm_id), '')) AS sum
       FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL`,
  );
  return `${row.n} rows ${row.sum}`;
}

describe('a gateway connected to Business Central and Dataverse (emulated)', () => {
  let products: EmulatedProducts;
  let connected: TestGateway;
  let local: TestGateway;

  before(async () => {
    products = await emulatedProducts('connected');
    connected = await startTestGateway({ label: 'connected', customers: CUSTOMERS, products });
    local = await startTestGateway({ label: 'connected_local', customers: CUSTOMERS });
  });
  after(async () => {
    await connected?.close();
    await local?.close();
    await products?.stop();
  });

  it("shows each system's kind, URL, tenant and client id, masks the secret, and says how far each mirrored table has caught up", async () => {
    const result = await connected.request(ConnectedSystemsDocument, {}, connected.tokens.admin);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const [erp, crm] = result.data!.connectionSetup.systems;
    assert.equal(erp!.kind, 'BUSINESS_CENTRAL');
    assert.equal(erp!.url, products.businessCentral.apiUrl);
    assert.equal(crm!.kind, 'DATAVERSE');
    assert.equal(crm!.url, products.dataverse.url);
    const crmApp = products.config.crm.kind === 'dataverse' ? products.config.crm.app : null;
    assert.equal(crm!.clientId, crmApp!.clientId);
    assert.equal(crm!.tenantId, crmApp!.tenantId);
    assert.equal(crm!.clientSecret, '***');
    assert.ok(!JSON.stringify(result).includes(crmApp!.clientSecret.reveal()), 'the secret appears nowhere in the answer');
    const customers = erp!.mirrorTables.find((table) => table.table === 'customer')!;
    assert.equal(customers.entitySet, 'customers');
    assert.ok(customers.caughtUpAt !== null && customers.lagSeconds !== null && customers.lagSeconds >= 0);
    assert.ok(crm!.mirrorTables.some((table) => table.table === 'account' && table.recordsApplied > 0));

    const plain = await local.request(ConnectedSystemsDocument, {}, local.tokens.admin);
    assert.deepEqual(
      plain.data!.connectionSetup.systems.map((system) => [system.system, system.kind, system.url, system.clientSecret, system.mirrorTables.length]),
      [
        ['ERP', 'POSTGRES', null, null, 0],
        ['CRM', 'POSTGRES', null, null, 0],
      ],
    );
  });

  it('synchronises customers fully through the products to the same state as through PostgreSQL, and its own writes do not come back from the change feeds', async () => {
    for (const gateway of [local, connected]) {
      const run = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
      assert.equal(run.errors, undefined, JSON.stringify(run.errors));
      assert.equal(run.data!.runSync.failed, 0, run.data!.runSync.message ?? '');
      assert.ok(run.data!.runSync.inserted > 0, 'the run creates counterparts');
    }
    assert.equal(await contents(connected.stores.erp, 'erp.customer'), await contents(local.stores.erp, 'erp.customer'));
    assert.equal(await contents(connected.stores.crm, 'crm.account'), await contents(local.stores.crm, 'crm.account'));
    assert.equal(await customerCouplings(connected), await customerCouplings(local));

    const mirrors = connected.services.systems.systems.map((system) => system.mirror!);
    for (const mirror of mirrors)
      assert.equal(await mirror.replicator.catchUp(), 0, `${mirror.system}: the feed brings back only the gateway's own writes, which the mirror holds`);
    const [{ n: mirroredCustomers }] = await connected.stores.erp.query('SELECT count(*)::int AS n FROM erp.customer');
    assert.equal(await products.businessCentral.store.count('customers'), mirroredCustomers, 'Business Central holds every customer the mirror holds');
    const [{ n: mirroredAccounts }] = await connected.stores.crm.query('SELECT count(*)::int AS n FROM crm.account');
    assert.equal(await products.dataverse.store.count('accounts'), mirroredAccounts, 'Dataverse holds every account the mirror holds');
  });

  it('tests the connection to each system: signed in, who it is, a read of one entity set', async () => {
    const result = await connected.request(TestConnectionDocument, {}, connected.tokens.admin);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    for (const test of result.data!.testConnection) {
      assert.deepEqual([test.reachable, test.tokenObtained, test.readPermission, test.failure], [true, true, true, null], JSON.stringify(test));
      assert.ok(test.identity);
    }
    const refused = await connected.request(TestConnectionDocument, {}, connected.tokens.operator);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  it('answers for a system that is down with a coded failure, and still tests the other', async () => {
    await products.dataverse.server.stop();
    const result = await connected.request(TestConnectionDocument, {}, connected.tokens.admin);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const [erp, crm] = result.data!.testConnection;
    assert.deepEqual([erp!.system, erp!.reachable, erp!.failure], ['ERP', true, null]);
    assert.deepEqual([crm!.system, crm!.kind, crm!.reachable, crm!.readPermission, crm!.failure], ['CRM', 'DATAVERSE', false, false, 'UNREACHABLE']);
  });
});

describe("Business Central's webhooks", () => {
  let products: EmulatedProducts;
  let gateway: TestGateway;

  before(async () => {
    const port = await freePort();
    products = await emulatedProducts('webhooks', { notificationUrl: `http://127.0.0.1:${port}${BUSINESS_CENTRAL_WEBHOOK_PATH}`, webhookDelayMs: 100 });
    gateway = await startTestGateway({ label: 'webhooks', customers: 10, products, port });
  });
  after(async () => {
    await gateway?.close();
    await products?.stop();
  });

  it('bring a change made in Business Central into the mirror without waiting for a poll', async () => {
    const webhook = gateway.services.systems.businessCentralWebhook!;
    webhook.start();
    await eventually(
      async () => (products.businessCentral.webhooks.list(products.apps.businessCentral.userId).length >= 4 ? true : undefined),
      10_000,
      'the subscriptions (handshakes answered)',
    );
    const user = products.businessCentralUser();
    const [customer] = await gateway.stores.erp.query(`SELECT system_id AS "systemId", no FROM erp.customer ORDER BY no LIMIT 1`);
    await user.update('customers', customer.systemId, { displayName: 'Renamed In Business Central' }, '*');
    const renamed = await eventually(
      async () => {
        const [row] = await gateway.stores.erp.query(`SELECT name, modified_by FROM erp.customer WHERE system_id = $1`, [customer.systemId]);
        return row.name === 'Renamed In Business Central' ? row : undefined;
      },
      10_000,
      'the notified change in the mirror',
    );
    assert.equal(renamed.modified_by, BUSINESS_CENTRAL_USER);
    webhook.stop();
  });
});
