import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Role } from '../src/auth/role';
import { TokenService } from '../src/auth/tokens';
import { FullSyncProgressDocument } from './generated/operations';
import { subscribe, within, wsClient } from './support/subscriptions';
import { waitForOutput } from './support/processes';
import { createTestDatabase } from './support/test-gateway';

const DIST = path.join(__dirname, '..');

/** Two gateway processes without workers and one stand-alone worker, on one database. */
describe('progress reaches subscribers of every gateway process', () => {
  const secret = randomBytes(32).toString('hex');
  const tokens = new TokenService(secret);
  const processes: ChildProcess[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const urls: string[] = [];

  const start = (script: string, extra: Record<string, string>) => {
    const child = spawn(process.execPath, [path.join(DIST, script)], {
      env: { ...process.env, DATABASE_URL: database.url, AUTH_JWT_SECRET: secret, DEMO_CUSTOMERS: '30', IN_PROCESS_WORKER: 'false', NODE_ENV: 'test', ...extra },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    processes.push(child);
    return child;
  };

  before(async () => {
    database = await createTestDatabase('processes');
    for (let i = 0; i < 2; i += 1) {
      // One after the other: the first seeds the demo company, the second finds it.
      const [, url] = (await waitForOutput(start('src/demo/demo.main.js', { PORT: '0' }), /ready at (http:\S+)/)) as unknown as [string, string];
      urls.push(url);
    }
    await waitForOutput(start('src/server/worker.main.js', { SYNC_CHUNK_SIZE: '10', WORKER_POLL_SECONDS: '1' }), /Worker \d+ started/);
  });

  after(async () => {
    for (const child of processes) child.kill('SIGTERM');
    await Promise.all(processes.map((child) => (child.exitCode !== null ? null : new Promise((resolve) => child.once('exit', resolve)))));
    await database?.drop();
  });

  it('a run started through one gateway streams to subscribers of both, through to its final event', async () => {
    const response = await fetch(urls[0]!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.issue('admin', [Role.ADMIN])}` },
      body: JSON.stringify({ query: 'mutation { startFullSync { id } }' }),
    });
    const started = (await response.json()) as { data: { startFullSync: { id: string } } };
    const runId = started.data.startFullSync.id;
    const viewer = tokens.issue('viewer', [Role.VIEWER]);
    const clients = urls.map((url) => wsClient(url.replace('http:', 'ws:'), viewer));
    try {
      const streams = clients.map((client) => subscribe(client, FullSyncProgressDocument, { runId }).completed);
      const [first, second] = await within(Promise.all(streams), 120_000, 'both subscribers to see the run finish');
      for (const events of [first!, second!]) {
        const kinds = events.map((e) => e.data?.fullSyncProgress.kind);
        assert.equal(kinds[0], 'SNAPSHOT');
        assert.ok(kinds.includes('PROGRESS') || kinds.includes('STATE'), `live events arrived, not only the snapshot: ${kinds.join(' ')}`);
        const last = events[events.length - 1]!.data!.fullSyncProgress;
        assert.deepEqual([last.kind, last.run?.id, last.run?.status], ['FINISHED', runId, 'SUCCEEDED']);
      }
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });
});
