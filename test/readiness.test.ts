import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { storeUrl, type StoreName } from '../src/db/data-sources';
import { StoreProbes } from '../src/db/store-probe';
import { readinessRoute, storeCheck } from '../src/server/readiness';
import { withAdminClient } from './support/database-server';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

interface Readiness {
  status: number;
  checks: Record<string, { ready: boolean; detail?: { error?: string; connections?: number; connected?: number; failing?: string[] } }>;
}

const CHECKS = ['erpStore', 'crmStore', 'integrationStore', 'jobEngine', 'changeListener', 'readModel'];

/**
 * Each readiness check going red on its own, on a gateway whose ERP, CRM and integration store are
 * three databases: one database at a time refuses connections and loses the ones it had, as a
 * failover or an administrator would do it, then takes them again.
 */
describe('/readyz', () => {
  let gateway: TestGateway;
  const server = process.env.TEST_DATABASE_SERVER!;
  before(async () => {
    gateway = await startTestGateway({ label: 'readiness', customers: 5, separateDatabases: true, worker: true });
  });
  after(() => gateway.close());

  /** The last answer, for the message of a wait that timed out. */
  let last: Readiness | null = null;
  const readiness = async (): Promise<Readiness> => {
    const response = await fetch(new URL('/readyz', gateway.url));
    last = { status: response.status, checks: ((await response.json()) as Pick<Readiness, 'checks'>).checks };
    return last;
  };
  const lastSeen = () => JSON.stringify(last);
  const databaseOf = (store: StoreName) => new URL(storeUrl(gateway.stores[store])).pathname.slice(1);

  /**
   * The store's database refuses new connections and ends those it has, until `red` checks are
   * all not ready (and the others ready); then it takes connections again, and /readyz is 200 again.
   * Returns the answer seen while it was cut off.
   */
  async function whileCutOff(store: StoreName, red: readonly string[]): Promise<Readiness> {
    const name = databaseOf(store);
    await withAdminClient(server, async (client) => {
      await client.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    });
    let down: Readiness;
    try {
      down = await eventually(
        async () => {
          const now = await readiness();
          return red.every((check) => now.checks[check]!.ready === false) ? now : undefined;
        },
        30_000,
        `${red.join(', ')} to go red`,
      ).catch((error: Error) => assert.fail(`${error.message}; last: ${lastSeen()}`));
    } finally {
      await withAdminClient(server, (client) => client.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`));
    }
    assert.equal(down.status, 503);
    for (const check of CHECKS.filter((check) => !red.includes(check))) assert.equal(down.checks[check]!.ready, true, `${check} stays ready`);
    await eventually(async () => ((await readiness()).status === 200 ? true : undefined), 30_000, '/readyz to answer 200 again');
    return down;
  }

  it('answers 200 with every check ready when all is up', async () => {
    const ready = await readiness();
    assert.equal(ready.status, 200, JSON.stringify(ready.checks));
    assert.deepEqual(Object.keys(ready.checks).sort(), [...CHECKS].sort());
    assert.deepEqual(ready.checks.changeListener!.detail, { connections: 2, connected: 2 }, 'one LISTEN connection per system database');
  });

  it('is 503 while the CRM database is unreachable: its store and its LISTEN connection, nothing else', async () => {
    const down = await whileCutOff('crm', ['crmStore', 'changeListener']);
    assert.deepEqual(down.checks.changeListener!.detail, { connections: 2, connected: 1 });
    assert.match(down.checks.crmStore!.detail!.error!, /^[0-9A-Z]{5}$|^E[A-Z]+$|^no answer/, 'a code, never a message naming the host');
  });

  it('is 503 while the integration database is unreachable: its store and the job engine, whose workers cannot fetch jobs', async () => {
    const down = await whileCutOff('integration', ['integrationStore', 'jobEngine']);
    assert.ok(down.checks.jobEngine!.detail!.failing!.length > 0, JSON.stringify(down.checks.jobEngine));
  });

  it('is 503 when the job engine has stopped', async () => {
    await gateway.services.queue.stop();
    const now = await readiness();
    assert.equal(now.status, 503);
    assert.equal(now.checks.jobEngine!.ready, false);
  });
});

describe('a readiness check that gets no answer', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  before(async () => {
    // Accepts connections and never answers, as a hung server or a black-holed route does.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('counts as not ready after the route timeout, whatever the check would wait', async () => {
    const url = `postgres://postgres@127.0.0.1:${(silent.address() as AddressInfo).port}/none`;
    const probes = new StoreProbes({ erp: url, crm: url, integration: url }, 60_000);
    const app = express();
    app.get('/readyz', readinessRoute([storeCheck(probes, 'erp')], 300));
    const http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/readyz`);
      assert.equal(response.status, 503);
      assert.deepEqual(((await response.json()) as Readiness).checks.erpStore, { ready: false, detail: { error: 'no answer within 300 ms' } });
    } finally {
      http.close();
      for (const socket of sockets) socket.destroy();
      await probes.close();
    }
  });
});
