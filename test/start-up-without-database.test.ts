import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GATEWAY_MAIN } from './support/full-sync-outcome';
import { createTestDatabase } from './support/test-gateway';

const PASSWORD = 'start-up-secret-not-to-be-shown';

/** Starts the gateway process and waits for it to give up: its exit code and what it printed. */
function startGateway(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [GATEWAY_MAIN], {
    env: { ...process.env, PORT: '0', NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), DATABASE_CONNECT_TIMEOUT_SECONDS: '1', DATABASE_CONNECT_ATTEMPTS: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** The one fatal line a failed start-up prints, as JSON. */
function fatal(output: string): { msg: string } {
  const lines = output.split('\n').filter((line) => line.includes('"level":"fatal"'));
  assert.equal(lines.length, 1, `one fatal line, got:\n${output}`);
  assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  assert.ok(!output.includes(PASSWORD), 'the password is not shown');
  return JSON.parse(lines[0]!) as { msg: string };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('start-up when a store cannot be reached', () => {
  // Accepts TCP connections and never says a word, like a wedged server or a black-holing proxy.
  const silent = net.createServer(() => {});
  const held: net.Socket[] = [];
  silent.on('connection', (socket) => held.push(socket));
  before(() => new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve)));
  after(() => {
    for (const socket of held) socket.destroy();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('gives up on a server that accepts TCP but never answers, naming the store and the variable', async () => {
    const { port } = silent.address() as net.AddressInfo;
    const { code, output } = await startGateway({ DATABASE_URL: `postgres://gateway:${PASSWORD}@127.0.0.1:${port}/erp` });
    assert.equal(code, 1);
    const { msg } = fatal(output);
    assert.match(msg, /^Cannot connect to the ERP store at postgres:\/\/gateway:\*\*\*@127\.0\.0\.1:\d+\/erp: no answer within 1 s \(after 2 attempts\)\. Check DATABASE_URL\.$/);
  });

  it('says when nothing listens, after trying again', async () => {
    const { code, output } = await startGateway({ DATABASE_URL: `postgres://gateway:${PASSWORD}@127.0.0.1:${await freePort()}/erp` });
    assert.equal(code, 1);
    assert.match(fatal(output).msg, /ERP store .*connection refused.*\(after 2 attempts\)\. Check DATABASE_URL\.$/);
  });

  it('says at once when the database does not exist, naming the variable it came from', async () => {
    const database = await createTestDatabase('startup');
    try {
      const missing = new URL(database.url);
      missing.pathname = '/no_such_database_here';
      const { code, output } = await startGateway({ DATABASE_URL: database.url, CRM_DATABASE_URL: missing.toString() });
      assert.equal(code, 1);
      assert.match(fatal(output).msg, /^Cannot connect to the CRM store at .*\/no_such_database_here: the database does not exist\. Check CRM_DATABASE_URL\.$/);
    } finally {
      await database.drop();
    }
  });
});
