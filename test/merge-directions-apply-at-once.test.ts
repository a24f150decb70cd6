import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { TableMappingsDocument, UpdateFieldMappingDocument } from './generated/operations';
import { startTestGateway, type TestGateway } from './support/test-gateway';

interface PhonePair {
  id: string;
  phone: string | null;
  erp: { phoneNo: string | null } | null;
  crm: { telephone1: string | null } | null;
}

const PAGE = parse(`query Phones { customers(first: 200, filter: { coupled: true }) { edges { node { id phone erp { phoneNo } crm { telephone1 } } } } }`) as TypedDocumentNode<
  { customers: { edges: Array<{ node: PhonePair }> } },
  Record<string, never>
>;
const ONE = parse(`query Phone($id: ID!) { customer(id: $id) { id phone erp { phoneNo } crm { telephone1 } } }`) as TypedDocumentNode<
  { customer: PhonePair | null },
  { id: string }
>;

/**
 * Compiled reads write the merge directions into their statements; a direction changed through the
 * API or by SQL (another process: the worker, the CLI, an administrator) must be honoured by the
 * very next read, list or lookup.
 */
describe('a changed merge direction applies to the next read', () => {
  let gateway: TestGateway;
  let phoneMapping: string;

  before(async () => {
    gateway = await startTestGateway({ label: 'merge_directions', customers: 60 });
    const mappings = await gateway.request(TableMappingsDocument, {});
    phoneMapping = mappings.data!.integrationTableMappings.find((m) => m.name === 'CUSTOMER')!.fieldMappings.find((f) => f.erpField === 'phoneNo')!.id;
  });
  after(() => gateway?.close());

  /** The coupled customers whose two sides' phone numbers differ, as a page and as lookups read them now. */
  async function differing(): Promise<PhonePair[]> {
    const page = await gateway.request(PAGE, {});
    assert.equal(page.errors, undefined, JSON.stringify(page.errors));
    const pairs = page.data!.customers.edges.map((edge) => edge.node).filter((node) => node.erp!.phoneNo !== node.crm!.telephone1);
    assert.ok(pairs.length > 0, 'the demo has coupled pairs with differing phone numbers');
    return pairs;
  }

  async function expectSide(side: 'erp' | 'crm'): Promise<void> {
    const expected = (pair: PhonePair) => (side === 'crm' ? pair.crm!.telephone1 : pair.erp!.phoneNo);
    const pairs = await differing();
    for (const pair of pairs) assert.equal(pair.phone, expected(pair), `the page takes the phone from the ${side.toUpperCase()}`);
    const looked = await gateway.request(ONE, { id: pairs[0]!.id });
    assert.equal(looked.errors, undefined, JSON.stringify(looked.errors));
    assert.equal(looked.data!.customer!.phone, expected(looked.data!.customer!), `a lookup takes the phone from the ${side.toUpperCase()}`);
  }

  const bySql = (direction: string) =>
    gateway.stores.integration.query(`UPDATE integration.field_mapping SET direction = $1 WHERE table_mapping_name = 'CUSTOMER' AND erp_field = 'phoneNo'`, [direction]);

  it('through the API', async () => {
    // Compiled with the standard rule (the side changed last) first.
    await differing();
    for (const [direction, side] of [
      ['FROM_CRM', 'crm'],
      ['TO_CRM', 'erp'],
    ] as const) {
      const changed = await gateway.request(UpdateFieldMappingDocument, { id: phoneMapping, input: { direction } }, gateway.tokens.admin);
      assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));
      await expectSide(side);
    }
  });

  it('by SQL in the integration store', async () => {
    await bySql('TO_CRM');
    await expectSide('erp');
    await bySql('FROM_CRM');
    await expectSide('crm');
    await bySql('TO_CRM');
    await expectSide('erp');
  });
});
