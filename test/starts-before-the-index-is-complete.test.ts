import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closeStores, openStores } from '../src/db/data-sources';
import { seedDemoCompany } from '../src/demo/demo-company.generator';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { eventually } from './support/subscriptions';
import { waitForOutput } from './support/processes';
import { createTestDatabase } from './support/test-gateway';

interface Readiness {
  status: string;
  checks: { readModel: { ready: boolean; detail: { complete: boolean; mappings: Array<{ mapping: string; indexed: number; complete: boolean }> } } };
}

const CUSTOMERS = 3_000;

/**
 * A gateway started on a database whose records were loaded in bulk and never indexed opens its
 * port at once and catches up in the background, saying how far it got on /readyz.
 */
describe('start-up on a database with an unindexed bulk load', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let gateway: ChildProcess;
  let base: string;
  let viewerToken: string;
  /** The first answer of /readyz, asked as soon as the port was open. */
  let first: { status: number; body: Readiness };

  before(async () => {
    database = await createTestDatabase('startup');
    const stores = await openStores({ erp: database.url, crm: database.url, integration: database.url });
    try {
      await installStandardMappings(stores.integration);
      await seedDemoCompany(stores, { customers: CUSTOMERS, seed: 11 });
    } finally {
      await closeStores(stores);
    }
    gateway = spawn(process.execPath, [path.join(__dirname, '..', 'src', 'server', 'main.js')], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: '0', AUTH_JWT_SECRET: '', NODE_ENV: 'development', IN_PROCESS_WORKER: 'false' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tokens = waitForOutput(gateway, /viewer\s+(\S+)/);
    const [, url] = (await waitForOutput(gateway, /ready at (http:\S+)/)) as unknown as [string, string];
    base = url.replace(/\/graphql$/, '');
    const response = await fetch(`${base}/readyz`);
    first = { status: response.status, body: (await response.json()) as Readiness };
    [, viewerToken] = (await tokens) as unknown as [string, string];
  });
  after(async () => {
    if (gateway && gateway.exitCode === null) gateway.kill('SIGKILL');
    await database?.drop();
  });

  it('answers on its port while the catch-up runs: /readyz is 503 with the progress per mapping, /healthz 200', async () => {
    assert.equal(first.status, 503, JSON.stringify(first.body));
    assert.equal(first.body.checks.readModel.ready, false);
    const mappings = first.body.checks.readModel.detail.mappings;
    assert.ok(
      mappings.some((m) => m.mapping === 'CUSTOMER'),
      JSON.stringify(mappings),
    );
    assert.ok(
      mappings.some((m) => !m.complete),
      'some mapping is still being caught up on',
    );
    for (const m of mappings) assert.ok(Number.isInteger(m.indexed) && m.indexed >= 0);
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'alive meanwhile');
  });

  it('then answers 200, every mapping complete, and lists hold every record of both systems', async () => {
    const ready = await eventually(
      async () => {
        const response = await fetch(`${base}/readyz`);
        return response.status === 200 ? ((await response.json()) as Readiness) : undefined;
      },
      240_000,
      '/readyz to answer 200',
    );
    assert.equal(ready.status, 'ready');
    assert.ok(ready.checks.readModel.detail.mappings.every((m) => m.complete));
    const customers = ready.checks.readModel.detail.mappings.find((m) => m.mapping === 'CUSTOMER')!;
    assert.ok(customers.indexed >= CUSTOMERS, `CUSTOMER indexed ${customers.indexed}`);

    const listed = new Set<string>();
    for (let after: string | null = null, more = true; more;) {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${viewerToken}` },
        body: JSON.stringify({
          query: 'query ($after: String) { customers(first: 1000, after: $after) { pageInfo { hasNextPage endCursor } edges { node { erp { systemId } crm { id } } } } }',
          variables: { after },
        }),
      });
      const page = (
        (await response.json()) as {
          data: {
            customers: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: { erp: { systemId: string } | null; crm: { id: string } | null } }> };
          };
        }
      ).data.customers;
      for (const { node } of page.edges) {
        if (node.erp) listed.add(`erp:${node.erp.systemId}`);
        if (node.crm) listed.add(`crm:${node.crm.id}`);
      }
      more = page.pageInfo.hasNextPage;
      after = page.pageInfo.endCursor;
    }
    const stores = await openStores({ erp: database.url, crm: database.url, integration: database.url });
    try {
      const erp = (await stores.erp.query('SELECT system_id AS key FROM erp.customer')) as Array<{ key: string }>;
      const crm = (await stores.crm.query(`SELECT id AS key FROM crm.account WHERE customer_type_code = 'CUSTOMER' AND state_code = 'ACTIVE'`)) as Array<{ key: string }>;
      const expected = new Set([...erp.map((r) => `erp:${r.key}`), ...crm.map((r) => `crm:${r.key}`)]);
      assert.equal(expected.size, listed.size, 'as many records listed as both systems hold');
      assert.deepEqual(
        [...expected].filter((key) => !listed.has(key)),
        [],
        'every customer and in-scope account is listed',
      );
    } finally {
      await closeStores(stores);
    }
  });
});
