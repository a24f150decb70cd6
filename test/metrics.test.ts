import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CustomersPageDocument, FullSyncProgressDocument, RunSyncDocument } from './generated/operations';
import { eventually, subscribe, wsClient } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** The value of one series of a Prometheus exposition, or undefined when it is absent. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway({ label: 'metrics', customers: 20 });
  });
  after(() => gateway.close());

  const scrape = async () => {
    const response = await fetch(new URL('/metrics', gateway.url));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    return response.text();
  };

  it('exposes the process, pools, sockets, subscriptions, job and queue series before any work', async () => {
    const text = await scrape();
    assert.ok((sample(text, 'nodejs_eventloop_lag_seconds') ?? -1) >= 0, 'event-loop lag');
    for (const store of ['erp', 'crm', 'integration']) assert.ok((sample(text, 'gateway_db_pool_connections', { store, state: 'total' }) ?? -1) >= 1, `${store} pool`);
    assert.equal(sample(text, 'gateway_websocket_connections'), 0);
    assert.equal(sample(text, 'gateway_graphql_subscriptions_active'), 0);
    assert.equal(sample(text, 'gateway_sync_jobs', { state: 'RUNNING' }), 0);
    assert.equal(sample(text, 'gateway_job_queue_depth', { queue: 'full-sync-job', state: 'created' }), 0);
  });

  it('counts operations by name and outcome, errors by code, and HTTP requests by route', async () => {
    const before = await scrape();
    const ok = { operation: 'CustomersPage', type: 'query', outcome: 'ok' };
    const failed = { operation: 'CustomersPage', type: 'query', outcome: 'error' };
    for (let i = 0; i < 3; i += 1) assert.equal((await gateway.request(CustomersPageDocument, { first: 5 })).errors, undefined);
    assert.equal((await gateway.request(CustomersPageDocument, { first: 5 }, null)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const now = await scrape();
    const moved = (text: string, name: string, labels: Record<string, string>) => (sample(now, name, labels) ?? 0) - (sample(text, name, labels) ?? 0);
    assert.equal(moved(before, 'gateway_graphql_operation_duration_seconds_count', ok), 3);
    assert.equal(moved(before, 'gateway_graphql_operation_duration_seconds_count', failed), 1);
    assert.equal(moved(before, 'gateway_graphql_errors_total', { code: 'UNAUTHENTICATED' }), 1);
    assert.equal(moved(before, 'gateway_http_request_duration_seconds_count', { method: 'POST', route: '/graphql', status: '200' }), 4);
    assert.ok((sample(now, 'gateway_graphql_operation_duration_seconds_sum', ok) ?? 0) > 0);
    // The pages were read by compiled statements (the stores are one database): one per page.
    assert.equal(moved(before, 'gateway_compiled_read_duration_seconds_count', { kind: 'list', outcome: 'ok' }), 3);
  });

  it('times the console route under one label, and scanners under another', async () => {
    const before = await scrape();
    for (const path of ['/console/demo-tokens.json', '/console/demo-tokens.json', '/wp-login.php']) await (await fetch(new URL(path, gateway.url))).arrayBuffer();
    const now = await scrape();
    const moved = (labels: Record<string, string>) =>
      (sample(now, 'gateway_http_request_duration_seconds_count', labels) ?? 0) - (sample(before, 'gateway_http_request_duration_seconds_count', labels) ?? 0);
    // A gateway with a configured secret offers no demo tokens.
    assert.equal(moved({ method: 'GET', route: '/console', status: '404' }), 2);
    assert.equal(moved({ method: 'GET', route: 'other', status: '404' }), 1);
  });

  it('counts jobs by state and records by mapping and outcome from the job log', async () => {
    const before = await scrape();
    const run = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
    assert.equal(run.errors, undefined);
    const now = await eventually(
      async () => {
        const text = await scrape();
        return (sample(text, 'gateway_sync_jobs', { state: 'SUCCEEDED' }) ?? 0) > (sample(before, 'gateway_sync_jobs', { state: 'SUCCEEDED' }) ?? 0) ? text : undefined;
      },
      10_000,
      'the job to be counted',
    );
    for (const outcome of ['inserted', 'modified', 'unchanged', 'failed'] as const) {
      const counted =
        (sample(now, 'gateway_sync_records_total', { mapping: 'CUSTOMER', outcome }) ?? 0) - (sample(before, 'gateway_sync_records_total', { mapping: 'CUSTOMER', outcome }) ?? 0);
      assert.equal(counted, run.data!.runSync[outcome], outcome);
    }
  });

  it('follows open sockets and active subscriptions', async () => {
    const client = wsClient(gateway.wsUrl, gateway.tokens.viewer);
    try {
      // With no full synchronisation under way it waits for one, quietly: active all the same.
      subscribe(client, FullSyncProgressDocument, {});
      await eventually(
        async () => {
          const text = await scrape();
          return sample(text, 'gateway_websocket_connections') === 1 && sample(text, 'gateway_graphql_subscriptions_active') === 1 ? true : undefined;
        },
        10_000,
        'one socket and one subscription',
      );
    } finally {
      await client.dispose();
    }
    await eventually(
      async () => {
        const text = await scrape();
        return sample(text, 'gateway_websocket_connections') === 0 && sample(text, 'gateway_graphql_subscriptions_active') === 0 ? true : undefined;
      },
      10_000,
      'the socket and the subscription to be gone',
    );
  });

  it('serves /livez without touching a store', async () => {
    const statements = gateway.statements();
    const response = await fetch(new URL('/livez', gateway.url));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'ok');
    assert.equal(gateway.statements(), statements);
  });
});
