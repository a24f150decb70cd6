import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RunSyncDocument, UpdateConnectionSetupDocument, UpdateTableMappingDocument } from './generated/operations';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

interface CoupledCustomer {
  readonly erpId: string;
  readonly crmId: string;
}

/**
 * Writes committed in either system reach the other through change notifications and an
 * incremental run in the background worker, without anyone asking for a run.
 */
describe('near-real-time change propagation', () => {
  let gateway: TestGateway;
  let customers: CoupledCustomer[];
  let salesUser: string;

  before(async () => {
    gateway = await startTestGateway({ label: 'propagation', customers: 30, worker: true });
    // A mapping joins propagation once it has been synchronised.
    const run = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: 'INCREMENTAL' }, gateway.tokens.operator);
    assert.equal(run.errors, undefined);
    customers = await gateway.stores.integration.query(
      `SELECT erp_id AS "erpId", crm_id AS "crmId" FROM integration.integration_record
        WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_code LIMIT 3`,
    );
    assert.equal(customers.length, 3, 'the demo has coupled customers in sync');
    [{ id: salesUser }] = await gateway.stores.crm.query(`SELECT id FROM crm.system_user WHERE NOT is_integration_user LIMIT 1`);
  });
  after(() => gateway?.close());

  const accountOf = async (crmId: string) => (await gateway.stores.crm.query(`SELECT name, telephone1 FROM crm.account WHERE id = $1`, [crmId]))[0];
  const customerOf = async (erpId: string) => (await gateway.stores.erp.query(`SELECT name, phone_no AS "phoneNo" FROM erp.customer WHERE system_id = $1`, [erpId]))[0];

  it('an ERP change reaches the coupled CRM account', async () => {
    const { erpId, crmId } = customers[0]!;
    await gateway.stores.erp.query(`UPDATE erp.customer SET name = 'Renamed in the ERP', modified_at = now(), modified_by = 'ERP USER' WHERE system_id = $1`, [erpId]);
    await eventually(async () => ((await accountOf(crmId)).name === 'Renamed in the ERP' ? true : undefined), 15_000, 'the account to follow');
  });

  it('a CRM change reaches the coupled ERP customer', async () => {
    const { erpId, crmId } = customers[1]!;
    await gateway.stores.crm.query(`UPDATE crm.account SET telephone1 = '+44 20 7946 0001', modified_at = now(), modified_by = $2 WHERE id = $1`, [crmId, salesUser]);
    await eventually(async () => ((await customerOf(erpId)).phoneNo === '+44 20 7946 0001' ? true : undefined), 15_000, 'the customer to follow');
  });

  it('edits on both sides still obey the conflict policy: with NONE, neither is overwritten and the pair is reported', async () => {
    const { erpId, crmId } = customers[2]!;
    // One transaction in the shared test database commits both edits at once, as two people editing at the same moment.
    await gateway.stores.erp.transaction(async (manager) => {
      await manager.query(`UPDATE erp.customer SET name = 'ERP edit', modified_at = now(), modified_by = 'ERP USER' WHERE system_id = $1`, [erpId]);
      await manager.query(`UPDATE crm.account SET name = 'CRM edit', modified_at = now(), modified_by = $2 WHERE id = $1`, [crmId, salesUser]);
    });
    const result = await eventually(
      async () => {
        const [link] = await gateway.stores.integration.query(`SELECT last_result FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id = $1`, [erpId]);
        return link.last_result === 'CONFLICT' ? link.last_result : undefined;
      },
      15_000,
      'the conflict to be reported',
    );
    assert.equal(result, 'CONFLICT');
    assert.equal((await customerOf(erpId)).name, 'ERP edit');
    assert.equal((await accountOf(crmId)).name, 'CRM edit');
  });

  it('a CRM order newly submitted is transferred to the ERP when Automatically Create Sales Orders is on', async () => {
    const setup = await gateway.request(UpdateConnectionSetupDocument, { input: { salesOrderIntegrationEnabled: true, autoCreateSalesOrders: true } }, gateway.tokens.admin);
    assert.equal(setup.errors, undefined);
    const [order] = await gateway.stores.crm.query(
      `SELECT o.id, o.order_number AS "orderNumber", o.name FROM crm.sales_order o
        WHERE o.state_code = 'ACTIVE' AND o.customer_id = ANY($1::uuid[]) ORDER BY o.order_number LIMIT 1`,
      [
        (
          await gateway.stores.integration.query(`SELECT crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL`)
        ).map((r: { crm_id: string }) => r.crm_id),
      ],
    );
    assert.ok(order, 'the demo has an order in progress for a coupled account');
    await gateway.stores.crm.query(`UPDATE crm.sales_order SET state_code = 'SUBMITTED', submitted_at = now(), modified_at = now(), modified_by = $2 WHERE id = $1`, [
      order.id,
      salesUser,
    ]);
    const header = await eventually(
      async () => {
        const [row] = await gateway.stores.erp.query(`SELECT external_document_no AS "externalDocumentNo" FROM erp.sales_header WHERE your_reference = $1`, [order.orderNumber]);
        return row;
      },
      15_000,
      'the ERP order',
    );
    assert.equal(header.externalDocumentNo, String(order.name).slice(0, 35));
  });

  it('a change no notification announced is picked up by the scheduled run, at the interval set per mapping', async () => {
    const refused = await gateway.request(UpdateTableMappingDocument, { name: 'CUSTOMER', input: { incrementalIntervalSeconds: 0 } }, gateway.tokens.admin);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const updated = await gateway.request(UpdateTableMappingDocument, { name: 'CUSTOMER', input: { incrementalIntervalSeconds: 1 } }, gateway.tokens.admin);
    assert.equal(updated.data?.updateTableMapping.incrementalIntervalSeconds, 1);
    const { erpId, crmId } = customers[0]!;
    await gateway.stores.erp.transaction(async (manager) => {
      // Triggers off for this transaction: a write that bypasses the change notifications.
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(`UPDATE erp.customer SET name = 'Renamed quietly', modified_at = now(), modified_by = 'ERP USER' WHERE system_id = $1`, [erpId]);
    });
    await eventually(async () => ((await accountOf(crmId)).name === 'Renamed quietly' ? true : undefined), 20_000, 'the scheduled run');
  });
});
