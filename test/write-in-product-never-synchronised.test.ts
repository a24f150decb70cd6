import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WRITE_IN_ITEM_NO } from '../src/demo/reference-data';
import { encodeUnifiedId } from '../src/unify/unified-id';
import { CoupleDocument, RunSyncDocument, UncoupleDocument } from './generated/operations';
import { checksum } from './support/checksum';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/**
 * Issue 12, defect 5: the write-in item stands for products the CRM does not have. A full
 * synchronisation used to push it to the CRM and couple it, after which every order with a
 * write-in line failed WRITE_IN_PRODUCT_COUPLED.
 */
describe('the write-in item is never synchronised or coupled', () => {
  let gateway: TestGateway;
  let writeIn: { system_id: string };

  before(async () => {
    gateway = await startTestGateway({ label: 'writein', customers: 20 });
    [writeIn] = await gateway.stores.erp.query(`SELECT system_id FROM erp.item WHERE no = $1`, [WRITE_IN_ITEM_NO]);
    assert.ok(writeIn, 'the demo names a write-in item in its Sales & Receivables Setup');
  });
  after(() => gateway?.close());

  it('a full synchronisation of items leaves it out', async () => {
    for (const mapping of ['UNIT OF MEASURE', 'ITEM-PRODUCT']) {
      const result = await gateway.request(RunSyncDocument, { mapping, mode: 'FULL' }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      if (mapping === 'ITEM-PRODUCT') assert.ok(result.data!.runSync.inserted > 0, 'the other items went to the CRM');
    }
    const [link] = await gateway.stores.integration.query(`SELECT crm_id FROM integration.integration_record WHERE mapping_name = 'ITEM-PRODUCT' AND erp_id = $1`, [
      writeIn.system_id,
    ]);
    assert.equal(link?.crm_id ?? null, null, 'not coupled');
    const [{ n }] = await gateway.stores.crm.query(`SELECT count(*)::int AS n FROM crm.product WHERE product_number = $1`, [WRITE_IN_ITEM_NO]);
    assert.equal(n, 0, 'no CRM product was made of it');
  });

  it('couple refuses it, changing nothing', async () => {
    // The follower indexes the first test's writes in its own time; stopped, only the gateway's answer can change the stores.
    await gateway.services.readModel.stop();
    const [pair] = await gateway.stores.integration.query(
      `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'ITEM-PRODUCT' AND erp_id IS NOT NULL AND crm_id IS NOT NULL LIMIT 1`,
    );
    const uncoupled = await gateway.request(UncoupleDocument, { id: encodeUnifiedId({ typeName: 'Item', system: 'erp', key: pair.erp_id }) }, gateway.tokens.operator);
    assert.equal(uncoupled.errors, undefined, JSON.stringify(uncoupled.errors));
    const tables = ['integration.integration_record', 'integration.sync_job'];
    const before = await checksum(gateway.stores.integration, tables);
    const refused = await gateway.request(
      CoupleDocument,
      { erpId: encodeUnifiedId({ typeName: 'Item', system: 'erp', key: writeIn.system_id }), crmId: encodeUnifiedId({ typeName: 'Item', system: 'crm', key: pair.crm_id }) },
      gateway.tokens.operator,
    );
    assert.equal(refused.errors?.[0]?.extensions?.code, 'WRITE_IN_PRODUCT_NOT_SYNCHRONISED');
    assert.equal(await checksum(gateway.stores.integration, tables), before);
  });
});
