import { Account, AccountRelationshipType, AccountState } from '../../entities/crm/account.entity';
import { AccountOptionSet } from '../../entities/crm/option-set-value.entity';
import { SalesOrderState } from '../../entities/crm/sales-order.entity';
import { Customer, CustomerBlocked } from '../../entities/erp/customer.entity';
import { type ChunkContext, CrmPresence, type CustomerPair, mailAddress } from './chunk-context';
import { driftApart, rollSyncCase, syncedToCrm } from './couplings';
import { addCrmOnlyContact, buildCustomerContacts } from './customer-contacts';
import { addCrmOnlyOpportunity, buildCrmOrder, buildOpportunities, buildPostedInvoices, type CrmOrderOptions } from './customer-documents';
import { DemoSyncCase } from './demo-summary';
import type { CurrencyRef, OptionCodeRef } from './reference-data';
import { ERP_DEMO_USER, type SalespersonRef } from './sales-team';

/** Customers generated and written together, with everything that hangs off them. */
export const CUSTOMER_CHUNK_SIZE = 2_000;
const YIELD_EVERY = 100;

type DriftField = 'phoneNo' | 'email' | 'address';

type CustomerDraft = Omit<CustomerPair, 'account'>;

const crmFieldOf = { phoneNo: 'telephone1', email: 'emailAddress1', address: 'address1Line1' } as const;

/**
 * What the first coupled customers of the first chunk show, so even a tiny demo has every case:
 * a submitted order with a long write-in line, a pending phone change, a conflict, an open order.
 */
interface Showcase {
  readonly syncCase?: DemoSyncCase;
  readonly order?: CrmOrderOptions;
}

const showcases: readonly Showcase[] = [
  { order: { state: SalesOrderState.SUBMITTED, withLongWriteIn: true } },
  { syncCase: DemoSyncCase.CRM_CHANGED, order: { state: SalesOrderState.ACTIVE, withLongWriteIn: false } },
  { syncCase: DemoSyncCase.BOTH_CHANGED },
];

/**
 * Customers [first, first + count) on both sides: about 70 % coupled to accounts, 15 % ERP-only
 * and 15 % entered in the CRM too but never coupled; plus CRM-only accounts for about 15 % of the
 * count, and CRM contacts that belong to no account. Yields every hundred customers.
 */
export function* buildCustomerChunk(ctx: ChunkContext, first: number, count: number): Generator<void, void, void> {
  const { random } = ctx;
  const coupledAccounts: Account[] = [];
  const orderProbability = Math.min(1, Math.max(0.02, 8 / ctx.customers));
  for (let index = first; index < first + count; index += 1) {
    // Pausing now and then lets the previous chunk's INSERTs progress while this one is generated.
    if ((index - first) % YIELD_EVERY === YIELD_EVERY - 1) yield;
    const presence = random.weighted([
      [CrmPresence.COUPLED, 70],
      [CrmPresence.ERP_ONLY, 15],
      [CrmPresence.UNCOUPLED_TWIN, 15],
    ] as const);
    const showcase = first === 0 && presence === CrmPresence.COUPLED ? showcases[coupledAccounts.length] : undefined;
    const pair = buildCustomer(ctx, index, presence, showcase);
    const contacts = buildCustomerContacts(ctx, pair);
    buildOpportunities(ctx, pair, contacts);
    buildPostedInvoices(ctx, pair);
    if (presence !== CrmPresence.COUPLED || !pair.account) continue;
    coupledAccounts.push(pair.account);
    const order = showcase?.order ?? (random.chance(orderProbability) ? randomOrder(ctx) : null);
    if (order) buildCrmOrder(ctx, pair, order);
    if (random.chance(0.05)) {
      const contactId = contacts.persons.find((person) => person.coupledCrmId)?.coupledCrmId ?? null;
      addCrmOnlyOpportunity(ctx, `crm/${pair.customer.no}`, pair.account.id, contactId, pair.ownerId);
    }
  }
  const crmOnlyAccounts = Math.round(count * 0.15);
  for (let offset = 0; offset < crmOnlyAccounts; offset += 1) buildCrmOnlyAccount(ctx, `crm-only/${first + offset}`, coupledAccounts);
  const unattachedContacts = Math.round(count * 0.02);
  for (let offset = 0; offset < unattachedContacts; offset += 1) {
    addCrmOnlyContact(ctx, `unattached/${first + offset}`, null, random.pick(ctx.team.crmUserIds), 'mail.example');
  }
}

function randomOrder(ctx: ChunkContext): CrmOrderOptions {
  return { state: ctx.random.chance(0.6) ? SalesOrderState.SUBMITTED : SalesOrderState.ACTIVE, withLongWriteIn: false };
}

