import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse, type OperationDefinitionNode } from 'graphql';
import { CompiledResponsePlans } from '../src/server/compiled-response-plans';
import { OperationDeadlines } from '../src/server/limits/operation-deadline';
import { CompiledReads } from '../src/unify/compiled/compiled-reads';
import { UnifiedListService } from '../src/unify/unified-list.service';
import { gatewaySchema, startTestGateway, type TestGateway } from './support/test-gateway';

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Schema?: string;
  readonly Plans?: readonly PlanNode[];
}

/** Every relation a plan reads whole, as schema.table. */
function sequentialScans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' ? [`${node.Schema}.${node['Relation Name']}`] : [];
  return [...own, ...(node.Plans ?? []).flatMap(sequentialScans)];
}

/**
 * A connection plans a prepared statement for its parameters on its first five executions, before
 * PostgreSQL settles on a generic plan. For a federation router's batch of references the lookup's
 * custom plan joined the sides plainly and hashed the whole customer table: at 100,000 customers
 * each such execution took 100 ms more, and every connection the pool opened again after a quiet
 * spell paid it five times.
 */
describe('a batch of references probes each side by key', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'lookup_probes', customers: 3_000 });
  });
  after(() => gateway?.close());

  it("reads no side's whole table in the plan made for a batch's parameters", async () => {
    const { stores } = gateway;
    const reads = new CompiledReads(stores, new UnifiedListService(stores.integration), new OperationDeadlines([stores.erp, stores.crm, stores.integration]));
    const document = parse('query Refs($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id erp { no name } crm { name } } } }');
    const plan = new CompiledResponsePlans(await gatewaySchema(), reads).planOf(document, document.definitions[0] as OperationDefinitionNode);
    assert.equal(plan?.kind, 'entities');
    const record = plan.records.get('Customer')!;
    const keys = (await stores.integration.query(
      `SELECT erp_id, crm_id FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL ORDER BY id LIMIT 1000`,
    )) as Array<{ erp_id: string; crm_id: string }>;
    assert.equal(keys.length, 1000);
    // Half by the ERP side's key, half by the CRM side's: both sides' probes are planned.
    const ids = keys.map((key, index) =>
      index % 2 ? { typeName: 'Customer', system: 'crm' as const, key: key.crm_id } : { typeName: 'Customer', system: 'erp' as const, key: key.erp_id },
    );
    const { statement, values } = await reads.lookupTextStatement(record.selection, ids, record.shape);
    // An unnamed statement with its parameters bound is planned for them, as a custom plan is.
    const [explained] = (await stores.integration.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${statement.text}`, values)) as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
    const scanned = sequentialScans(explained!['QUERY PLAN'][0]!.Plan);
    assert.deepEqual(
      scanned.filter((relation) => relation === 'erp.customer' || relation === 'crm.account'),
      [],
      `relations read whole: ${scanned.join(', ')}`,
    );
  });
});
