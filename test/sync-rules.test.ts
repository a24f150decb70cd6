import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { In, IsNull, LessThan, Not, type FindOptionsWhere } from 'typeorm';
import { Account, Contact as CrmContact, Product, ProductPriceLevel, PriceLevel, SystemUser, TransactionCurrency, Unit, UnitGroup } from '../entities/crm';
import { Contact as ErpContact, Currency, Customer, SalespersonPurchaser, UnitOfMeasure } from '../entities/erp';
import { IntegrationRecord } from '../entities/integration/integration-record.entity';
import { TableMapping } from '../entities/integration/table-mapping.entity';
import { CustomersPageDocument, RunSyncDocument, UpdateTableMappingDocument, type RunSyncMutation } from './generated/operations';
import { startGatewayOver, SYSTEMS } from './support/emulated-systems';
import type { TestGateway } from './support/test-gateway';

type Job = RunSyncMutation['runSync'];

/*
 * One test per rule of the seed's "Synchronisation Rules", each run through the GraphQL API on a
 * demo company, checking both systems afterwards.
 */
for (const systems of SYSTEMS) {
  describe(`synchronisation follows the seed's rules${systems.title}`, () => {
    let gateway: TestGateway;
    const jobs: Record<string, Job> = {};

    async function runSync(mapping: string, mode: 'INCREMENTAL' | 'FULL' = 'FULL'): Promise<Job> {
      const result = await gateway.request(RunSyncDocument, { mapping, mode }, gateway.tokens.operator);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      return result.data!.runSync;
    }
    const link = (mappingName: string, where: FindOptionsWhere<IntegrationRecord>) =>
      gateway.stores.integration.getRepository(IntegrationRecord).findOneBy({ mappingName, ...where });
    const integrationUser = () => gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: true });

    before(async () => {
      gateway = await startGatewayOver(systems.products, { label: 'syncrules', customers: 120 });
      for (const mapping of ['SALESPEOPLE', 'CURRENCY', 'UNIT OF MEASURE', 'CUSTOMER', 'CONTACT', 'ITEM-PRODUCT']) jobs[mapping] = await runSync(mapping);
    });
    after(() => gateway?.close());

    it('Salespersons: only enabled, licensed users that are not the integration user become salespeople', async () => {
      const excluded = await gateway.stores.crm.getRepository(SystemUser).findBy([{ isDisabled: true }, { isLicensed: false }, { isIntegrationUser: true }]);
      assert.ok(excluded.length >= 5);
      const links = await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'SALESPEOPLE', crmId: In(excluded.map((u) => u.id)) });
      assert.deepEqual(
        links.filter((l) => l.erpId),
        [],
        'no excluded user is coupled to a salesperson',
      );
      const names = (await gateway.stores.erp.getRepository(SalespersonPurchaser).find()).map((s) => s.name);
      for (const user of excluded) assert.ok(!names.includes(user.fullName), `${user.fullName} has no salesperson`);
      assert.ok(jobs.SALESPEOPLE!.inserted >= 1, 'an enabled, licensed user without a salesperson got one');
    });

    it('Customers: a customer whose salesperson is not coupled to a CRM user is skipped, with the reason', async () => {
      const customers = await gateway.stores.erp.getRepository(Customer).findBy({ salespersonCode: Not(IsNull()) });
      let checked = 0;
      for (const customer of customers) {
        const salesperson = await gateway.stores.erp.getRepository(SalespersonPurchaser).findOneByOrFail({ code: customer.salespersonCode! });
        const salespersonLink = await link('SALESPEOPLE', { erpId: salesperson.systemId });
        if (salespersonLink?.crmId) continue;
        const customerLink = await link('CUSTOMER', { erpId: customer.systemId });
        if (customerLink?.crmId) continue;
        assert.equal(customerLink?.lastResult, 'SKIPPED');
        assert.match(customerLink!.lastError!, new RegExp(`SALESPEOPLE ${salesperson.code}.*not coupled`));
        assert.equal(await gateway.stores.crm.getRepository(Account).countBy({ name: customer.name, accountNumber: customer.no }), 0, 'no account was created');
        checked += 1;
      }
      assert.ok(checked > 0, 'the demo has customers of uncoupled salespeople');
      assert.ok(jobs.CUSTOMER!.skipped >= checked);
    });

    it('Customers: the salesperson code decides the owner of the account created for a customer', async () => {
      const created = await gateway.stores.crm.getRepository(Account).findBy({ modifiedBy: (await integrationUser()).id, customerTypeCode: 'CUSTOMER' as never });
      assert.ok(created.length > 0 && jobs.CUSTOMER!.inserted > 0);
      for (const account of created.slice(0, 20)) {
        const customerLink = await link('CUSTOMER', { crmId: account.id });
        const customer = await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: customerLink!.erpId! });
        const salesperson = await gateway.stores.erp.getRepository(SalespersonPurchaser).findOneByOrFail({ code: customer.salespersonCode! });
        assert.equal(account.ownerId, (await link('SALESPEOPLE', { erpId: salesperson.systemId }))!.crmId);
        assert.equal(account.name, customer.name);
        assert.equal(account.accountNumber, customer.no);
      }
    });

    it('Customers: only accounts of relationship type Customer (and active) become ERP customers', async () => {
      const others = await gateway.stores.crm.getRepository(Account).findBy([{ customerTypeCode: Not('CUSTOMER') as never }, { stateCode: 'INACTIVE' as never }]);
      assert.ok(others.length > 0);
      const links = await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CUSTOMER', crmId: In(others.map((a) => a.id)) });
      assert.deepEqual(
        links.filter((l) => l.erpId),
        [],
      );
    });

    it('Account options: an ERP value with no CRM option is left blank on the account, and reported', async () => {
      const cod = await gateway.stores.erp.getRepository(Customer).findBy({ paymentTermsCode: 'COD' });
      const accounts = [];
      for (const customer of cod) {
        const customerLink = await link('CUSTOMER', { erpId: customer.systemId });
        if (customerLink?.crmId && customerLink.lastResult === 'SUCCESS' && customerLink.lastSyncedAt)
          accounts.push(await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: customerLink.crmId }));
      }
      assert.ok(accounts.length > 0, 'a customer with payment terms COD was synchronised');
      for (const account of accounts) assert.equal(account.paymentTermsCode, null);
      assert.match(jobs.CUSTOMER!.message ?? '', /PAYMENT TERMS COD has no CRM option/);
    });

    it('Contacts: only CRM contacts that belong to an account are created in the ERP, owned through the salesperson', async () => {
      const orphans = await gateway.stores.crm.getRepository(CrmContact).findBy({ parentCustomerId: IsNull() });
      const links = await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CONTACT', crmId: In(orphans.map((c) => c.id)) });
      assert.deepEqual(
        links.filter((l) => l.erpId),
        [],
      );
      const createdInErp = await gateway.stores.erp.getRepository(ErpContact).findBy({ modifiedBy: 'CRM INTEGRATION' });
      for (const contact of createdInErp) assert.ok(contact.companyNo, 'a contact created from the CRM belongs to a company');
    });

    it('Currencies: only currencies with a standard ISO code are synchronised', async () => {
      const withoutIso = await gateway.stores.erp.getRepository(Currency).findBy({ isoCode: IsNull() });
      assert.ok(withoutIso.length > 0);
      const links = await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CURRENCY', erpId: In(withoutIso.map((c) => c.systemId)) });
      assert.deepEqual(
        links.filter((l) => l.crmId),
        [],
      );
      assert.equal(await gateway.stores.crm.getRepository(TransactionCurrency).count(), await gateway.stores.erp.getRepository(Currency).countBy({ isoCode: Not(IsNull()) }));
    });

    it('Currencies: a currency whose ISO code is not standard is skipped, with the reason', async () => {
      const made = Object.assign(new Currency(), {
        systemId: '5d6e7f80-0000-4000-8000-00000000c0de',
        code: 'TOKEN',
        description: 'Loyalty token',
        isoCode: 'ZZQ',
        symbol: null,
        exchangeRate: 1,
      });
      await gateway.services.connectors.erp.bulkUpsert(gateway.services.connectors.erp.table<Currency>('currency'), [made], 'TEST');
      const job = await runSync('CURRENCY');
      assert.equal(job.inserted, 0);
      const skipped = await link('CURRENCY', { erpId: made.systemId });
      assert.deepEqual([skipped?.lastResult, skipped?.crmId], ['SKIPPED', null]);
      assert.match(skipped!.lastError!, /ZZQ is not a standard ISO currency code/);
      assert.equal(await gateway.stores.crm.getRepository(TransactionCurrency).countBy({ isoCurrencyCode: 'ZZQ' }), 0);
    });

    it('Units of measure: each synchronised unit group holds exactly one unit', async () => {
      const links = (await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'UNIT OF MEASURE' })).filter((l) => l.erpId && l.crmId);
      assert.equal(links.length, await gateway.stores.erp.getRepository(UnitOfMeasure).count(), 'every unit of measure has its unit group');
      for (const { crmId } of links) {
        const units = await gateway.stores.crm.getRepository(Unit).findBy({ unitGroupId: crmId! });
        assert.equal(units.length, 1, `unit group ${crmId}`);
        assert.ok(await gateway.stores.crm.getRepository(UnitGroup).existsBy({ id: crmId! }));
      }
    });

    it('Items: synchronising an item creates and maintains its entry in the CRM item price list', async () => {
      assert.ok(jobs['ITEM-PRODUCT']!.inserted > 0);
      const priceList = await gateway.stores.crm.getRepository(PriceLevel).findOneByOrFail({ name: 'BC Item Price List' });
      const created = await gateway.stores.crm.getRepository(Product).findBy({ modifiedBy: (await integrationUser()).id, productTypeCode: 'SALES_INVENTORY' as never });
      assert.ok(created.length > 0);
      for (const product of created) {
        assert.equal(product.priceLevelId, priceList.id);
        const entries = await gateway.stores.crm.getRepository(ProductPriceLevel).findBy({ priceLevelId: priceList.id, productId: product.id });
        assert.equal(entries.length, 1);
        assert.equal(entries[0]!.amount, product.price);
      }
    });

    it('Items: a change to an item whose entry the price list held before the gateway updates that entry, not a second one', async () => {
      const priceList = await gateway.stores.crm.getRepository(PriceLevel).findOneByOrFail({ name: 'BC Item Price List' });
      const pairs = await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'ITEM-PRODUCT', lastResult: 'SUCCESS' as never });
      // An entry the demo company had (entered before the gateway ran: stamped long ago).
      const entered = await gateway.stores.crm.getRepository(ProductPriceLevel).findBy({
        priceLevelId: priceList.id,
        productId: In(pairs.flatMap((link) => (link.erpId && link.crmId ? [link.crmId] : []))),
        modifiedAt: LessThan(new Date(Date.now() - 86_400_000)),
      });
      const before = entered[0]!;
      assert.ok(before, 'the demo entered coupled items in the item price list');
      const pair = pairs.find((link) => link.crmId === before.productId)!;
      await gateway.stores.erp.query(`UPDATE erp.item SET unit_price = unit_price + 1, modified_by = 'ERP USER', modified_at = now() WHERE system_id = $1`, [pair.erpId]);
      const job = await runSync('ITEM-PRODUCT', 'INCREMENTAL');
      assert.equal(job.failed, 0, 'the CRM took the item and its entry');
      const entries = await gateway.stores.crm.getRepository(ProductPriceLevel).findBy({ priceLevelId: priceList.id, productId: pair.crmId! });
      assert.deepEqual(
        entries.map((entry) => entry.id),
        [before.id],
      );
      const product = await gateway.stores.crm.getRepository(Product).findOneByOrFail({ id: pair.crmId! });
      assert.equal(Number(entries[0]!.amount), Number(product.price));
    });

    it('Records the synchronisation created appear once in the unified graph, coupled and in sync', async () => {
      const created = await gateway.stores.crm.getRepository(Account).findBy({ modifiedBy: (await integrationUser()).id, customerTypeCode: 'CUSTOMER' as never });
      assert.ok(created.length > 5);
      for (const account of created.slice(0, 5)) {
        const found = await gateway.request(CustomersPageDocument, { first: 10, filter: { search: account.accountNumber!.toLowerCase() } });
        const nodes = found.data!.customers.edges.map((edge) => edge.node).filter((node) => node.crm?.id === account.id || node.erp?.no === account.accountNumber);
        assert.equal(nodes.length, 1, `${account.accountNumber} is one unified customer`);
        assert.equal(nodes[0]!.crm?.id, account.id);
        assert.equal(nodes[0]!.syncState, 'IN_SYNC');
      }
    });

    /** A coupled account whose telephone the integration user changes, as the engine's own writes would. */
    const phoneChangedByIntegrationUser = async (telephone1: string): Promise<IntegrationRecord> => {
      const pair = (await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CUSTOMER', lastResult: 'SUCCESS' as never })).find(
        (l) => l.erpId && l.crmId,
      )!;
      const account = await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: pair.crmId! });
      await gateway.services.connectors.crm.bulkUpsert(gateway.services.connectors.crm.table<Account>('account'), [{ ...account, telephone1 }], (await integrationUser()).id);
      return pair;
    };

    it('Modifications made in the CRM by the integration user are ignored', async () => {
      const pair = await phoneChangedByIntegrationUser('+00 000 INTEGRATION');
      const job = await runSync('CUSTOMER');
      const customer = await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: pair.erpId! });
      assert.notEqual(customer.phoneNo, '+00 000 INTEGRATION');
      assert.equal(job.modified, 0);
    });

    it("Watermark: the integration user's own changes, left unread, still move the CRM watermark to the end of the feed", async () => {
      const pair = await phoneChangedByIntegrationUser('+00 000 WATERMARK');
      const newest = await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: pair.crmId! });
      await runSync('CUSTOMER');
      const mapping = await gateway.stores.integration.getRepository(TableMapping).findOneByOrFail({ name: 'CUSTOMER' });
      assert.ok(mapping.crmSyncedUntil!.getTime() >= newest.modifiedAt.getTime(), 'the next run does not read it again');
    });

    it('Conflicts: a pair changed on both sides is reported and nothing is overwritten (policy NONE)', async () => {
      const conflicts = await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CUSTOMER', lastResult: 'CONFLICT' as never });
      assert.ok(conflicts.length > 0 && jobs.CUSTOMER!.conflicts >= conflicts.length);
      const listed = await gateway.request(CustomersPageDocument, { first: 1000, filter: { syncState: 'CONFLICT' } });
      const nodes = listed.data!.customers.edges.map((edge) => edge.node);
      assert.ok(nodes.length >= conflicts.length);
      assert.ok(
        nodes.some((node) => node.erp!.phoneNo !== node.crm!.telephone1),
        'both edits are still there',
      );
    });

    it('Conflicts: ERP_WINS resolves a conflict by writing the ERP side to the CRM', async () => {
      const before = await gateway.request(CustomersPageDocument, { first: 1000, filter: { syncState: 'CONFLICT' } });
      const conflicted = before.data!.customers.edges.map((edge) => edge.node);
      await gateway.request(UpdateTableMappingDocument, { name: 'CUSTOMER', input: { updateConflictResolution: 'ERP_WINS' } }, gateway.tokens.admin);
      const job = await runSync('CUSTOMER', 'FULL');
      assert.ok(job.modified >= conflicted.length);
      for (const node of conflicted) {
        const account = await gateway.stores.crm.getRepository(Account).findOneByOrFail({ id: node.crm!.id });
        assert.equal(account.telephone1, node.erp!.phoneNo);
        assert.equal((await link('CUSTOMER', { crmId: node.crm!.id }))!.lastResult, 'SUCCESS');
      }
      const after = await gateway.request(CustomersPageDocument, { first: 1000, filter: { syncState: 'CONFLICT' } });
      assert.equal(after.data!.customers.edges.length, 0);
    });

    it('Idempotency: running a synchronisation again changes nothing', async () => {
      for (const mapping of ['CUSTOMER', 'CONTACT', 'ITEM-PRODUCT']) {
        for (const mode of ['INCREMENTAL', 'FULL'] as const) {
          const job = await runSync(mapping, mode);
          assert.deepEqual([job.inserted, job.modified, job.deleted], [0, 0, 0], `${mapping} ${mode}`);
        }
      }
    });

    it('Watermark overlap: a change stamped exactly at the watermark is picked up', async () => {
      const mapping = await gateway.stores.integration.getRepository(TableMapping).findOneByOrFail({ name: 'CUSTOMER' });
      const pair = (await gateway.stores.integration.getRepository(IntegrationRecord).findBy({ mappingName: 'CUSTOMER', lastResult: 'SUCCESS' as never })).find(
        (l) => l.erpId && l.crmId,
      )!;
      const user = await gateway.stores.crm.getRepository(SystemUser).findOneByOrFail({ isIntegrationUser: false, isDisabled: false });
      await gateway.stores.crm.query(`UPDATE crm.account SET telephone1 = '+11 111 WATERMARK', modified_by = $2, modified_at = $3 WHERE id = $1`, [
        pair.crmId,
        user.id,
        mapping.crmSyncedUntil,
      ]);
      const job = await runSync('CUSTOMER');
      assert.equal(job.modified, 1);
      assert.equal((await gateway.stores.erp.getRepository(Customer).findOneByOrFail({ systemId: pair.erpId! })).phoneNo, '+11 111 WATERMARK');
    });
  });
}
