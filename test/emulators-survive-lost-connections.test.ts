import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { withAdminClient } from './support/database-server';
import { emulatorDatabase } from './support/emulated-products';
import { businessCentralWithClient, dataverseWithClient } from './support/emulated-systems';

/*
 * The emulated products stand in for Business Central and Dataverse in the demo and the tests. Their
 * idle database connections may be closed under them (a database restart, a test dropping its
 * database): that is an error event on an idle pooled connection, which must not end the process.
 * The next request opens another connection and is answered.
 */

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const terminateConnectionsTo = (url: string) =>
  withAdminClient(SERVER, (client) =>
    client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [new URL(url).pathname.slice(1)]),
  );

/** The request answered once the pool has let the closed connections go (a request sent before that fails, as on a real restart). */
async function answeredAgain<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= 50) throw error;
      await sleep(100);
    }
  }
}

const products = [
  {
    name: 'Business Central',
    start: async (databaseUrl: string) => {
      const { emulator, client } = await businessCentralWithClient(databaseUrl);
      return { emulator, read: () => client.get('customers', randomUUID()) };
    },
  },
  {
    name: 'Dataverse',
    start: async (databaseUrl: string) => {
      const { emulator, client } = await dataverseWithClient(databaseUrl);
      return { emulator, read: () => client.get('accounts', randomUUID()) };
    },
  },
];

for (const product of products) {
  describe(`the ${product.name} emulator`, () => {
    let database: Awaited<ReturnType<typeof emulatorDatabase>>;
    let running: Awaited<ReturnType<(typeof product)['start']>>;

    before(async () => {
      database = await emulatorDatabase(`lost_${product.name.replace(' ', '_')}`);
      running = await product.start(database.url);
    });
    after(async () => {
      await running?.emulator.stop();
      await database?.drop();
    });

    it('answers again after its idle database connections were closed under it', async () => {
      assert.equal(await running.read(), null);
      await terminateConnectionsTo(database.url);
      // Long enough for the closed connections' errors to arrive while they sit idle in the pool.
      await sleep(300);
      assert.equal(await answeredAgain(running.read), null);
    });
  });
}
