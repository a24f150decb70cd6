import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Account, SystemUser } from '../entities/crm';
import { Customer, SalespersonPurchaser } from '../entities/erp';
import { IntegrationRecord } from '../entities/integration/integration-record.entity';
import { OptionCoupling } from '../entities/integration/option-coupling.entity';
import { RunSyncDocument } from './generated/operations';
import { EDITABLE, worlds, type Edit, type EditedField, type World, type WorldAccount, type WorldCustomer } from './support/customer-world';
import { FieldMapping } from '../entities/integration/field-mapping.entity';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const BASE = new Date('2026-01-01T00:00:00Z');
const ERP_EDITED_AT = new Date('2026-01-01T01:00:00Z');
const CRM_EDITED_AT = new Date('2026-01-01T02:00:00Z');
const WORLDS = Number(process.env.ORACLE_WORLDS ?? 200);

/*
 * The specification, written plainly and independently of the engine: what one synchronisation
 * of the CUSTOMER mapping (both directions, a random conflict policy, coupled records only or not)
 * must leave in both systems. A coupled pair that keeps its fields' last synchronised values is
 * merged field by field; one synchronised before they were kept is decided as a whole record.
 */
const paymentTermsOption = (terms: string | null) => (terms === '30D' ? 2 : null);
const FIELDS: Readonly<Record<EditedField, { erp: keyof WorldCustomer; crm: keyof WorldAccount; customer: string; account: string }>> = {
  name: { erp: 'name', crm: 'name', customer: 'name', account: 'name' },
  phone: { erp: 'phone', crm: 'phone', customer: 'phoneNo', account: 'telephone1' },
  email: { erp: 'email', crm: 'email', customer: 'email', account: 'emailAddress1' },
  city: { erp: 'city', crm: 'city', customer: 'city', account: 'address1City' },
};
const editedCustomer = (c: WorldCustomer, edit: Edit, i: number): WorldCustomer => ({ ...c, ...Object.fromEntries(edit.map((field) => [FIELDS[field].erp, `ERP ${field} ${i}`])) });
const editedAccount = (a: WorldAccount, edit: Edit, i: number): WorldAccount => ({ ...a, ...Object.fromEntries(edit.map((field) => [FIELDS[field].crm, `CRM ${field} ${i}`])) });
const accountFields = (c: WorldCustomer, owner: string) => ({
  accountNumber: c.no,
  name: c.name,
  telephone1: c.phone,
  emailAddress1: c.email,
  address1City: c.city,
  creditLimit: c.creditLimit,
  ownerId: owner,
  paymentTermsCode: paymentTermsOption(c.paymentTerms),
  customerTypeCode: 'CUSTOMER',
});
const customerFields = (c: WorldCustomer) => ({ no: c.no, name: c.name, phoneNo: c.phone, email: c.email, city: c.city, creditLimitLcy: c.creditLimit });
const fromAccount = (a: WorldAccount) => ({ name: a.name, phoneNo: a.phone, email: a.email, city: a.city });
const pick = (record: object, fields: object) => Object.fromEntries(Object.keys(fields).map((key) => [key, (record as Record<string, unknown>)[key] ?? null]));

