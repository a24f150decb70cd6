import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeUrl } from '../src/db/data-sources';
import { checksum } from './support/checksum';
import { codesOf, graphqlRequest } from './support/raw-requests';
import { eventually } from './support/subscriptions';
import { lockTable } from './support/table-lock';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const PAGE = '{ customers(first: 5) { totalCount edges { node { id name } } } }';

/** The gateway's statements now waiting for a lock in its database (`like`: only those whose text matches). */
async function waitingStatements(gateway: TestGateway, like = '%'): Promise<number> {
  const [row] = await gateway.stores.integration.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name LIKE 'erp-crm-gateway:%' AND query LIKE $1",
    [like],
  );
  return row.n as number;
}

/**
 * A compiled read (one raw pg statement, outside TypeORM) by its head: its sets are materialized CTEs. pg_stat_activity keeps
 * only a statement's first 1,024 bytes, which the CTEs of a page's links and records can fill.
 */
const COMPILED_READ = 'WITH % AS MATERIALIZED (%';

describe('every operation has a deadline that stops its statements', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'deadline', customers: 5, production: true, limits: { queryTimeoutMs: 2_500, mutationTimeoutMs: 3_000 } });
  });
  after(() => gateway?.close());

  it('answers DEADLINE_EXCEEDED when a query runs past its deadline, and cancels the statement it waited on', async () => {
    const lock = await lockTable(storeUrl(gateway.stores.integration), 'integration.integration_record');
    try {
      const response = await graphqlRequest(gateway.url, PAGE, {}, gateway.tokens.viewer);
      assert.ok(codesOf(response.body).length > 0);
      assert.ok(
        codesOf(response.body).every((code) => code === 'DEADLINE_EXCEEDED'),
        response.text,
      );
      // The lock is still held: only a cancel ends the wait.
      await eventually(async () => ((await waitingStatements(gateway)) === 0 ? true : undefined), 5_000, 'no statement left waiting');
    } finally {
      await lock.release();
    }
    const after = await graphqlRequest(gateway.url, PAGE, {}, gateway.tokens.viewer);
    assert.equal(after.body.errors, undefined, 'the next request is served as usual');
  });

  it('cancels a compiled read held past its deadline and answers DEADLINE_EXCEEDED', async () => {
    const lock = await lockTable(storeUrl(gateway.stores.integration), 'integration.integration_record');
    let releasing: Promise<void> | null = null;
    const release = () => (releasing ??= lock.release());
    // Released in any case, so that a read the deadline misses answers (with data) rather than hangs.
    const fallback = setTimeout(release, 20_000);
    try {
      const response = graphqlRequest(gateway.url, '{ customers(first: 5) { edges { node { id name erp { no } crm { name } } } } }', {}, gateway.tokens.viewer);
      await eventually(async () => ((await waitingStatements(gateway, COMPILED_READ)) === 1 ? true : undefined), 5_000, 'the compiled read waiting on the lock');
      const answer = await response;
      assert.deepEqual(codesOf(answer.body), ['DEADLINE_EXCEEDED'], answer.text);
      assert.equal(releasing, null, 'answered while the lock was held');
      assert.equal(await waitingStatements(gateway), 0, 'the compiled statement was cancelled');
    } finally {
      clearTimeout(fallback);
      await release();
    }
  });

  it('stops a mutation at its own deadline and leaves the stores as they were', async () => {
    const mappings = await graphqlRequest(gateway.url, '{ integrationTableMappings { fieldMappings { id enabled } } }', {}, gateway.tokens.admin);
    const field = (mappings.body.data as { integrationTableMappings: Array<{ fieldMappings: Array<{ id: string; enabled: boolean }> }> }).integrationTableMappings[0]!
      .fieldMappings[0]!;
    const before = await checksum(gateway.stores.integration, ['integration.field_mapping', 'integration.table_mapping']);
    const lock = await lockTable(storeUrl(gateway.stores.integration), 'integration.field_mapping');
    try {
      const response = await graphqlRequest(
        gateway.url,
        'mutation ($id: ID!) { updateFieldMapping(id: $id, input: { enabled: false }) { id } }',
        { id: field.id },
        gateway.tokens.admin,
      );
      assert.deepEqual(codesOf(response.body), ['DEADLINE_EXCEEDED'], response.text);
      await eventually(async () => ((await waitingStatements(gateway)) === 0 ? true : undefined), 5_000, 'no statement left waiting');
    } finally {
      await lock.release();
    }
    assert.equal(await checksum(gateway.stores.integration, ['integration.field_mapping', 'integration.table_mapping']), before);
  });
});

describe('a query whose client goes away', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'gone', customers: 5, production: true, limits: { queryTimeoutMs: 120_000 } });
  });
  after(() => gateway?.close());

  it('is stopped, and so is its statement', async () => {
    const lock = await lockTable(storeUrl(gateway.stores.integration), 'integration.integration_record');
    try {
      const client = new AbortController();
      const request = graphqlRequest(gateway.url, PAGE, {}, gateway.tokens.viewer);
      void request.catch(() => {});
      const leaving = fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens.viewer}` },
        body: JSON.stringify({ query: PAGE }),
        signal: client.signal,
      }).catch(() => null);
      await eventually(async () => ((await waitingStatements(gateway)) >= 2 ? true : undefined), 10_000, 'both queries waiting on the lock');
      client.abort();
      await leaving;
      // The deadline is two minutes away: only the departure can have stopped the second one.
      await eventually(async () => ((await waitingStatements(gateway)) === 1 ? true : undefined), 5_000, "the departed client's statement cancelled");
    } finally {
      await lock.release();
    }
  });
});
