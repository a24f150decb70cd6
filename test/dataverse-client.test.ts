import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataverseClient, type DataverseConnection } from '../src/connectors/dataverse/dataverse.client';
import { encodeBatch, parseBatch } from '../src/connectors/web-api/multipart';
import { literal } from '../src/connectors/web-api/odata-literal';
import { WebApiError } from '../src/connectors/web-api/web-api-error';
import { DataverseEmulator, DATAVERSE_DEFAULT_LIMITS } from '../emulators/dataverse/dataverse.emulator';
import type { RegisteredClient } from '../emulators/shared/identity';
import { credentialsFor, emulatorDatabase, ROOMY_BUDGET, testAppRegistration } from './support/emulated-products';

describe('Dataverse Web API client against the Dataverse emulator', () => {
  let database: { url: string; drop: () => Promise<void> };
  let emulator: DataverseEmulator;
  let app: RegisteredClient;

  const client = (overrides: Partial<DataverseConnection> = {}, as: RegisteredClient = app) =>
    new DataverseClient({ environmentUrl: emulator.url, credentials: credentialsFor(as, emulator.url), limits: ROOMY_BUDGET, backoffMs: 5, ...overrides });

  /** An application user of its own, whose limits no earlier test has used up. */
  function freshApp(): RegisteredClient {
    const fresh = testAppRegistration();
    emulator.identity.register(fresh);
    return fresh;
  }

  async function seedAccounts(count: number, prefix: string, telephone1 = '555'): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await emulator.store.bulkLoad(
      'accounts',
      ids.map((id, i) => ({ id, naturalKey: null, data: { name: `${prefix} ${String(i).padStart(3, '0')}`, telephone1 } })),
    );
    return ids;
  }

  before(async () => {
    database = await emulatorDatabase('dataverse_client');
    app = testAppRegistration();
    emulator = await DataverseEmulator.start({ databaseUrl: database.url, clients: [app] });
  });

  after(async () => {
    await emulator.stop();
    await database.drop();
  });

  it('reads a table page by page with $select and $filter', async () => {
    await seedAccounts(25, 'Paged');
    await seedAccounts(5, 'Filtered out', '777');
    const dataverse = client();
    const pages: number[] = [];
    const names = new Set<string>();
    for await (const page of dataverse.list('accounts', { select: ['name'], filter: `telephone1 eq ${literal('555')} and name ne null`, pageSize: 10 })) {
      pages.push(page.length);
      for (const row of page) {
        assert.equal(row.telephone1, undefined, '$select leaves other columns out');
        assert.match(String(row['@odata.etag']), /^W\/"\d+"$/);
        names.add(String(row.name));
      }
    }
    assert.deepEqual(pages, [10, 10, 5]);
    assert.equal(names.size, 25);
  });

  it('follows a change feed: everything first, then changes and deletions since the delta link', async () => {
    const dataverse = client();
    const initial = new Set<string>();
    let deltaLink: string | null = null;
    for await (const page of dataverse.changes('accounts', { select: ['name'], pageSize: 7 })) {
      for (const row of page.upserted) initial.add(String(row.accountid));
      deltaLink = page.deltaLink ?? deltaLink;
    }
    assert.equal(initial.size, await emulator.store.count('accounts'));
    assert.ok(deltaLink);
    const [changed, removed] = [...initial];
    const created = randomUUID();
    await dataverse.upsert('accounts', changed!, { name: 'Renamed' });
    await dataverse.upsert('accounts', created, { name: 'Created since' });
    assert.equal(await dataverse.delete('accounts', removed!), true);

    const upserted: string[] = [];
    const deleted: string[] = [];
    let next: string | null = null;
    for await (const page of dataverse.changes('accounts', { deltaLink, pageSize: 2 })) {
      upserted.push(...page.upserted.map((row) => String(row.accountid)));
      deleted.push(...page.deleted);
      next = page.deltaLink ?? next;
    }
    assert.deepEqual(upserted.sort(), [changed!, created].sort());
    assert.deepEqual(deleted, [removed]);
    assert.ok(next);
    for await (const page of dataverse.changes('accounts', { deltaLink: next })) {
      assert.deepEqual([page.upserted.length, page.deleted.length], [0, 0], 'nothing changed since the last delta link');
    }
  });

  it('refuses $filter on a change tracking request, as Dataverse documents', async () => {
    const response = await client().transport.send({ method: 'GET', url: 'accounts?$filter=name eq null', headers: { prefer: 'odata.track-changes' }, idempotent: true });
    assert.equal(response.status, 400);
  });

  it('applies each change set of a batch whole or not at all, and goes on after one fails', async () => {
    const dataverse = client();
    const [first, second] = await seedAccounts(2, 'Batch');
    const stale = String((await dataverse.get('accounts', second!))!['@odata.etag']);
    await dataverse.upsert('accounts', second!, { name: 'Changed meanwhile' });
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const results = await dataverse.writeChangeSets([
      [{ method: 'PATCH', entitySet: 'accounts', id: a, record: { name: 'A' } }],
      [
        { method: 'PATCH', entitySet: 'accounts', id: b, record: { name: 'B' } },
        { method: 'PATCH', entitySet: 'accounts', id: first!, record: { name: 'First, renamed' } },
        { method: 'PATCH', entitySet: 'accounts', id: second!, record: { name: 'Lost update' }, ifMatch: stale },
      ],
      [{ method: 'PATCH', entitySet: 'contacts', id: c, record: { fullname: 'C' } }],
    ]);
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, false, true],
    );
    assert.equal(results[1]!.ok === false && results[1]!.error.kind, 'etag-conflict');
    assert.equal((await dataverse.get('accounts', a))?.name, 'A');
    assert.equal(await dataverse.get('accounts', b), null, 'the failed change set created nothing');
    assert.equal((await dataverse.get('accounts', first!))?.name, 'Batch 000', 'nor changed anything');
    assert.equal((await dataverse.get('accounts', second!))?.name, 'Changed meanwhile');
    assert.equal((await dataverse.get('contacts', c))?.fullname, 'C');
  });

  it('refuses an update of a version that changed since it was read (If-Match)', async () => {
    const dataverse = client();
    const [id] = await seedAccounts(1, 'Etag');
    const read = await dataverse.get('accounts', id!);
    await dataverse.upsert('accounts', id!, { name: 'Someone else' }, { ifMatch: String(read!['@odata.etag']) });
    await assert.rejects(
      dataverse.upsert('accounts', id!, { name: 'Mine' }, { ifMatch: String(read!['@odata.etag']) }),
      (error: unknown) => error instanceof WebApiError && error.kind === 'etag-conflict' && error.status === 412,
    );
    await assert.rejects(dataverse.upsert('accounts', id!, { name: 'Again' }, { createOnly: true }), (error: unknown) => (error as WebApiError).status === 412);
    assert.equal((await dataverse.get('accounts', id!))?.name, 'Someone else');
  });

  it('keeps below the limits it is given: a burst never draws a 429', async () => {
    const limits = { maxRequests: 4, windowMs: 500, maxConcurrent: 2, maxQueued: 0, queueTimeoutMs: 0 };
    emulator.limiter.limits = limits;
    try {
      const refusedBefore = emulator.limiter.stats.refused;
      const dataverse = client({ limits: { maxRequests: 4, windowMs: 500, maxConcurrent: 2, windowMarginMs: 100 } }, freshApp());
      await Promise.all(Array.from({ length: 10 }, () => dataverse.whoAmI()));
      assert.equal(emulator.limiter.stats.refused, refusedBefore);
      assert.equal(dataverse.transport.stats().refused, 0);
      assert.ok(dataverse.budget.stats().windowPeak <= 4);
    } finally {
      emulator.limiter.limits = DATAVERSE_DEFAULT_LIMITS;
    }
  });

  it('waits as long as a 429 asks and never has one request refused twice in a row', async () => {
    emulator.limiter.limits = { maxRequests: 3, windowMs: 1_000, maxConcurrent: 52, maxQueued: 0, queueTimeoutMs: 0 };
    try {
      const refusedBefore = emulator.limiter.stats.refused;
      // The client believes in far higher limits than the server keeps: only Retry-After holds it back.
      const dataverse = client({ limits: { maxRequests: 1_000, windowMs: 1_000, maxConcurrent: 3, windowMarginMs: 0 } }, freshApp());
      const answers = await Promise.all(Array.from({ length: 9 }, () => dataverse.whoAmI()));
      assert.equal(answers.length, 9);
      const stats = dataverse.transport.stats();
      assert.ok(stats.refused > 0, 'the server refused some requests');
      assert.equal(emulator.limiter.stats.refused - refusedBefore, stats.refused);
      assert.equal(stats.maxRefusalsInARow, 1);
    } finally {
      emulator.limiter.limits = DATAVERSE_DEFAULT_LIMITS;
    }
  });

  it('reuses one token until it nears expiry, and fetches a new one when the API refuses it', async () => {
    const dataverse = client();
    await dataverse.whoAmI();
    await dataverse.whoAmI();
    assert.equal(dataverse.tokens.issued, 1);
    emulator.identity.expire();
    assert.equal((await dataverse.whoAmI()).UserId, app.userId);
    assert.equal(dataverse.tokens.issued, 2);
    assert.equal(dataverse.transport.stats().unauthorised, 1);

    emulator.identity.tokenLifetimeSeconds = 60;
    try {
      const refreshing = client({ tokenRefreshMarginMs: 120_000 });
      await refreshing.whoAmI();
      await refreshing.whoAmI();
      assert.equal(refreshing.tokens.issued, 2, 'a token within the refresh margin of its expiry is replaced before use');
      assert.equal(refreshing.transport.stats().unauthorised, 0);
    } finally {
      emulator.identity.tokenLifetimeSeconds = 3_599;
    }
  });

  it('creates every record exactly once through 5 % injected faults', async () => {
    const dataverse = client();
    emulator.setFaults({ rate: 0.05, kinds: ['server-error', 'drop-before', 'drop-after', 'expired-token', 'slow'], slowMs: 20, seed: 14 });
    const ids = Array.from({ length: 150 }, () => randomUUID());
    try {
      // Small batches, so that faults land on many of them.
      for (let start = 0; start < 100; start += 5) {
        const changeSets = ids.slice(start, start + 5).map((id, i) => [{ method: 'PATCH' as const, entitySet: 'contacts', id, record: { fullname: `Fault ${start + i}` } }]);
        assert.ok((await dataverse.writeChangeSets(changeSets)).every((r) => r.ok));
      }
      for (const [i, id] of ids.slice(100).entries()) await dataverse.upsert('contacts', id, { fullname: `Fault single ${i}` });
    } finally {
      emulator.setFaults(null);
    }
    const injected = emulator.server.stats.dropped + (emulator.server.stats.statuses[500] ?? 0);
    assert.ok(injected > 0, 'faults were injected');
    const seen = new Map<string, number>();
    for await (const page of dataverse.list('contacts', { select: ['fullname'], filter: `fullname ne null or fullname eq 'none'` })) {
      for (const row of page) if (String(row.fullname).startsWith('Fault')) seen.set(String(row.contactid), (seen.get(String(row.contactid)) ?? 0) + 1);
    }
    assert.equal(seen.size, 150);
    assert.ok(ids.every((id) => seen.get(id) === 1));
  });

  it('encodes and reads the multipart batch format both ways', () => {
    const body = encodeBatch('batch_1', [
      {
        kind: 'changeset',
        boundary: 'changeset_1',
        parts: [
          {
            kind: 'message',
            contentId: '1',
            message: {
              startLine: 'PATCH /api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001) HTTP/1.1',
              headers: { 'content-type': 'application/json' },
              body: '{"name":"x"}',
            },
          },
        ],
      },
      { kind: 'message', message: { startLine: 'GET /api/data/v9.2/WhoAmI HTTP/1.1', headers: {}, body: '' } },
    ]);
    const parts = parseBatch(body, 'batch_1');
    assert.equal(parts.length, 2);
    assert.equal(parts[0]!.kind === 'changeset' && parts[0]!.parts[0]!.kind === 'message' && parts[0]!.parts[0]!.message.body, '{"name":"x"}');
    assert.equal(parts[1]!.kind === 'message' && parts[1]!.message.startLine, 'GET /api/data/v9.2/WhoAmI HTTP/1.1');
  });
});
