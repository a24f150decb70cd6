import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { print } from 'graphql';
import { Role } from '../src/auth/role';
import { TokenService } from '../src/auth/tokens';
import { closeStores, openStores } from '../src/db/data-sources';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/db/embedded-postgres';
import { seedDemoCompany } from '../src/demo/demo-company.generator';
import { installStandardMappings } from '../src/mappings/mapping-installer';
import { createServices, startWorker } from '../src/server/bootstrap';
import { databaseUrl, withAdminClient } from './support/database-server';
import { catchUpIndex, duplicatedRecords, exited, finished, GATEWAY_MAIN, outcome, progress, queryWhenUp } from './support/full-sync-outcome';
import { CustomersPageDocument, StartFullSyncDocument } from './generated/operations';
import { collectOutput, waitForOutput } from './support/processes';
import { eventually } from './support/subscriptions';
import { TEST_WORKER } from './support/test-gateway';

const CHUNK = 60;
/** The readiness checks that need the database (the read model's catch-up, once complete, stays so). */
const DATABASE_CHECKS = ['erpStore', 'crmStore', 'integrationStore', 'jobEngine', 'changeListener'];
const SECRET = randomBytes(32).toString('hex');

/**
 * PostgreSQL restarted (a clean stop, as an upgrade or a failover does, then a start) while a
 * gateway process runs a full synchronisation with its in-process worker. The test owns the
 * server: an embedded PostgreSQL of its own, stopped and started on the same port and data.
 */