function buildCustomer(ctx: ChunkContext, index: number, presence: CrmPresence, showcase: Showcase | undefined): CustomerPair {
  const { random, ids, numbers, reference, team } = ctx;
  const { faker } = random;
  const salesperson = pickSalesperson(ctx, presence);
  const currency =
    presence === CrmPresence.ERP_ONLY && random.chance(0.1)
      ? random.pick(reference.currencies.withoutIso)
      : random.weighted<CurrencyRef | null>([[null, 75], ...reference.currencies.iso.map((c) => [c, 5] as const)]);
  const paymentTerms = random.chance(0.95) ? random.pick(reference.paymentTerms) : null;
  const name = faker.company.name().slice(0, 100);
  const mailDomain = `${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'company'
  }.example`;
  const no = numbers.customer(index);
  const customer: Customer = {
    systemId: ids.of('erp.customer', no),
    no,
    name,
    address: faker.location.streetAddress(),
    city: faker.location.city().slice(0, 30),
    postCode: faker.location.zipCode(),
    // Business Central leaves the country blank for domestic customers.
    countryRegionCode: currency && currency.countries.length > 0 ? random.pick(currency.countries) : null,
    phoneNo: faker.phone.number({ style: 'national' }),
    email: mailAddress(random.pick(['info', 'sales', 'office', 'orders', 'contact']), mailDomain),
    salespersonCode: salesperson?.code ?? null,
    currencyCode: currency?.code ?? null,
    customerPriceGroup: random.weighted([
      [null, 30],
      ['RETAIL', 30],
      ['WHOLESALE', 20],
      ['EXPORT', currency ? 40 : 0],
      ['VIP', 5],
    ] as const),
    paymentTermsCode: paymentTerms?.code ?? null,
    shipmentMethodCode: random.chance(0.9) ? random.pick(reference.shipmentMethods).code : null,
    shippingAgentCode: random.chance(0.9) ? random.pick(reference.shippingAgents).code : null,
    creditLimitLcy: random.pick([0, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000]),
    blocked: random.weighted([
      [CustomerBlocked.NONE, 97],
      [CustomerBlocked.SHIP, 1],
      [CustomerBlocked.INVOICE, 1],
      [CustomerBlocked.ALL, 1],
    ] as const),
    modifiedAt: random.daysBeforeBase(30, 720),
    modifiedBy: ERP_DEMO_USER,
  };
  ctx.erp.add(Customer, customer);

  const ownerId = salesperson?.crmUserId ?? random.pick(team.crmUserIds);
  const priceGroup = reference.priceGroups.find((group) => group.code === customer.customerPriceGroup);
  const draft: CustomerDraft = {
    index,
    customer,
    presence,
    ownerId,
    currency,
    paymentTerms,
    priceLevelId: priceGroup?.priceLevelId ?? reference.defaultPriceLevelId,
    mailDomain,
  };
  const account = presence === CrmPresence.COUPLED ? coupleAccount(ctx, draft, showcase) : presence === CrmPresence.UNCOUPLED_TWIN ? twinAccount(ctx, draft) : null;
  return { ...draft, account };
}

/** Coupled customers always have a coupled salesperson; ERP-only ones often have an ERP-only one (why they are not coupled). */
function pickSalesperson(ctx: ChunkContext, presence: CrmPresence): SalespersonRef | null {
  const { random, team } = ctx;
  if (presence !== CrmPresence.ERP_ONLY) return random.pick(team.coupledSalespeople);
  const roll = random.faker.number.float();
  if (roll < 0.4) return random.pick(team.erpOnlySalespeople);
  if (roll < 0.5) return null;
  return random.pick(team.coupledSalespeople);
}

/** The account the customer sync made, possibly edited since in the CRM (and in the ERP). */
function coupleAccount(ctx: ChunkContext, pair: CustomerDraft, showcase: Showcase | undefined): Account {
  const { random, reference, team } = ctx;
  const { customer } = pair;
  const syncCase = showcase?.syncCase ?? rollSyncCase(random);
  let times = syncedToCrm(random, customer.modifiedAt);
  const account = mirroredAccount(ctx, pair, customer.no);
  account.modifiedAt = times.crmModifiedAt;
  account.modifiedBy = team.integrationUserId;
  account.paymentTermsCode = optionValue(reference.paymentTerms, customer.paymentTermsCode);
  account.address1FreightTermsCode = optionValue(reference.shipmentMethods, customer.shipmentMethodCode);
  account.address1ShippingMethodCode = optionValue(reference.shippingAgents, customer.shippingAgentCode);
  account.creditLimit = customer.creditLimitLcy;
  const field: DriftField = showcase?.syncCase ? 'phoneNo' : random.pick(['phoneNo', 'email', 'address'] as const);
  times = driftApart(random, syncCase, times, {
    erp: customer,
    crm: account,
    crmEditorId: pair.ownerId,
    changeErp: () => {
      customer[field] = newFieldValue(ctx, field, pair.mailDomain, 'billing');
    },
    changeCrm: () => {
      account[crmFieldOf[field]] = newFieldValue(ctx, field, pair.mailDomain, 'accounts');
    },
  });
  ctx.crm.add(Account, account);
  ctx.coupler.couple('CUSTOMER', { id: customer.systemId, record: customer }, { id: account.id, record: account }, times, syncCase);
  return account;
}

