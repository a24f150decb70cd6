import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { print } from 'graphql';
import { Client } from 'pg';
import { Role } from '../src/auth/role';
import { TokenService } from '../src/auth/tokens';
import { exited } from './support/full-sync-outcome';
import { CustomersPageDocument } from './generated/operations';
import { spawnDemoGateway, waitForOutput } from './support/processes';
import { eventually } from './support/subscriptions';
import { lockTable } from './support/table-lock';
import { createTestDatabase } from './support/test-gateway';

/*
 * A connection that drops without a word from the server (a network cut, a killed backend) while a
 * read's statement runs: pg reports it to the query and also as an error event on the connection,
 * which must not end the gateway. The gateway reaches PostgreSQL through a TCP relay the test cuts.
 */

/** A TCP relay to `target` whose connections can all be cut at once. */
async function relayTo(target: URL): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const keep = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((inbound) => {
    const outbound = connect(Number(target.port || 5432), target.hostname);
    keep(inbound);
    keep(outbound);
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => sockets.forEach((socket) => socket.destroy()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('reads over connections that drop', () => {
  const secret = randomBytes(32).toString('hex');
  const viewer = new TokenService(secret).issue('lost-read-test', [Role.VIEWER]);
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let relay: Awaited<ReturnType<typeof relayTo>>;
  let gateway: ChildProcess;
  let url: string;

  before(async () => {
    database = await createTestDatabase('lost_read');
    relay = await relayTo(new URL(database.url));
    const relayed = new URL(database.url);
    relayed.hostname = '127.0.0.1';
    relayed.port = String(relay.port);
    gateway = spawnDemoGateway(relayed.toString(), secret);
    [, url] = (await waitForOutput(gateway, /"url":"(http:[^"]+)"/, 120_000)) as unknown as [string, string];
    const readyz = url.replace(/\/graphql$/, '/readyz');
    await eventually(async () => ((await fetch(readyz)).status === 200 ? true : undefined), 60_000, '/readyz to answer 200');
  });
  after(async () => {
    if (gateway.exitCode === null) {
      gateway.kill('SIGKILL');
      await exited(gateway);
    }
    relay.cut();
    await relay.close();
    await database.drop();
  });

  const page = async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}` },
      body: JSON.stringify({ query: print(CustomersPageDocument), variables: { first: 5 } }),
    });
    return (await response.json()) as { data?: { customers?: { totalCount: number } } | null; errors?: Array<{ extensions?: { code?: string } }> };
  };

  it('answers the read that lost its connection with an error, stays up, and answers the next one', async () => {
    const before = await page();
    assert.equal(before.errors, undefined, JSON.stringify(before.errors));
    const total = before.data!.customers!.totalCount;

    // The page's statement waits behind this lock, so it is running when the relay is cut.
    const lock = await lockTable(database.url, 'integration.integration_record');
    const watcher = new Client({ connectionString: database.url });
    await watcher.connect();
    try {
      const answer = page();
      let waiting: string[] = [];
      await eventually(
        async () => {
          const { rows } = await watcher.query<{ query: string }>(`SELECT query FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [database.name]);
          waiting = rows.map((row) => row.query);
          return waiting.some((query) => query.startsWith('WITH p0 AS MATERIALIZED')) ? true : undefined;
        },
        30_000,
        () => `the page's statement to wait for the lock (waiting: ${JSON.stringify(waiting)})`,
      );
      relay.cut();
      const lost = await answer;
      assert.ok(lost.errors && lost.errors.length > 0, 'the read whose connection dropped answers with an error');
    } finally {
      await Promise.all([lock.release(), watcher.end()]);
    }

    assert.equal(gateway.exitCode, null, 'the gateway process is still running');
    const again = await eventually(
      async () => {
        const next = await page();
        return next.errors === undefined ? next : undefined;
      },
      30_000,
      'a read to be answered again',
    );
    assert.equal(again.data!.customers!.totalCount, total);
    assert.equal(gateway.exitCode, null, 'the gateway process is still running');
  });
});
