import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TokenService } from '../src/auth/tokens';
import { Role } from '../src/auth/role';
import { logger, operationLogger, setLogLevel, type LogLevel } from '../src/observability/logger';
import { exited } from './support/full-sync-outcome';
import { collectOutput, spawnDemoGateway, waitForOutput } from './support/processes';
import { eventually } from './support/subscriptions';
import { createTestDatabase } from './support/test-gateway';

interface LogLine {
  level: string;
  time: string;
  msg: string;
  [field: string]: unknown;
}

/** The gateway process in production, as an operator runs it: its stdout is its log. */
describe('the log of a gateway process', () => {
  const secret = randomBytes(32).toString('hex');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let gateway: ChildProcess;
  let output: ReturnType<typeof collectOutput>;
  let url: string;
  let password: string;
  const viewer = new TokenService(secret).issue('log-test', [Role.VIEWER]);

  before(async () => {
    database = await createTestDatabase('logs');
    // A password in the URL (the local test server trusts any; an embedded one has its own).
    const databaseUrl = new URL(database.url);
    if (!databaseUrl.password) databaseUrl.password = `pw-${randomBytes(8).toString('hex')}`;
    password = databaseUrl.password;
    gateway = spawnDemoGateway(databaseUrl.toString(), secret);
    output = collectOutput(gateway);
    [, url] = (await waitForOutput(gateway, /"url":"(http:[^"]+)"/, 120_000)) as unknown as [string, string];
  });
  after(async () => {
    gateway.kill('SIGKILL');
    await exited(gateway);
    await database.drop();
  });

  const post = (body: object, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  const lines = (): LogLine[] => output.lines().map((line) => JSON.parse(line) as LogLine);
  const operationLine = (reqId: string) =>
    eventually(
      async () =>
        lines()
          .filter((line) => line.reqId === reqId && line.msg === 'graphql operation')
          .at(0),
      10_000,
      `the log line of ${reqId}`,
    );

  it('has one JSON line per operation with its request id, name, type, role, duration and outcome', async () => {
    const response = await post(
      { query: 'query Page { customers(first: 2) { totalCount } }', operationName: 'Page' },
      { authorization: `Bearer ${viewer}`, 'x-request-id': 'log-test-1' },
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'log-test-1', 'the request id is echoed');
    assert.equal(response.headers.get('x-powered-by'), null);
    const line = await operationLine('log-test-1');
    assert.equal(line.level, 'info');
    assert.equal(line.operation, 'Page');
    assert.equal(line.type, 'query');
    assert.equal(line.role, 'viewer');
    assert.equal(line.outcome, 'ok');
    assert.equal(typeof line.durationMs, 'number');
    assert.ok(!Number.isNaN(Date.parse(line.time)));
    assert.equal(lines().filter((l) => l.reqId === 'log-test-1').length, 1, 'exactly one line for the operation');
  });

  it('carries the error codes of a failed operation, and gives a request without an id one of its own', async () => {
    const response = await post({ query: 'query Anonymous { customers(first: 2) { totalCount } }' });
    const reqId = response.headers.get('x-request-id');
    assert.match(reqId ?? '', /^[0-9a-f-]{36}$/);
    const line = await operationLine(reqId!);
    assert.equal(line.role, 'anonymous');
    assert.equal(line.outcome, 'error');
    assert.deepEqual(line.errorCodes, ['UNAUTHENTICATED']);
  });

  it('is JSON on every line, and shows no password, token secret or bearer token', async () => {
    await post({ query: '{ customers(first: 1) { totalCount } }' }, { authorization: `Bearer ${viewer}`, 'x-request-id': 'log-test-3' });
    await operationLine('log-test-3');
    const all = output.lines();
    assert.ok(all.length >= 4);
    for (const line of all) {
      const parsed = JSON.parse(line) as LogLine;
      assert.equal(typeof parsed.level, 'string');
      assert.equal(typeof parsed.msg, 'string');
    }
    const text = output.text();
    assert.ok(!text.includes(password), 'the database password');
    assert.ok(!text.includes(secret), 'the token secret');
    assert.ok(!text.includes(viewer), 'a bearer token');
    assert.ok(
      lines().some((line) => line.msg === 'gateway ready'),
      'the start-up line',
    );
  });
});

describe('the operation log', () => {
  it('follows the process log level (LOG_LEVEL)', () => {
    const level = logger.level as LogLevel;
    try {
      setLogLevel('warn');
      assert.equal(operationLogger.isLevelEnabled('info'), false);
      setLogLevel('debug');
      assert.equal(operationLogger.isLevelEnabled('debug'), true);
    } finally {
      setLogLevel(level);
    }
  });
});