function newFieldValue(ctx: ChunkContext, field: DriftField, mailDomain: string, mailbox: string): string {
  const { faker } = ctx.random;
  if (field === 'phoneNo') return faker.phone.number({ style: 'national' });
  if (field === 'email') return mailAddress(mailbox, mailDomain);
  return faker.location.streetAddress();
}

/** The same company typed into the CRM by a salesperson: same name, address, phone and mail, no account number. */
function twinAccount(ctx: ChunkContext, pair: CustomerDraft): Account {
  const account = mirroredAccount(ctx, pair, null);
  account.modifiedAt = ctx.random.daysBeforeBase(1, 720);
  account.modifiedBy = pair.ownerId;
  ctx.crm.add(Account, account);
  return account;
}

function mirroredAccount(ctx: ChunkContext, pair: CustomerDraft, accountNumber: string | null): Account {
  const { customer } = pair;
  return {
    id: ctx.ids.of('crm.account', customer.no),
    name: customer.name,
    accountNumber,
    customerTypeCode: AccountRelationshipType.CUSTOMER,
    stateCode: AccountState.ACTIVE,
    ownerId: pair.ownerId,
    transactionCurrencyId: pair.currency?.crmId ?? null,
    paymentTermsCode: null,
    address1FreightTermsCode: null,
    address1ShippingMethodCode: null,
    parentAccountId: null,
    telephone1: customer.phoneNo,
    emailAddress1: customer.email,
    address1Line1: customer.address,
    address1City: customer.city,
    address1PostalCode: customer.postCode,
    address1Country: customer.countryRegionCode,
    creditLimit: null,
    modifiedAt: customer.modifiedAt,
    modifiedBy: pair.ownerId,
  };
}

function optionValue(codes: readonly OptionCodeRef[], code: string | null): number | null {
  return codes.find((option) => option.code === code)?.crmValue ?? null;
}

/** An account only the CRM has: a customer not yet in the ERP, an inactive one, or a vendor, partner, prospect… */
function buildCrmOnlyAccount(ctx: ChunkContext, key: string, possibleParents: readonly Account[]): void {
  const { random, reference, team } = ctx;
  const { faker } = random;
  const ownerId = random.pick(team.crmUserIds);
  const name = faker.company.name().slice(0, 160);
  const mailDomain = `${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'company'
  }.example`;
  const relationship = random.weighted([
    [AccountRelationshipType.CUSTOMER, 50],
    [AccountRelationshipType.PROSPECT, 15],
    [AccountRelationshipType.VENDOR, 8],
    [AccountRelationshipType.PARTNER, 8],
    [AccountRelationshipType.SUPPLIER, 5],
    [AccountRelationshipType.RESELLER, 5],
    [AccountRelationshipType.COMPETITOR, 4],
    [AccountRelationshipType.CONSULTANT, 3],
    [AccountRelationshipType.OTHER, 2],
  ] as const);
  const option = (set: AccountOptionSet): number | null => (random.chance(0.6) ? random.pick(reference.crmOptionValues[set]) : null);
  const account: Account = {
    id: ctx.ids.of('crm.account', key),
    name,
    accountNumber: null,
    customerTypeCode: relationship,
    stateCode: random.chance(0.85) ? AccountState.ACTIVE : AccountState.INACTIVE,
    ownerId,
    transactionCurrencyId: random.chance(0.15) ? random.pick(reference.currencies.iso).crmId : null,
    paymentTermsCode: option(AccountOptionSet.PAYMENT_TERMS),
    address1FreightTermsCode: option(AccountOptionSet.FREIGHT_TERMS),
    address1ShippingMethodCode: option(AccountOptionSet.SHIPPING_METHOD),
    parentAccountId: possibleParents.length > 0 && random.chance(0.05) ? random.pick(possibleParents).id : null,
    telephone1: faker.phone.number({ style: 'national' }),
    emailAddress1: mailAddress('info', mailDomain),
    address1Line1: faker.location.streetAddress(),
    address1City: faker.location.city(),
    address1PostalCode: faker.location.zipCode(),
    address1Country: null,
    creditLimit: random.chance(0.3) ? random.pick([5_000, 20_000, 50_000]) : null,
    modifiedAt: random.daysBeforeBase(1, 720),
    modifiedBy: ownerId,
  };
  ctx.crm.add(Account, account);
  const contactCount = random.weighted([
    [0, 40],
    [1, 40],
    [2, 20],
  ] as const);
  let firstContactId: string | null = null;
  for (let sequence = 1; sequence <= contactCount; sequence += 1) {
    const contactId = addCrmOnlyContact(ctx, `${key}/${sequence}`, account.id, ownerId, mailDomain);
    firstContactId ??= contactId;
  }
  const sellsTo = relationship === AccountRelationshipType.CUSTOMER || relationship === AccountRelationshipType.PROSPECT;
  if (sellsTo && random.chance(0.3)) addCrmOnlyOpportunity(ctx, key, account.id, firstContactId, ownerId);
}
