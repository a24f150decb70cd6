import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ObjectLiteral } from 'typeorm';
import { RunSyncDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const CHUNK = 25;

describe('a record edited while its own full synchronisation pass goes on', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'readtwice', customers: 80, syncChunkSize: CHUNK });
    // The customer this test follows must be created, not held as a look-alike of an uncoupled account.
    await gateway.services.mappings.updateTableMapping('CUSTOMER', { duplicateThreshold: 0 }, 'test');
    // The read-model follower reads the same change feed through the same connector: its reads
    // would count as the pass's, and it would index the customer this test needs unindexed.
    await gateway.services.readModel.stop();
  });
  after(() => gateway?.close());

  it('is read again before its coupling has committed, and keeps the one coupling', async () => {
    const { erp, crm } = gateway.services.connectors;
    const changesSince = erp.changesSince.bind(erp);
    const getByKeys = crm.getByKeys.bind(crm);
    const bulkUpsert = crm.bulkUpsert.bind(crm);
    let edited: ObjectLiteral | null = null;
    let secondChunkLooked: () => void = () => {};
    const secondChunkLookedUp = new Promise<void>((resolve) => (secondChunkLooked = resolve));
    let reads = 0;
    let writes = 0;
    const coupledCodes = async (mapping: string) =>
      new Set(
        (
          (await gateway.stores.integration.query(`SELECT erp_code FROM integration.integration_record WHERE mapping_name = $1 AND erp_id IS NOT NULL AND crm_id IS NOT NULL`, [
            mapping,
          ])) as Array<{ erp_code: string }>
        ).map((row) => row.erp_code),
      );
    const salespeople = await coupledCodes('SALESPEOPLE');
    const currencies = await coupledCodes('CURRENCY');
    const coupled = new Set(
      (
        (await gateway.stores.integration.query(
          `SELECT erp_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL`,
        )) as Array<{ erp_id: string }>
      ).map((row) => row.erp_id),
    );
    // A customer the run will create an account for: not coupled yet, its salesperson and currency coupled (or no currency).
    const created = (customer: ObjectLiteral) =>
      !coupled.has(erp.keyOf(erp.table('customer'), customer)) && salespeople.has(customer.salespersonCode) && (!customer.currencyCode || currencies.has(customer.currencyCode));
    // A customer of the first chunk is edited by a user while the pass runs: the ERP's change feed
    // hands it over again with the next chunk, whose couplings are looked up before the first
    // chunk's have committed (the first chunk's write waits for that look-up).
    erp.changesSince = async <T extends ObjectLiteral>(...args: Parameters<typeof changesSince>) => {
      const records = (await changesSince(...args)) as T[];
      // Only this pass's reads count: the in-process worker may read other tables meanwhile.
      if (args[0] !== erp.table('customer')) return records;
      reads += 1;
      if (reads === 1) {
        const customer = records.find(created)!;
        // Created in the ERP since the gateway last indexed it: the integration store has no row for it yet.
        await gateway.stores.integration.query(`DELETE FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id = $1`, [
          erp.keyOf(erp.table('customer'), customer),
        ]);
        edited = { ...customer, modifiedAt: new Date(), modifiedBy: 'SOMEONE' };
      }
      if (reads === 2 && edited) return [...records, edited as T];
      return records;
    };
    crm.getByKeys = async <T extends ObjectLiteral>(...args: Parameters<typeof getByKeys>) => {
      if (reads === 2) secondChunkLooked();
      return (await getByKeys(...args)) as T[];
    };
    crm.bulkUpsert = async <T extends ObjectLiteral>(...args: Parameters<typeof bulkUpsert<T>>) => {
      writes += 1;
      if (writes === 1) await secondChunkLookedUp;
      return bulkUpsert(...args);
    };
    try {
      const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'FULL' }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      assert.equal(result.data!.runSync.status, 'SUCCEEDED');
    } finally {
      erp.changesSince = changesSince;
      crm.getByKeys = getByKeys;
      crm.bulkUpsert = bulkUpsert;
    }
    assert.ok(edited, 'the pass read customers');
    const rows: Array<{ crm_id: string | null; last_result: string }> = await gateway.stores.integration.query(
      `SELECT crm_id, last_result FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id = $1`,
      [erp.keyOf(erp.table('customer'), edited!)],
    );
    assert.equal(rows.length, 1, 'one integration record for the customer');
    assert.ok(rows[0]!.crm_id, 'coupled to its account');
  });
});
