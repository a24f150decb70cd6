import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ObjectLiteral } from 'typeorm';
import { RunSyncDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

describe('a record indexed on its own between its creation and its coupling', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'indexedmeanwhile', customers: 80 });
  });
  after(() => gateway?.close());

  it('gives way to the coupling: one integration record per created account, holding both sides', async () => {
    const crm = gateway.services.connectors.crm;
    const write = crm.bulkUpsert.bind(crm);
    const created: string[] = [];
    // A list request indexes the accounts just written, before the run records their couplings.
    crm.bulkUpsert = async <T extends ObjectLiteral>(table: Parameters<typeof write>[0], records: readonly T[], modifiedBy: string) => {
      const stamp = await write(table, records, modifiedBy);
      created.push(...records.map((record) => crm.keyOf(table, record)));
      await gateway.services.discovery.catchUpAll();
      return stamp;
    };
    try {
      const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      assert.ok(result.data!.runSync.inserted > 0, 'the run created accounts for ERP-only customers');
    } finally {
      crm.bulkUpsert = write;
    }
    const rows: Array<{ crm_id: string; erp_id: string | null }> = await gateway.stores.integration.query(
      `SELECT crm_id, erp_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND crm_id = ANY($1::uuid[])`,
      [created],
    );
    assert.equal(rows.length, new Set(created).size, 'one integration record per account written');
    assert.deepEqual(
      rows.filter((row) => row.erp_id === null),
      [],
      'no account is left indexed on its own',
    );
  });
});