describe('oracle: the engine agrees with a plain specification on random worlds', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'oracle' });
    // Each world writes its own integration records beside its rows; a follower indexing them meanwhile would race it.
    await gateway.services.readModel.stop();
  });
  after(() => gateway?.close());

  async function build(world: World) {
    const { erp, crm, integration } = gateway.stores;
    await erp.query('TRUNCATE erp.customer, erp.salesperson_purchaser');
    await crm.query('TRUNCATE crm.account, crm.system_user');
    await integration.query('TRUNCATE integration.integration_record, integration.option_coupling');
    await integration.query(`UPDATE integration.table_mapping SET erp_synced_until = NULL, crm_synced_until = NULL, erp_discovered_at = NULL, erp_discovered_key = NULL, crm_discovered_at = NULL, crm_discovered_key = NULL`);
    await integration.query(`UPDATE integration.table_mapping SET sync_only_coupled_records = $1, update_conflict_resolution = $2 WHERE name = 'CUSTOMER'`, [world.syncOnlyCoupledRecords, world.conflictPolicy]);
    await integration.getRepository(OptionCoupling).insert({ id: randomUUID(), optionMappingName: 'PAYMENT TERMS', erpCode: '30D', crmValue: 2, modifiedAt: BASE, modifiedBy: 'oracle' });
    const stamp = { modifiedAt: BASE };
    const user = (name: string, integrationUser: boolean) => ({ id: randomUUID(), fullName: name, domainName: `${name}@example`, internalEmailAddress: null, isDisabled: false, isLicensed: true, isIntegrationUser: integrationUser, ...stamp, modifiedBy: '00000000-0000-4000-8000-000000000000' });
    const integrationUser = user('integration', true);
    const users = world.salespeople.map((_, i) => user(`user${i}`, false));
    await crm.getRepository(SystemUser).insert([integrationUser, ...users]);
    const salespeople = world.salespeople.map((_, i) => ({ systemId: randomUUID(), code: `SP${i}`, name: `user${i}`, email: null, phoneNo: null, blocked: false, ...stamp, modifiedBy: 'ORACLE' }));
    await erp.getRepository(SalespersonPurchaser).insert(salespeople);
    const links: Partial<IntegrationRecord>[] = [];
    const link = (mappingName: string, erpId: string, crmId: string, syncedValues: string | null = null) =>
      links.push({ id: randomUUID(), mappingName, erpId, crmId, erpModifiedAt: BASE, crmModifiedAt: BASE, sortKey: erpId, coupledAt: BASE, lastSyncedAt: BASE, lastSyncedErpModifiedAt: BASE, lastSyncedCrmModifiedAt: BASE, syncedValues, lastResult: 'SUCCESS' as never, modifiedAt: BASE, modifiedBy: 'oracle' });
    // The last synchronised values of a pair are its rows as they were then: every mapped field of both.
    const mapped = (await integration.getRepository(FieldMapping).findBy({ tableMappingName: 'CUSTOMER', enabled: true })).filter((field) => field.erpField !== null && field.constantValue === null);
    const syncedValuesOf = (erpRow: Record<string, unknown>, crmRow: Record<string, unknown>) =>
      JSON.stringify(Object.fromEntries(mapped.map((field) => [field.crmField, [erpRow[field.erpField!] ?? null, crmRow[field.crmField] ?? null]])));
    world.salespeople.forEach((coupled, i) => coupled && link('SALESPEOPLE', salespeople[i]!.systemId, users[i]!.id));
    const ownerOf = (c: WorldCustomer) => (c.salesperson !== null && world.salespeople[c.salesperson] ? users[c.salesperson]!.id : null);
    const customerRow = (c: WorldCustomer, modifiedAt: Date) => ({
      systemId: randomUUID(), ...customerFields(c), address: null, postCode: null, countryRegionCode: null, salespersonCode: c.salesperson === null ? null : `SP${c.salesperson}`,
      currencyCode: null, customerPriceGroup: null, paymentTermsCode: c.paymentTerms, shipmentMethodCode: null, shippingAgentCode: null, blocked: 'NONE' as never, modifiedAt, modifiedBy: 'ORACLE',
    });
    const accountRow = (a: WorldAccount, owner: string, accountNumber: string | null, modifiedAt: Date, modifiedBy: string, extra: object = {}) => ({
      id: randomUUID(), name: a.name, accountNumber, customerTypeCode: a.relationship as never, stateCode: (a.active ? 'ACTIVE' : 'INACTIVE') as never, ownerId: owner, transactionCurrencyId: null,
      paymentTermsCode: null, address1FreightTermsCode: null, address1ShippingMethodCode: null, parentAccountId: null, telephone1: a.phone, emailAddress1: a.email, address1Line1: null,
      address1City: a.city, address1PostalCode: null, address1Country: null, creditLimit: null, modifiedAt, modifiedBy, ...extra,
    });
    const anyOwner = users[0]!.id;
    const pairs = world.pairs.map((p, i) => {
      const original = { ...p.customer, no: `C${i}` };
      const customer = editedCustomer(original, p.erpEdit, i);
      const inSync: WorldAccount = { ...p.account, name: original.name, phone: original.phone, email: original.email, city: original.city };
      const account = editedAccount(inSync, p.crmEdit, i);
      const erpRow = customerRow(customer, p.erpEdit.length === 0 ? BASE : ERP_EDITED_AT);
      const accountExtra = { creditLimit: original.creditLimit, paymentTermsCode: paymentTermsOption(original.paymentTerms) };
      const owner = ownerOf(original) ?? anyOwner;
      const crmRow = accountRow(account, owner, original.no, p.crmEdit.length === 0 ? BASE : CRM_EDITED_AT, p.crmEdit.length > 0 && !p.crmEditByIntegrationUser ? anyOwner : integrationUser.id, accountExtra);
      const base = p.keepsValues ? syncedValuesOf({ ...customerRow(original, BASE), systemId: erpRow.systemId }, accountRow(inSync, owner, original.no, BASE, anyOwner, accountExtra)) : null;
      link('CUSTOMER', erpRow.systemId, crmRow.id, base);
      return { p, i, customer, account, erpRow, crmRow };
    });
    const erpOnly = world.erpOnly.map((c, i) => ({ c: { ...c, no: `E${i}` }, row: customerRow({ ...c, no: `E${i}` }, BASE) }));
    const crmOnly = world.crmOnly.map((a) => ({ a, row: accountRow(a, anyOwner, null, BASE, a.byIntegrationUser ? integrationUser.id : anyOwner) }));
    await erp.getRepository(Customer).insert([...pairs.map((x) => x.erpRow), ...erpOnly.map((x) => x.row)]);
    const accounts = [...pairs.filter((x) => !x.p.accountDeleted).map((x) => x.crmRow), ...crmOnly.map((x) => x.row)];
    if (accounts.length > 0) await crm.getRepository(Account).insert(accounts);
    if (links.length > 0) await integration.getRepository(IntegrationRecord).insert(links as IntegrationRecord[]);
    return { pairs, erpOnly, crmOnly, ownerOf, integrationUser };
  }

  it(`agrees on ${WORLDS} random worlds (a failure prints the seed to replay it)`, async () => {
    await fc.assert(
      fc.asyncProperty(worlds(), async (world) => {
        const built = await build(world);
        const result = await gateway.request(RunSyncDocument, { mapping: 'CUSTOMER', mode: world.fullRun ? 'FULL' : 'INCREMENTAL' }, gateway.tokens.operator);
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        const { erp, crm, integration } = gateway.stores;
        const customerBy = async (systemId: string) => erp.getRepository(Customer).findOneByOrFail({ systemId });
        const accountBy = async (id: string) => crm.getRepository(Account).findOneBy({ id });
        const linkOf = (where: object) => integration.getRepository(IntegrationRecord).findOneBy({ mappingName: 'CUSTOMER', ...where });

        for (const { p, i, customer, account, erpRow, crmRow } of built.pairs) {
          const erpChanged = p.erpEdit.length > 0;
          const crmChanged = p.crmEdit.length > 0 && !p.crmEditByIntegrationUser;
          const owner = built.ownerOf(customer);
          const storedCustomer = await customerBy(erpRow.systemId);
          const storedAccount = await accountBy(crmRow.id);
          if (p.accountDeleted) {
            assert.deepEqual(pick(storedCustomer, customerFields(customer)), customerFields(customer), `pair ${i}: a deleted counterpart changes nothing`);
            assert.equal(storedAccount, null);
            continue;
          }
          const original = accountFields({ ...world.pairs[i]!.customer, no: `C${i}` }, crmRow.ownerId);
          const unchangedAccount = { ...original, ...pick(crmRow, { name: 0, telephone1: 0, emailAddress1: 0, address1City: 0 }) };
          let expectedCustomer: Record<string, unknown> = customerFields(customer);
          let expectedAccount: Record<string, unknown> = unchangedAccount;
          if (p.keepsValues) {
            // Field by field: a field changed on one side flows; changed on both, the policy decides or both keep theirs.
            for (const field of EDITABLE) {
              const { customer: customerField, account: accountField, erp, crm } = FIELDS[field];
              const erpEdited = p.erpEdit.includes(field);
              const crmEdited = crmChanged && p.crmEdit.includes(field);
              const winner = erpEdited && crmEdited ? (world.conflictPolicy === 'ERP_WINS' ? 'erp' : world.conflictPolicy === 'CRM_WINS' ? 'crm' : null) : erpEdited ? 'erp' : crmEdited ? 'crm' : null;
              if (winner === 'erp') expectedAccount = { ...expectedAccount, [accountField]: customer[erp] };
              if (winner === 'crm') expectedCustomer = { ...expectedCustomer, [customerField]: account[crm] };
            }
          } else {
            // As a whole record: the side that changed is copied; both changed, the policy decides or nothing moves.
            const winner = erpChanged && crmChanged ? (world.conflictPolicy === 'ERP_WINS' ? 'erp' : world.conflictPolicy === 'CRM_WINS' ? 'crm' : null) : erpChanged ? 'erp' : crmChanged ? 'crm' : null;
            // An account's owner comes from the customer's salesperson, which must be coupled, or the record is skipped.
            if (winner === 'erp' && owner) expectedAccount = accountFields(customer, owner);
            if (winner === 'crm') expectedCustomer = { ...customerFields(customer), ...fromAccount(account) };
          }
          assert.deepEqual(pick(storedCustomer, expectedCustomer), expectedCustomer, `pair ${i}: ERP customer`);
          assert.deepEqual(pick(storedAccount!, expectedAccount), expectedAccount, `pair ${i}: CRM account`);
        }
        // Uncoupled records get a counterpart in a full run, or when the mapping does not keep to coupled records.
        const creates = world.fullRun || !world.syncOnlyCoupledRecords;
        for (const { c, row } of built.erpOnly) {
          const created = await linkOf({ erpId: row.systemId });
          const owner = built.ownerOf(c);
          if (!creates) {
            assert.ok(!created?.crmId, `${c.no}: only coupled records are synchronised`);
            continue;
          }
          if (!owner) {
            assert.ok(!created?.crmId, `${c.no}: without a coupled salesperson no account is created`);
            continue;
          }
          assert.ok(created?.crmId, `${c.no}: an account is created`);
          assert.deepEqual(pick((await accountBy(created.crmId))!, accountFields(c, owner)), accountFields(c, owner));
        }
        for (const { a, row } of built.crmOnly) {
          const created = await linkOf({ crmId: row.id });
          if (!creates || a.relationship !== 'CUSTOMER' || !a.active || a.byIntegrationUser) {
            assert.ok(!created?.erpId, 'accounts outside the filter, or written by the integration user, make no customer');
            continue;
          }
          assert.ok(created?.erpId, 'an in-scope account becomes a customer');
          const customer = await customerBy(created.erpId);
          assert.deepEqual(pick(customer, fromAccount(a)), fromAccount(a));
        }
        const expectedCustomers =
          built.pairs.length + built.erpOnly.length + (creates ? built.crmOnly.filter(({ a }) => a.relationship === 'CUSTOMER' && a.active && !a.byIntegrationUser).length : 0);
        assert.equal(await erp.getRepository(Customer).count(), expectedCustomers, 'no duplicates in the ERP');
        const expectedAccounts =
          built.pairs.filter((x) => !x.p.accountDeleted).length + built.crmOnly.length + (creates ? built.erpOnly.filter(({ c }) => built.ownerOf(c)).length : 0);
        assert.equal(await crm.getRepository(Account).count(), expectedAccounts, 'no duplicates in the CRM');
      }),
      // Replay a failing world with ORACLE_SEED and ORACLE_PATH as printed.
      { numRuns: WORLDS, seed: process.env.ORACLE_SEED ? Number(process.env.ORACLE_SEED) : undefined, path: process.env.ORACLE_PATH },
    );
  });
});
