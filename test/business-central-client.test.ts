import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BusinessCentralClient, type BusinessCentralConnection } from '../src/connectors/business-central/business-central.client';
import { answerWebhook, notifiedRecord, type BcNotification } from '../src/connectors/business-central/webhook-receiver';
import { WebApiError } from '../src/connectors/web-api/web-api-error';
import { BusinessCentralEmulator, BC_DEFAULT_LIMITS } from '../emulators/business-central/business-central.emulator';
import type { RegisteredClient } from '../emulators/shared/identity';
import { credentialsFor, emulatorDatabase, ROOMY_BUDGET, testAppRegistration } from './support/emulated-products';
import { eventually } from './support/subscriptions';

/** A subscriber's notification URL: answers BC's handshake and collects notifications. */
async function notificationEndpoint(clientState: string): Promise<{ url: string; received: BcNotification[]; handshakes: number; close: () => Promise<void> }> {
  const state = { received: [] as BcNotification[], handshakes: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
      if (query.has('validationToken')) state.handshakes += 1;
      const answer = answerWebhook(query, Buffer.concat(chunks).toString('utf8'), clientState);
      state.received.push(...answer.notifications);
      response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bc-webhook`,
    received: state.received,
    get handshakes() {
      return state.handshakes;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('Business Central API v2.0 client against the Business Central emulator', () => {
  let database: { url: string; drop: () => Promise<void> };
  let emulator: BusinessCentralEmulator;
  let app: RegisteredClient;

  const client = (overrides: Partial<BusinessCentralConnection> = {}, as: RegisteredClient = app) =>
    new BusinessCentralClient({
      apiUrl: emulator.apiUrl,
      companyId: emulator.companyId,
      credentials: credentialsFor(as, emulator.url),
      limits: ROOMY_BUDGET,
      backoffMs: 5,
      ...overrides,
    });

  function freshApp(): RegisteredClient {
    const fresh = testAppRegistration();
    emulator.identity.register(fresh);
    return fresh;
  }

  before(async () => {
    database = await emulatorDatabase('business_central_client');
    app = testAppRegistration();
    emulator = await BusinessCentralEmulator.start({ databaseUrl: database.url, clients: [app], tenantId: app.tenantId, webhooks: { delayMs: 100, maxNotifications: 5 } });
  });

  after(async () => {
    await emulator.stop();
    await database.drop();
  });

  it('pages through customers and reads the changes since a time, oldest first', async () => {
    const bc = client();
    const created = await bc.createMany(
      'customers',
      Array.from({ length: 12 }, (_, i) => ({ number: `PG${String(i).padStart(3, '0')}`, displayName: `Paged ${i}` })),
      'number',
    );
    assert.ok(created.every((r) => r.ok && !r.existed));
    const pages: number[] = [];
    for await (const page of bc.list('customers', { select: ['number'], pageSize: 5 })) pages.push(page.length);
    assert.deepEqual(pages, [5, 5, 2]);

    const [first] = await bc.findBy('customers', 'number', ['PG003']);
    const changedAt = new Date();
    const updated = await bc.update('customers', String(first!.id), { displayName: 'Changed' }, String(first!['@odata.etag']));
    const changes: string[] = [];
    for await (const page of bc.changesSince('customers', changedAt, { overlapMs: 0, pageSize: 2 })) changes.push(...page.map((row) => String(row.number)));
    assert.deepEqual(changes, ['PG003']);
    assert.equal(updated.displayName, 'Changed');
    assert.ok((await bc.ids('customers')).has(String(first!.id)));
  });

  it('creates by number only once, however often it is asked', async () => {
    const bc = client();
    const first = await bc.createIdempotent('customers', { number: 'ONCE1', displayName: 'Once' }, 'number');
    const again = await bc.createIdempotent('customers', { number: 'once1', displayName: 'Once again' }, 'number');
    assert.equal(first.existed, false);
    assert.equal(again.existed, true);
    assert.equal(again.record.id, first.record.id);
    assert.equal((await bc.findBy('customers', 'number', ['ONCE1'])).length, 1);
  });

  it('writes nothing of an atomic batch when one request fails, and answers each request of a plain one', async () => {
    const bc = client();
    const { record: existing } = await bc.createIdempotent('customers', { number: 'BATCH0', displayName: 'Batch' }, 'number');
    const atomic = await bc.batch(
      [
        { method: 'POST', url: `companies(${emulator.companyId})/customers`, body: { number: 'ATOM1', displayName: 'Atomic 1' } },
        { method: 'PATCH', url: `companies(${emulator.companyId})/customers(${existing.id})`, body: { displayName: 'Stale' }, etag: 'W/"0"' },
      ],
      { atomic: true },
    );
    assert.deepEqual(
      atomic.map((r) => r.status),
      [424, 412],
    );
    assert.equal((await bc.findBy('customers', 'number', ['ATOM1'])).length, 0);
    const plain = await bc.batch([
      { method: 'POST', url: `companies(${emulator.companyId})/customers`, body: { number: 'PLAIN1' } },
      { method: 'POST', url: `companies(${emulator.companyId})/customers`, body: { number: 'PLAIN1' } },
    ]);
    assert.deepEqual(
      plain.map((r) => r.status),
      [201, 400],
    );
    await assert.rejects(bc.batch(Array.from({ length: 101 }, () => ({ method: 'DELETE' as const, url: 'x' }))), RangeError);
  });

  it('refuses an update of a version that changed since it was read (If-Match)', async () => {
    const bc = client();
    const { record } = await bc.createIdempotent('items', { number: 'ETAG1', displayName: 'Item' }, 'number');
    await bc.update('items', String(record.id), { displayName: 'Someone else' }, String(record['@odata.etag']));
    await assert.rejects(
      bc.update('items', String(record.id), { displayName: 'Mine' }, String(record['@odata.etag'])),
      (error: unknown) => error instanceof WebApiError && error.kind === 'etag-conflict',
    );
    assert.equal((await bc.get('items', String(record.id)))?.displayName, 'Someone else');
  });

  it('waits as long as a 429 asks and never has one request refused twice in a row', async () => {
    emulator.limiter.limits = { maxRequests: 3, windowMs: 1_000, maxConcurrent: 5, maxQueued: 95, queueTimeoutMs: 60_000 };
    try {
      const bc = client({ limits: { maxRequests: 1_000, windowMs: 1_000, maxConcurrent: 3, windowMarginMs: 0 } }, freshApp());
      await Promise.all(Array.from({ length: 9 }, () => bc.companies()));
      const stats = bc.transport.stats();
      assert.ok(stats.refused > 0);
      assert.equal(stats.maxRefusalsInARow, 1);
    } finally {
      emulator.limiter.limits = BC_DEFAULT_LIMITS;
    }
  });

  it('fetches a new token when the API refuses an expired one', async () => {
    const bc = client();
    await bc.companies();
    emulator.identity.expire();
    assert.equal((await bc.companies())[0]!.id, emulator.companyId);
    assert.equal(bc.tokens.issued, 2);
    assert.equal(bc.transport.stats().unauthorised, 1);
  });

  it('creates every record exactly once through 5 % injected faults', async () => {
    const bc = client();
    const records = Array.from({ length: 150 }, (_, i) => ({ number: `FLT${String(i).padStart(4, '0')}`, displayName: `Fault ${i}` }));
    emulator.setFaults({ rate: 0.05, kinds: ['server-error', 'drop-before', 'drop-after', 'expired-token', 'slow'], slowMs: 20, seed: 7 });
    try {
      for (let start = 0; start < 100; start += 10) assert.ok((await bc.createMany('customers', records.slice(start, start + 10), 'number')).every((r) => r.ok));
      for (const record of records.slice(100)) await bc.createIdempotent('customers', record, 'number');
    } finally {
      emulator.setFaults(null);
    }
    assert.ok(emulator.server.stats.dropped + (emulator.server.stats.statuses[500] ?? 0) > 0, 'faults were injected');
    const numbers: string[] = [];
    for await (const page of bc.list('customers', { select: ['number'], filter: `number ge 'FLT' and number lt 'FLU'` })) numbers.push(...page.map((row) => String(row.number)));
    assert.equal(numbers.length, 150);
    assert.equal(new Set(numbers).size, 150);
  });

  it('subscribes with the validation handshake, is notified of changes and deletions, and renews', async () => {
    const clientState = randomUUID();
    const endpoint = await notificationEndpoint(clientState);
    try {
      const bc = client();
      await assert.rejects(bc.subscribe('contacts', endpoint.url, clientState), (error: unknown) => (error as WebApiError).status === 400, 'contacts have no webhooks');
      const [subscription] = await bc.keepSubscribed(['customers'], endpoint.url, clientState);
      assert.equal(endpoint.handshakes, 1);
      const { record } = await bc.createIdempotent('customers', { number: 'HOOK1', displayName: 'Hooked' }, 'number');
      await bc.update('customers', String(record.id), { displayName: 'Hooked again' }, '*');
      const created = await eventually(async () => endpoint.received.find((n) => notifiedRecord(n).id === record.id), 30_000, 'a notification of the new customer');
      assert.equal(created.changeType, 'created', 'a create and an update within the delay arrive as one notification');
      await bc.delete('customers', String(record.id));
      await eventually(async () => endpoint.received.find((n) => n.changeType === 'deleted' && notifiedRecord(n).id === record.id), 30_000, 'a deletion notification');

      assert.equal((await bc.keepSubscribed(['customers'], endpoint.url, clientState, 0))[0]!.subscriptionId, subscription!.subscriptionId);
      assert.equal(endpoint.handshakes, 1, 'a subscription far from expiry is left alone');
      const renewed = await bc.keepSubscribed(['customers'], endpoint.url, clientState, 4 * 24 * 3_600_000);
      assert.equal(endpoint.handshakes, 2, 'renewal repeats the handshake');
      assert.ok(Date.parse(renewed[0]!.expirationDateTime) >= Date.parse(subscription!.expirationDateTime));

      await bc.createMany(
        'customers',
        Array.from({ length: 7 }, (_, i) => ({ number: `BULK${i}` })),
        'number',
      );
      await eventually(async () => endpoint.received.find((n) => n.changeType === 'collection'), 30_000, 'a collection notification past the threshold');
    } finally {
      await endpoint.close();
    }
  });
});
