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

/** A demo gateway of the enclosing describe's own (started before its tests, killed after), and a viewer's token for it. */
function gatewayForTests(tag: string, env: NodeJS.ProcessEnv = {}) {
  const secret = randomBytes(32).toString('hex');
  const handle = { gateway: undefined as unknown as ChildProcess, url: '', viewer: new TokenService(secret).issue(`${tag}-test`, [Role.VIEWER]) };
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => {
    database = await createTestDatabase(tag.replace(/-/g, '_'));
    handle.gateway = spawnDemoGateway(database.url, secret, env);
    [, handle.url] = (await waitForOutput(handle.gateway, /"url":"(http:[^"]+)"/, 120_000)) as unknown as [string, string];
  });
  after(async () => {
    handle.gateway.kill('SIGKILL');
    await exited(handle.gateway);
    await database.drop();
  });
  return handle;
}

/** Sends one operation per id, CONCURRENCY at a time, each id as its x-request-id; the statuses answered. */
async function sendOperations(test: ReturnType<typeof gatewayForTests>, ids: readonly string[]): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const send = async () => {
    while (next < ids.length) {
      const reqId = ids[next++]!;
      const response = await fetch(test.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${test.viewer}`, 'x-request-id': reqId },
        body: JSON.stringify({ query: 'query Paused { customers(first: 1) { totalCount } }' }),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, send));
  return statuses;
}

/** Sends OPERATIONS operations while the gateway's stdout is not read, asserts each was answered, and reads again. */
async function sendWhileUnread(test: ReturnType<typeof gatewayForTests>, prefix: string): Promise<{ output: ReturnType<typeof collectOutput>; ids: string[] }> {
  const output = collectOutput(test.gateway);
  test.gateway.stdout!.pause();
  const ids = Array.from({ length: OPERATIONS }, (_, index) => `${prefix}${index}`);
  const statuses = await sendOperations(test, ids);
  assert.deepEqual(
    statuses.filter((status) => status !== 200),
    [],
  );
  test.gateway.stdout!.resume();
  return { output, ids };
}

/** The request ids of the operation lines logged so far that start with `prefix`, each line parsed whole. */
function loggedIds(output: ReturnType<typeof collectOutput>, prefix: string): string[] {
  return output
    .lines()
    .map((line) => (JSON.parse(line) as { reqId?: string }).reqId)
    .filter((reqId): reqId is string => reqId?.startsWith(prefix) ?? false);
}

/**
 * A log collector that stops reading (back-pressure, a stalled shipper) fills the stdout pipe.
 * The gateway must go on answering, and once the collector reads again, every line must arrive,
 * whole and once.
 */
describe('a gateway whose log reader pauses', () => {
  const test = gatewayForTests('paused-log');

  it('answers every operation, and its log has each one line once the reader resumes', { timeout: 120_000 }, async () => {
    const { output, ids } = await sendWhileUnread(test, 'paused-log-');
    const logged = () => loggedIds(output, 'paused-log-');
    await eventually(async () => (logged().length >= OPERATIONS ? true : undefined), 30_000, 'every operation line');
    assert.deepEqual(logged().sort(), [...ids].sort());
  });

  it('goes on answering once the log reader has gone away (a broken pipe)', { timeout: 120_000 }, async () => {
    test.gateway.stdout!.destroy();
    for (let index = 0; index < 200; index += 1) {
      const response = await fetch(test.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${test.viewer}` },
        body: JSON.stringify({ query: 'query Closed { customers(first: 1) { totalCount } }' }),
      });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
    assert.equal(test.gateway.exitCode, null, 'the gateway is still running');
  });
});

/**
 * A collector stalled for longer: what it leaves unread waits in the gateway's memory only up to
 * LOG_BUFFER_BYTES. Past that, operation lines are dropped, and once the collector reads again a
 * warning says how many; every line that arrives is whole, and none twice.
 */
describe('a gateway whose log reader stalls past LOG_BUFFER_BYTES', () => {
  const test = gatewayForTests('stalled-log', { LOG_BUFFER_BYTES: '16384' });

  it('answers every operation, drops the lines past the limit and counts them', { timeout: 120_000 }, async () => {
    const { output } = await sendWhileUnread(test, 'stalled-log-');
    // What the gateway held arrives first, so that no line sent after the stall is dropped.
    let arrived = -1;
    await eventually(
      async () => {
        if (output.text().length === arrived) return true;
        arrived = output.text().length;
        await new Promise((resolve) => setTimeout(resolve, 250));
        return undefined;
      },
      30_000,
      'the lines held while the reader stalled',
    );
    // A count is written before the next lines the gateway writes (one per stretch of drops, so
    // while the reader stalls there can be several): operations go on until every one is counted.
    const warnings = () =>
      output
        .lines()
        .filter((line) => line.includes('"droppedLines"'))
        .map((line) => JSON.parse(line) as { droppedLines: number; level: string });
    const droppedLines = () => warnings().reduce((sum, warning) => sum + warning.droppedLines, 0);
    let more = 0;
    await eventually(
      async () => {
        await sendOperations(test, [`after-stall-${more++}`]);
        return loggedIds(output, 'stalled-log-').length + droppedLines() >= OPERATIONS ? true : undefined;
      },
      30_000,
      'every operation logged or counted as dropped',
    );
    assert.deepEqual(new Set(warnings().map((warning) => warning.level)), new Set(['warn']));
    const logged = loggedIds(output, 'stalled-log-');
    assert.equal(new Set(logged).size, logged.length, 'no line twice');
    assert.ok(droppedLines() > 0, 'lines past the limit are dropped');
    assert.equal(logged.length + droppedLines(), OPERATIONS, 'every operation is either logged or counted as dropped');
  });
});