describe('a PostgreSQL restart during a full synchronisation', () => {
  const dataDir = path.join(process.cwd(), '.data', `restart-${randomBytes(4).toString('hex')}`);
  let server: EmbeddedPostgresHandle | null = null;
  let gateway: ChildProcess | null = null;
  after(async () => {
    if (gateway && gateway.exitCode === null) {
      gateway.kill('SIGKILL');
      await exited(gateway);
    }
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves the gateway up, not ready while the server is down, and the run resumes by itself and ends as an uninterrupted one', async () => {
    server = await startEmbeddedPostgres(dataDir, null);
    const port = Number(new URL(server.url).port);
    await withAdminClient(server.url, async (client) => {
      await client.query('CREATE DATABASE restart_data');
    });
    const dataUrl = databaseUrl(server.url, 'restart_data');
    const seeding = await openStores({ erp: dataUrl, crm: dataUrl, integration: dataUrl }, { poolSize: 4 });
    await installStandardMappings(seeding.integration);
    await seedDemoCompany(seeding, { customers: 300, seed: 5 });
    await closeStores(seeding);
    await withAdminClient(server.url, (client) => client.query('CREATE DATABASE restart_reference TEMPLATE restart_data'));
    const referenceUrl = databaseUrl(server.url, 'restart_reference');

    // The uninterrupted run, with what the gateway runs beside it: the read-model follower (its
    // catch-up first, then following both systems' changes) and an in-process worker.
    const calm = await openStores({ erp: referenceUrl, crm: referenceUrl, integration: referenceUrl }, { poolSize: 4 });
    const calmServices = createServices(calm, SECRET, { runsWorker: true, syncChunkSize: CHUNK });
    await calmServices.readModel.start();
    await calmServices.readModel.whenComplete();
    const calmWorker = await startWorker(calmServices, TEST_WORKER);
    const calmRun = await calmServices.fullSync.start('reference');
    assert.equal(await finished(referenceUrl, calmRun.id, 180_000), 'SUCCEEDED');
    await calmWorker.stop();
    await calmServices.close();
    await closeStores(calm);
    await catchUpIndex(referenceUrl);
    const expected = await outcome(referenceUrl);
    const total = (await progress(referenceUrl, calmRun.id))!.processed;

    gateway = spawn(process.execPath, [GATEWAY_MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: dataUrl,
        AUTH_JWT_SECRET: SECRET,
        NODE_ENV: 'production',
        PORT: '0',
        SYNC_CHUNK_SIZE: String(CHUNK),
        WORKER_POLL_SECONDS: '1',
        WORKER_HOUSEKEEPING_MS: '300',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output = collectOutput(gateway);
    const [, url] = (await waitForOutput(gateway, /"url":"(http:[^"]+)"/, 120_000)) as unknown as [string, string];
    const readyz = url.replace(/\/graphql$/, '/readyz');
    const readiness = async () => {
      const response = await fetch(readyz);
      return { status: response.status, checks: ((await response.json()) as { checks: Record<string, { ready: boolean }> }).checks };
    };
    const tokens = new TokenService(SECRET);
    const request = async (document: typeof StartFullSyncDocument | typeof CustomersPageDocument, variables: object, role: Role) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.issue('restart-test', [role])}` },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return (await response.json()) as { data?: Record<string, { id?: string; totalCount?: number }>; errors?: unknown[] };
    };
    const started = await request(StartFullSyncDocument, {}, Role.ADMIN);
    assert.equal(started.errors, undefined, JSON.stringify(started.errors));
    const runId = started.data!.startFullSync!.id!;

    // Twice, at two points of the run: each restart ends every connection the gateway holds.
    const restartsAt: number[] = [];
    for (const share of [0.2, 0.55]) {
      const reached = await eventually(
        async () => {
          const now = await progress(dataUrl, runId);
          return now && (now.done || now.processed >= share * total) ? now : undefined;
        },
        180_000,
        `the run to pass ${share * 100} %`,
      );
      if (reached.done) break;
      await server.stop();
      // While the server is down, every check that needs it goes red, each on its own.
      const down = await eventually(
        async () => {
          const now = await readiness();
          return DATABASE_CHECKS.every((check) => now.checks[check]?.ready === false) ? now : undefined;
        },
        30_000,
        '/readyz to report the database checks down',
      );
      assert.equal(down.status, 503);
      assert.equal(down.checks.readModel!.ready, true, 'the catch-up stays complete');
      server = await startEmbeddedPostgres(dataDir, port);
      await eventually(async () => ((await readiness()).status === 200 ? true : undefined), 60_000, '/readyz to answer 200 again');
      restartsAt.push(reached.processed);
    }
    assert.equal(restartsAt.length, 2, 'the run ended before both restarts; it is too short to test');

    assert.equal(await finished(dataUrl, runId, 180_000), 'SUCCEEDED');
    assert.equal(gateway.exitCode, null, 'the gateway process is still running');
    const answer = await eventually(
      async () => {
        const page = await request(CustomersPageDocument, { first: 5 }, Role.VIEWER).catch(() => undefined);
        return page && !page.errors ? page : undefined;
      },
      30_000,
      'the gateway to answer queries again',
    );
    assert.ok(answer.data!.customers!.totalCount! > 0);
    // The run's status is written before its handler returns and the queue marks the job completed.
    await eventually(
      async () => {
        const rows = await queryWhenUp<{ n: number }>(dataUrl, `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'full-sync-job' AND state < 'completed'`);
        return rows?.[0]!.n === 0 ? true : undefined;
      },
      30_000,
      'no queue job to be left behind',
    );

    // Stopped the polite way, its follower with it; then both indexes are caught up alike.
    gateway.kill('SIGTERM');
    await exited(gateway);
    assert.equal(gateway.exitCode, 0, 'the gateway stops cleanly after the restarts');
    await catchUpIndex(dataUrl);
    assert.deepEqual(await duplicatedRecords(dataUrl), {}, 'no record is written twice in either system');
    assert.deepEqual(await outcome(dataUrl), expected, `restarted at ${restartsAt.join(' and ')} of ${total} records`);
    // Survived because every failure was handled, not because a last-resort handler swallowed one.
    assert.doesNotMatch(output.text(), /unhandled promise rejection/);
    // The many errors of the outage are logged without the connection they came on (its parameters, the cancel key).
    assert.doesNotMatch(output.text(), /"secretKey"|"connectionParameters"/);
  });
});
