import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Role } from '../src/auth/role';
import { TokenService } from '../src/auth/tokens';
import { exited } from './support/full-sync-outcome';
import { collectOutput, spawnDemoGateway, waitForOutput } from './support/processes';
import { eventually } from './support/subscriptions';
import { createTestDatabase } from './support/test-gateway';

/** Operations sent while the log's reader is paused: their lines are several times a pipe's 64 KiB. */
const OPERATIONS = 1_000;
const CONCURRENCY = 10;

/**
 * A log collector that stops reading (back-pressure, a stalled shipper) fills the stdout pipe.
 * The gateway must go on answering, and once the collector reads again, every line must arrive,
 * whole and once.
 */
describe('a gateway whose log reader pauses', () => {
  const secret = randomBytes(32).toString('hex');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let gateway: ChildProcess;
  let url: string;
  const viewer = new TokenService(secret).issue('paused-log-test', [Role.VIEWER]);

  before(async () => {
    database = await createTestDatabase('paused_log');
    gateway = spawnDemoGateway(database.url, secret);
    [, url] = (await waitForOutput(gateway, /"url":"(http:[^"]+)"/, 120_000)) as unknown as [string, string];
  });
  after(async () => {
    gateway.kill('SIGKILL');
    await exited(gateway);
    await database.drop();
  });

  it('answers every operation, and its log has each one line once the reader resumes', { timeout: 120_000 }, async () => {
    const output = collectOutput(gateway);
    gateway.stdout!.pause();
    const ids = Array.from({ length: OPERATIONS }, (_, index) => `paused-log-${index}`);
    const statuses: number[] = [];
    let next = 0;
    const send = async () => {
      while (next < ids.length) {
        const reqId = ids[next++]!;
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}`, 'x-request-id': reqId },
          body: JSON.stringify({ query: 'query Paused { customers(first: 1) { totalCount } }' }),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, send));
    assert.deepEqual(
      statuses.filter((status) => status !== 200),
      [],
    );

    gateway.stdout!.resume();
    const logged = () =>
      output
        .lines()
        .map((line) => (JSON.parse(line) as { reqId?: string }).reqId)
        .filter((reqId) => reqId?.startsWith('paused-log-'));
    await eventually(async () => (logged().length >= OPERATIONS ? true : undefined), 30_000, 'every operation line');
    assert.deepEqual(logged().sort(), [...ids].sort());
  });

  it('goes on answering once the log reader has gone away (a broken pipe)', { timeout: 120_000 }, async () => {
    gateway.stdout!.destroy();
    for (let index = 0; index < 200; index += 1) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}` },
        body: JSON.stringify({ query: 'query Closed { customers(first: 1) { totalCount } }' }),
      });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
    assert.equal(gateway.exitCode, null, 'the gateway is still running');
  });
});
