import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CustomerSearchDocument } from './generated/operations';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

/** Rows written with plain SQL, as another application sharing either system's database would. */
async function insertErpCustomer(gateway: TestGateway, no: string, name: string): Promise<string> {
  const id = randomUUID();
  await gateway.stores.erp.query(`INSERT INTO erp.customer (system_id, modified_at, modified_by, no, name) VALUES ($1, now(), 'SQL', $2, $3)`, [id, no, name]);
  return id;
}

async function insertCrmAccount(gateway: TestGateway, name: string): Promise<string> {
  const id = randomUUID();
  const [owner] = (await gateway.stores.crm.query(`SELECT id FROM crm.system_user WHERE NOT is_integration_user ORDER BY id LIMIT 1`)) as Array<{ id: string }>;
  await gateway.stores.crm.query(
    `INSERT INTO crm.account (id, modified_at, modified_by, name, customer_type_code, state_code, owner_id) VALUES ($1, now(), $2, $3, 'CUSTOMER', 'ACTIVE', $2)`,
    [id, owner!.id, name],
  );
  return id;
}

describe('records written straight into either system', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'writtenstraight', customers: 30 });
  });
  after(() => gateway?.close());

  const search = async (text: string) => {
    const result = await gateway.request(CustomerSearchDocument, { search: text });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.customers;
  };

  it('appear in customers without any mutation, from the ERP and from the CRM', async () => {
    const erpId = await insertErpCustomer(gateway, 'SQL-0001', 'Plainly Inserted Customer');
    const crmId = await insertCrmAccount(gateway, 'Plainly Inserted Account');
    const customer = await eventually(async () => (await search('plainly inserted customer')).edges[0]?.node, 10_000, 'the ERP customer in the list');
    assert.equal(customer.erp?.no, 'SQL-0001');
    assert.equal(customer.crm, null);
    const account = await eventually(async () => (await search('plainly inserted account')).edges[0]?.node, 10_000, 'the CRM account in the list');
    assert.equal(account.crm?.id, crmId);
    assert.equal(account.erp, null);
    assert.notEqual(customer.id, account.id);
    assert.ok(erpId);
  });

  it('a change to a listed record shows too', async () => {
    await insertErpCustomer(gateway, 'SQL-0002', 'Renamed Later');
    await eventually(async () => ((await search('renamed later')).totalCount === 1 ? true : undefined), 10_000, 'the new customer');
    await gateway.stores.erp.query(`UPDATE erp.customer SET name = 'Renamed Indeed', modified_at = now() WHERE no = 'SQL-0002'`);
    const renamed = await eventually(async () => (await search('renamed indeed')).edges[0]?.node, 10_000, 'the new name in the list');
    assert.equal(renamed.erp?.no, 'SQL-0002');
  });

  it('lists only read: with the follower stopped, a read neither indexes a new record nor moves a cursor', async () => {
    await gateway.services.readModel.stop();
    const index = async () =>
      JSON.stringify(
        await gateway.stores.integration.query(
          `SELECT (SELECT count(*) FROM integration.integration_record) AS records,
                  (SELECT max(modified_at) FROM integration.integration_record) AS last_written,
                  (SELECT array_agg(erp_discovered_key::text || crm_discovered_key::text ORDER BY name) FROM integration.table_mapping) AS cursors`,
        ),
      );
    await insertErpCustomer(gateway, 'SQL-0003', 'Never Indexed By A Read');
    const before = await index();
    for (let i = 0; i < 5; i += 1) assert.equal((await search('never indexed by a read')).totalCount, 0);
    assert.equal(await index(), before, 'the index is as it was');
  });
});
