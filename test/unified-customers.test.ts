import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account, SystemUser } from '../entities/crm';
import { CustomerNumbersDocument, CustomersPageDocument, NodeByIdDocument, type CustomerNumbersQuery, type CustomersPageQuery } from './generated/operations';
import { newAccount } from './support/records';
import { eventually } from './support/subscriptions';
import { startTestGateway, type GraphQLResult, type TestGateway } from './support/test-gateway';

type CustomerNode = CustomersPageQuery['customers']['edges'][number]['node'];

describe('customers unify an ERP customer and a CRM account', () => {
  let gateway: TestGateway;
  let all: CustomerNode[];

  before(async () => {
    gateway = await startTestGateway({ label: 'customers', customers: 200 });
    const result = await gateway.request(CustomersPageDocument, { first: 1000 });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    all = result.data!.customers.edges.map((edge) => edge.node);
  });
  after(() => gateway?.close());

  it('lists coupled pairs once, and records that live on one side only', () => {
    const coupled = all.filter((c) => c.erp && c.crm);
    const erpOnly = all.filter((c) => c.erp && !c.crm);
    const crmOnly = all.filter((c) => !c.erp && c.crm);
    assert.ok(coupled.length > erpOnly.length && erpOnly.length > 0 && crmOnly.length > 0, `${coupled.length}/${erpOnly.length}/${crmOnly.length}`);
    assert.equal(new Set(all.map((c) => c.id)).size, all.length);
    for (const customer of coupled) {
      assert.equal(customer.coupling?.erpId, customer.erp!.systemId);
      assert.equal(customer.coupling?.crmId, customer.crm!.id);
    }
    for (const customer of [...erpOnly, ...crmOnly]) {
      assert.equal(customer.coupling, null);
      assert.equal(customer.syncState, 'UNCOUPLED');
    }
  });

  it("leaves out CRM accounts outside the mapping's filter (not customers, or inactive)", async () => {
    const result = await gateway.request(CustomerNumbersDocument, { first: 1000 });
    for (const edge of result.data!.customers.edges) {
      if (!edge.node.crm) continue;
      assert.equal(edge.node.crm.customerTypeCode, 'CUSTOMER');
      assert.equal(edge.node.crm.stateCode, 'ACTIVE');
    }
  });

  it("derives the sync state from the coupling and both sides' modified-at", () => {
    const states = new Set(all.map((c) => c.syncState));
    for (const state of ['IN_SYNC', 'PENDING', 'CONFLICT', 'UNCOUPLED']) assert.ok(states.has(state as never), `demo has ${state}`);
    const pending = all.find((c) => c.syncState === 'PENDING' && c.erp && c.crm && c.erp.phoneNo !== c.crm.telephone1);
    assert.ok(pending, 'a coupled pair with a differing phone number');
    const crmIsNewer = new Date(pending.crm!.modifiedAt) > new Date(pending.erp!.modifiedAt);
    assert.equal(pending.phone, crmIsNewer ? pending.crm!.telephone1 : pending.erp!.phoneNo, 'a bidirectional field comes from the side changed last');
  });

  it('filters by sync state exactly as it derives it', async () => {
    for (const state of ['IN_SYNC', 'PENDING', 'CONFLICT', 'UNCOUPLED'] as const) {
      const result = await gateway.request(CustomersPageDocument, { first: 1000, filter: { syncState: state } });
      const nodes = result.data!.customers.edges.map((edge) => edge.node);
      assert.equal(nodes.length, all.filter((c) => c.syncState === state).length, state);
      assert.ok(
        nodes.every((node) => node.syncState === state),
        state,
      );
    }
  });

  it('filters by coupled, by text and by modified-since', async () => {
    const coupled = await gateway.request(CustomerNumbersDocument, { first: 1000, filter: { coupled: true } });
    assert.equal(coupled.data!.customers.totalCount, all.filter((c) => c.coupling).length);
    const target = all.find((c) => c.erp)!;
    const found = await gateway.request(CustomerNumbersDocument, { first: 10, filter: { search: target.erp!.no.toLowerCase() } });
    assert.ok(found.data!.customers.edges.some((edge) => edge.node.id === target.id));
    const future = await gateway.request(CustomerNumbersDocument, { first: 10, filter: { modifiedSince: '2100-01-01T00:00:00Z' } });
    assert.equal(future.data!.customers.totalCount, 0);
  });

  it('pages with cursors through every record exactly once', async () => {
    const seen: string[] = [];
    let after: string | null | undefined = null;
    for (;;) {
      const page: GraphQLResult<CustomerNumbersQuery> = await gateway.request(CustomerNumbersDocument, { first: 37, after });
      const connection = page.data!.customers;
      seen.push(...connection.edges.map((edge) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    assert.equal(seen.length, all.length);
    assert.deepEqual([...seen].sort(), all.map((c) => c.id).sort());
  });

  it('finds the same customer by id and through node(id:)', async () => {
    const target = all.find((c) => c.coupling)!;
    const node = await gateway.request(NodeByIdDocument, { id: target.id });
    assert.equal(node.data!.node?.__typename, 'Customer');
    assert.equal(node.data!.node?.id, target.id);
  });

  it('shows an account written straight into the CRM once the read model has followed it', async () => {
    const owner = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false });
    const account = newAccount('Walk-in Trading Ltd', owner.id);
    await gateway.services.connectors.crm.bulkUpsert(gateway.services.connectors.crm.table<Account>('account'), [account], owner.id);
    const nodes = await eventually(
      async () => {
        const result = await gateway.request(CustomersPageDocument, { first: 5, filter: { search: 'walk-in trading' } });
        const found = result.data!.customers.edges.map((edge) => edge.node);
        return found.length > 0 ? found : undefined;
      },
      10_000,
      'the account in the list',
    );
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0]!.erp, null);
    assert.equal(nodes[0]!.crm?.id, account.id);
    assert.equal(nodes[0]!.syncState, 'UNCOUPLED');
    assert.equal(nodes[0]!.salesperson?.crm?.id, owner.id, 'a CRM-only account shows its owner as salesperson');
  });
});
