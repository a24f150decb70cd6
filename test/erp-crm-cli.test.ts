import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeUnifiedId, encodeUnifiedId } from '../src/unify/unified-id';
import { PossibleDuplicatesDocument, SyncErrorFieldsDocument, SyncErrorsDocument, UncoupleDocument } from './generated/operations';
import { freshConflict, lastResult, whileMappingBusy } from './support/busy-mapping';
import { cli } from './support/cli';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the erp-crm command-line tool', () => {
  let gateway: TestGateway;
  const as = (role: 'viewer' | 'operator' | 'admin') => ({ GATEWAY_URL: gateway.url, GATEWAY_TOKEN: gateway.tokens[role] });

  before(async () => {
    gateway = await startTestGateway({ label: 'cli', customers: 30, worker: true });
  });
  after(() => gateway?.close());

  /** Whether the customer coupled by `erpRecordId` (its ERP side's id) has been synchronised since it was coupled: a new coupling has no result until then. */
  const synchronised = async (erpRecordId: string) => {
    const [link] = await gateway.stores.integration.query(
      `SELECT last_result AS "lastResult" FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id = $1 AND crm_id IS NOT NULL`,
      [decodeUnifiedId(erpRecordId).key],
    );
    return Boolean(link?.lastResult);
  };

  it('sync CUSTOMER --follow shows the job and exits 0 when it succeeds', async () => {
    const ran = await cli(['sync', 'CUSTOMER', '--follow'], as('operator'));
    assert.equal(ran.code, 0, ran.stderr);
    const lines = ran.stdout.trim().split('\n');
    assert.match(lines[0]!, /^CUSTOMER: 0 % · running/);
    // Incremental runs synchronise coupled records only (issue 12): the demo's pending edits are modified, nothing is inserted.
    assert.match(ran.stdout, /CUSTOMER both ways: 100 % · succeeded · \d+ of \d+ · \d+ modified/);
    assert.match(lines.at(-1)!, /^CUSTOMER: succeeded/);
  });

  it('full-sync start --follow draws a bar per job and the overall bar, live, and exits 0', async () => {
    const ran = await cli(['full-sync', 'start', '--follow'], as('admin'));
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /CUSTOMER to CRM: 100 % · succeeded/);
    assert.match(ran.stdout, /CUSTOMER from CRM: 100 % · succeeded/);
    const overall = [...ran.stdout.matchAll(/^overall: (\d+) %/gm)].map((m) => Number(m[1]));
    assert.ok(overall.length > 2 && overall[0]! < 100 && overall.at(-1) === 100, `overall went ${overall.join(' → ')}`);
    assert.ok(
      overall.every((value, i) => i === 0 || value >= overall[i - 1]!),
      `overall never goes back: ${overall.join(' → ')}`,
    );
    assert.match(ran.stdout, /Full synchronisation .*: SUCCEEDED/);
  });

  it('--json prints results a script can parse', async () => {
    const status = await cli(['--json', 'full-sync', 'status'], as('viewer'));
    assert.equal(status.code, 0, status.stderr);
    const run = JSON.parse(status.stdout) as { status: string; jobs: { mappingName: string }[] };
    assert.equal(run.status, 'SUCCEEDED');
    assert.equal(run.jobs.length, 17);

    const listed = await cli(['--json', 'errors', 'list', '--limit', '1000'], as('viewer'));
    assert.equal(listed.code, 0, listed.stderr);
    const fromApi = (await gateway.request(SyncErrorsDocument, { first: 1000 })).data!.syncErrors.edges.map((e) => e.node.id);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { id: string }[]).map((e) => e.id),
      fromApi,
    );

    const mappings = JSON.parse((await cli(['--json', 'mappings', 'list'], as('viewer'))).stdout) as { name: string }[];
    assert.ok(mappings.some((m) => m.name === 'CUSTOMER'));

    const match = await cli(['--json', 'couple-by-match', 'CUSTOMER', '--dry-run'], as('operator'));
    assert.equal(match.code, 0, match.stderr);
    assert.equal((JSON.parse(match.stdout) as { job: unknown }).job, null, 'a dry run logs no job');
  });

  it('resolves errors named on the command line', async () => {
    const conflicts = (await gateway.request(SyncErrorsDocument, { first: 100, filter: { result: 'CONFLICT' } })).data!.syncErrors.edges.map((e) => e.node.id);
    assert.ok(conflicts.length > 0, 'the demo company has conflicting edits');
    const ran = await cli(['errors', 'resolve', conflicts[0]!, '--winner', 'crm'], as('operator'));
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /^CUSTOMER: .*modified/);
    const left = (await gateway.request(SyncErrorsDocument, { first: 100, filter: { result: 'CONFLICT' } })).data!.syncErrors.edges.map((e) => e.node.id);
    assert.equal(left.includes(conflicts[0]!), false);
    const none = await cli(['errors', 'retry'], as('operator'));
    assert.equal(none.code, 1);
    assert.match(none.stderr, /Name the errors .* or pass --all/);
  });

  it('resolves a conflict field by field with --field, which outranks the winner', async () => {
    const plain = new Set(['name', 'address1Line1', 'address1City', 'address1PostalCode', 'telephone1', 'emailAddress1']);
    const conflicts = (await gateway.request(SyncErrorFieldsDocument, { first: 100, filter: { mappingName: 'CUSTOMER', result: 'CONFLICT' } })).data!.syncErrors.edges.map(
      (e) => e.node,
    );
    const target = conflicts.find((error) => error.fields.some((field) => plain.has(field.field)));
    assert.ok(target, 'a customer conflict on a plain field');
    const field = target.fields.find((f) => plain.has(f.field))!;
    const ran = await cli(['errors', 'resolve', target.id, '--winner', 'erp', '--field', `${field.field}=crm`], as('operator'));
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /^CUSTOMER: .*modified/);
    const [link] = await gateway.stores.integration.query(`SELECT synced_values, conflicting_fields FROM integration.integration_record WHERE id = $1`, [target.id]);
    const synced = JSON.parse(link.synced_values) as Record<string, [unknown, unknown]>;
    assert.deepEqual(synced[field.field], [JSON.parse(field.crmValue), JSON.parse(field.crmValue)], `${field.field} took the CRM's value on both sides`);
    assert.equal(link.conflicting_fields, null);

    const wrong = await cli(['errors', 'resolve', target.id, '--winner', 'erp', '--field', 'name'], as('operator'));
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /option '--field <field=side>' argument 'name' is invalid\. Use <crm field>=erp or <crm field>=crm\./);
  });

  it('resolves an error while its mapping is being synchronised: waits for the queued job and says what it did', async () => {
    const pair = await freshConflict(gateway);
    const ran = await whileMappingBusy(gateway, 'CUSTOMER', () => cli(['errors', 'resolve', pair.id, '--winner', 'crm'], as('operator')));
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /^CUSTOMER: .*modified/);
    assert.notEqual(await lastResult(gateway, pair.id), 'CONFLICT', 'the error left the queue by the time the command answered');
    assert.equal((await gateway.stores.erp.query(`SELECT name FROM erp.customer WHERE system_id = $1`, [pair.erpId]))[0].name, 'Edited in the CRM');
  });

  it('resolves a possible duplicate while its mapping is being synchronised: waits for the queued job and says what it did', async () => {
    const held = (await gateway.request(PossibleDuplicatesDocument, { mapping: 'CUSTOMER', first: 100 })).data!.possibleDuplicates.edges.map((e) => e.node);
    const target = held[0];
    assert.ok(target, 'the full synchronisation held look-alike customers');
    const inErp = target.direction === 'TO_CRM';
    const candidate = target.candidates[0]!.recordId;
    const ran = await whileMappingBusy(gateway, 'CUSTOMER', () =>
      cli(['duplicates', 'resolve', target.id, '--action', 'couple', inErp ? '--crm' : '--erp', candidate], as('operator')),
    );
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /^COUPLE: \S+ \((?!nothing to do)[^()]+\)$/m);
    assert.ok(await synchronised(inErp ? target.recordId : candidate), 'the coupled pair was synchronised by the time the command answered');
  });

  it('couple-by-match --sync while the mapping is being synchronised waits for the queued job and says what it did', async () => {
    // A pair in sync, uncoupled: matching on name and e-mail couples it again, and --sync synchronises it.
    const [pair] = await gateway.stores.integration.query(
      `SELECT erp_id AS "erpId" FROM integration.integration_record
        WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_code DESC LIMIT 1`,
    );
    const recordId = encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: pair.erpId });
    assert.equal((await gateway.request(UncoupleDocument, { id: recordId }, gateway.tokens.operator)).errors, undefined);
    const ran = await whileMappingBusy(gateway, 'CUSTOMER', () => cli(['couple-by-match', 'CUSTOMER', '--criteria', 'name,email', '--sync'], as('operator')));
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /^CUSTOMER: [1-9]\d* coupled/);
    assert.match(ran.stdout, /^ {2}CUSTOMER: (?!nothing to do)\d+ \w+/m);
    assert.ok(await synchronised(recordId), 'the new coupling was synchronised by the time the command answered');
  });

  it('pauses a full synchronisation and resumes it to the end', async () => {
    // Every mapping's lock held elsewhere: the run's jobs wait in the queue, so it is surely running when paused.
    const holder = gateway.stores.integration.createQueryRunner();
    await holder.connect();
    try {
      const names = (await holder.query(`SELECT name FROM integration.table_mapping`)).map((row: { name: string }) => `sync:${row.name}`);
      await holder.query(`SELECT pg_advisory_lock(hashtext(name)) FROM unnest($1::text[]) AS name`, [names]);
      const started = await cli(['--json', 'full-sync', 'start'], as('admin'));
      assert.equal(started.code, 0, started.stderr);
      const run = JSON.parse(started.stdout) as { id: string; status: string };
      assert.equal(run.status, 'RUNNING');
      const paused = await cli(['--json', 'full-sync', 'pause'], as('operator'));
      assert.equal(paused.code, 0, paused.stderr);
      const pausedRun = JSON.parse(paused.stdout) as { id: string; status: string; jobs: { status: string }[] };
      assert.deepEqual([pausedRun.id, pausedRun.status], [run.id, 'PAUSED']);
      assert.ok(
        pausedRun.jobs.some((job) => job.status === 'PAUSED'),
        'its queued jobs are paused',
      );
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      await holder.release();
    }
    const resumed = await cli(['full-sync', 'resume', '--follow'], as('operator'));
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /Full synchronisation .*: SUCCEEDED/);
    const again = await cli(['full-sync', 'resume'], as('operator'));
    assert.equal(again.code, 1);
    assert.match(again.stderr, /The gateway refused: .*only a paused run.*\(RUN_NOT_RESUMABLE\)/);
  });

  it('says clearly what is wrong with the URL or the token, and exits non-zero', async () => {
    const badToken = await cli(['mappings', 'list'], { GATEWAY_URL: gateway.url, GATEWAY_TOKEN: 'not-a-token' });
    assert.equal(badToken.code, 2);
    assert.match(badToken.stderr, /^erp-crm: The gateway refused the token: The token is not valid\. Check GATEWAY_TOKEN\./);

    const missing = await cli(['mappings', 'list'], { GATEWAY_URL: gateway.url, GATEWAY_TOKEN: undefined });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /GATEWAY_TOKEN is not set/);

    const weak = await cli(['full-sync', 'start'], as('viewer'));
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /Refused: startFullSync needs the admin role and GATEWAY_TOKEN has viewer/);

    const closed = await closedPort();
    const unreachable = await cli(['mappings', 'list'], { GATEWAY_URL: `http://127.0.0.1:${closed}/graphql`, GATEWAY_TOKEN: gateway.tokens.viewer });
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, new RegExp(`Cannot reach the gateway at http://127\\.0\\.0\\.1:${closed}/graphql \\(ECONNREFUSED\\)`));

    const notGraphql = await cli(['mappings', 'list'], { GATEWAY_URL: gateway.url.replace('/graphql', '/healthz'), GATEWAY_TOKEN: gateway.tokens.viewer });
    assert.equal(notGraphql.code, 2);
    assert.match(notGraphql.stderr, /answered HTTP \d+ without a GraphQL result/);

    const refused = await cli(['sync', 'NO-SUCH-MAPPING'], as('operator'));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /The gateway refused: No table mapping named "NO-SUCH-MAPPING" \(NOT_FOUND\)/);
  });
});

describe('the erp-crm command-line tool against a production gateway', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'cli_prod', customers: 5, production: true });
  });
  after(() => gateway?.close());

  it("reads what the gateway offers (its schema) with an operator's token, and names the role a viewer lacks", async () => {
    const dryRun = await cli(['sync', 'CUSTOMER', '--dry-run'], { GATEWAY_URL: gateway.url, GATEWAY_TOKEN: gateway.tokens.operator });
    assert.ok(dryRun.code === 0 || /has no dry run of runSync yet/.test(dryRun.stderr), dryRun.stderr);
    const weak = await cli(['full-sync', 'start', '--dry-run'], { GATEWAY_URL: gateway.url, GATEWAY_TOKEN: gateway.tokens.viewer });
    assert.doesNotMatch(weak.stderr, /__schema|[Ii]ntrospection/);
  });
});
