import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { waitForOutput } from './support/processes';
import { eventually } from './support/subscriptions';
import { createTestDatabase } from './support/test-gateway';

describe('the gateway process', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let gateway: ChildProcess;
  let url: string;
  let viewerToken: string;

  before(async () => {
    database = await createTestDatabase('process');
    gateway = spawn(process.execPath, [path.join(__dirname, '..', 'src', 'demo', 'demo.main.js')], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: '0', DEMO_CUSTOMERS: '25', AUTH_JWT_SECRET: '', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tokens = waitForOutput(gateway, /viewer\s+(\S+)/);
    [, url] = (await waitForOutput(gateway, /ready at (http:\S+)/)) as unknown as [string, string];
    [, viewerToken] = (await tokens) as unknown as [string, string];
  });
  after(async () => {
    if (gateway.exitCode === null) gateway.kill('SIGKILL');
    await database.drop();
  });

  it('migrates and seeds an empty database on start, and prints a token per role that works', async () => {
    // The index of the demo company catches up in the background; /readyz says when it is complete.
    const readyz = url.replace(/\/graphql$/, '/readyz');
    await eventually(async () => ((await fetch(readyz)).status === 200 ? true : undefined), 60_000, '/readyz to answer 200');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewerToken}` },
      body: JSON.stringify({ query: '{ customers(first: 5) { totalCount edges { node { name } } } }' }),
    });
    const body = (await response.json()) as { data: { customers: { totalCount: number; edges: unknown[] } } };
    assert.equal(body.data.customers.edges.length, 5);
    assert.ok(body.data.customers.totalCount >= 25);
  });

  it('on SIGTERM closes WebSocket clients, stops and exits with 0', async () => {
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${viewerToken}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => {},
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.on('connected', () => gateway.kill('SIGTERM'));
    });
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
    assert.equal(await exited, 0);
    assert.equal(await closed, 1001, 'the socket is closed as "going away"');
  });
});
