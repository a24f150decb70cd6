import { randomUUID } from 'node:crypto';
import { BusinessCentralClient } from '../src/connectors/business-central/business-central.client';
import { DataverseClient } from '../src/connectors/dataverse/dataverse.client';
import type { BudgetLimits } from '../src/connectors/web-api/request-budget';
import type { TransportStats } from '../src/connectors/web-api/web-api-transport';
import { BusinessCentralEmulator } from '../emulators/business-central/business-central.emulator';
import { DataverseEmulator } from '../emulators/dataverse/dataverse.emulator';
import type { ServerLimits } from '../emulators/shared/server-limits';
import { databaseUrl, findDatabaseServer, withAdminClient } from '../test/support/database-server';
import { credentialsFor, testAppRegistration } from '../test/support/emulated-products';
import { loadAverage, machine, runBench, writeResults } from './bench-support';

const RECORDS = Number(process.env.BENCH_CONNECTOR_RECORDS ?? 10_000);
const RUNS = Number(process.env.BENCH_CONNECTOR_RUNS ?? 2);
/** The tight budget of the issue: 2 at once, 300 requests a minute, on both sides of the wire. */
const SERVER_LIMITS: ServerLimits = { maxRequests: 300, windowMs: 60_000, maxConcurrent: 2, maxQueued: 0, queueTimeoutMs: 0 };
const CLIENT_LIMITS: BudgetLimits = { maxRequests: 300, windowMs: 60_000, maxConcurrent: 2 };

interface Phase {
  readonly product: string;
  readonly phase: string;
  readonly records: number;
  readonly seconds: number;
  readonly requests: number;
  readonly refused: number;
  readonly peakInWindow: number;
}

async function timed(work: () => Promise<number>): Promise<{ records: number; seconds: number }> {
  const started = performance.now();
  const records = await work();
  return { records, seconds: (performance.now() - started) / 1000 };
}

function phase(product: string, name: string, result: { records: number; seconds: number }, before: TransportStats, after: TransportStats, peakInWindow: number): Phase {
  return { product, phase: name, ...result, requests: after.sent - before.sent, refused: after.refused - before.refused, peakInWindow };
}

async function dataverse(url: string): Promise<Phase[]> {
  const app = testAppRegistration();
  const emulator = await DataverseEmulator.start({ databaseUrl: url, clients: [app], limits: SERVER_LIMITS });
  try {
    const client = new DataverseClient({ environmentUrl: emulator.url, credentials: credentialsFor(app, emulator.url), limits: CLIENT_LIMITS });
    const s0 = client.transport.stats();
    const write = await timed(async () => {
      const changeSets = Array.from({ length: RECORDS }, (_, i) => [
        { method: 'PATCH' as const, entitySet: 'accounts', id: randomUUID(), record: { name: `Account ${i}`, accountnumber: `A${i}` } },
      ]);
      const results = await client.writeChangeSets(changeSets);
      if (!results.every((r) => r.ok)) throw new Error('a change set failed');
      return results.length;
    });
    const s1 = client.transport.stats();
    const read = await timed(async () => {
      let rows = 0;
      for await (const page of client.changes('accounts', { select: ['name', 'accountnumber'] })) rows += page.upserted.length;
      return rows;
    });
    const s2 = client.transport.stats();
    if (read.records !== RECORDS) throw new Error(`read ${read.records} of ${RECORDS}`);
    return [
      phase('Dataverse', 'write (upserts by key, $batch of 1,000)', write, s0, s1, emulator.limiter.stats.maxInWindow),
      phase('Dataverse', 'initial load (change tracking)', read, s1, s2, emulator.limiter.stats.maxInWindow),
    ];
  } finally {
    await emulator.stop();
  }
}

async function businessCentral(url: string): Promise<Phase[]> {
  const app = testAppRegistration();
  const emulator = await BusinessCentralEmulator.start({ databaseUrl: url, clients: [app], tenantId: app.tenantId, limits: SERVER_LIMITS });
  try {
    const client = new BusinessCentralClient({ apiUrl: emulator.apiUrl, companyId: emulator.companyId, credentials: credentialsFor(app, emulator.url), limits: CLIENT_LIMITS });
    const s0 = client.transport.stats();
    const write = await timed(async () => {
      const results = await client.createMany(
        'customers',
        Array.from({ length: RECORDS }, (_, i) => ({ number: `C${String(i).padStart(6, '0')}`, displayName: `Customer ${i}` })),
        'number',
      );
      if (!results.every((r) => r.ok)) throw new Error('a create failed');
      return results.length;
    });
    const s1 = client.transport.stats();
    const read = await timed(async () => {
      let rows = 0;
      for await (const page of client.changesSince('customers', null, { select: ['number', 'displayName'] })) rows += page.length;
      return rows;
    });
    const s2 = client.transport.stats();
    if (read.records !== RECORDS) throw new Error(`read ${read.records} of ${RECORDS}`);
    return [
      phase('Business Central', 'write (idempotent creates by number, $batch of 100)', write, s0, s1, emulator.limiter.stats.maxInWindow),
      phase('Business Central', 'initial load (lastModifiedDateTime order)', read, s1, s2, emulator.limiter.stats.maxInWindow),
    ];
  } finally {
    await emulator.stop();
  }
}

/** Writes, then loads, RECORDS records through each emulator under the tight budget, RUNS times. */
runBench(async () => {
  const server = await findDatabaseServer();
  const phases: Phase[] = [];
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      for (const product of [dataverse, businessCentral]) {
        const name = `bench_connectors_${randomUUID().slice(0, 8)}`;
        await withAdminClient(server.url, (admin) => admin.query(`CREATE DATABASE ${name}`));
        try {
          const measured = await product(databaseUrl(server.url, name));
          for (const p of measured)
            console.log(`run ${run} ${p.product} ${p.phase}: ${p.records} records in ${p.seconds.toFixed(1)} s, ${p.requests} requests, ${p.refused} refused`);
          phases.push(...measured);
        } finally {
          await withAdminClient(server.url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        }
      }
    }
  } finally {
    await server.embedded?.stop();
  }
  const rows = phases.map(
    (p) =>
      `| ${p.product} | ${p.phase} | ${p.records.toLocaleString('en')} | ${p.seconds.toFixed(1)} | ${Math.round(p.records / p.seconds).toLocaleString('en')} | ${p.requests} | ${p.refused} | ${p.peakInWindow} |`,
  );
  await writeResults(
    'Connectors: 10,000 records through each emulator under a tight budget',
    [
      `\`npm run bench:connectors\` — ${machine()}, load average ${loadAverage()} at the end (the machine is shared).`,
      '',
      `Budget, enforced by the emulator and kept by the client: ${SERVER_LIMITS.maxConcurrent} requests at once, ${SERVER_LIMITS.maxRequests} per ${SERVER_LIMITS.windowMs / 1000} s sliding window per user. Each run writes ${RECORDS.toLocaleString('en')} records through the API, then reads them all back as a mirror's initial load. "peak in window" is the most requests the emulator admitted within one window during the run (the budget is ${SERVER_LIMITS.maxRequests}).`,
      '',
      '| product | phase | records | seconds | records/s | requests | refused (429) | peak in window |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'),
  );
});
