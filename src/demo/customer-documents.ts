import { Invoice, InvoiceState } from '../../entities/crm/invoice.entity';
import { InvoiceDetail } from '../../entities/crm/invoice-detail.entity';
import { Opportunity as CrmOpportunity, OpportunityState } from '../../entities/crm/opportunity.entity';
import { SalesOrder, SalesOrderState } from '../../entities/crm/sales-order.entity';
import { SalesOrderDetail } from '../../entities/crm/sales-order-detail.entity';
import { Opportunity as ErpOpportunity, OpportunityStatus } from '../../entities/erp/opportunity.entity';
import { SalesInvoiceHeader } from '../../entities/erp/sales-invoice-header.entity';
import { SalesInvoiceLine } from '../../entities/erp/sales-invoice-line.entity';
import { SalesLineType } from '../../entities/erp/sales-line.entity';
import type { Sellable } from './catalog';
import { type ChunkContext, CrmPresence, type CustomerPair } from './chunk-context';
import { syncedToCrm } from './couplings';
import type { CustomerContacts } from './customer-contacts';
import { addDays, DEMO_BASE_DATE, isoDate, roundAmount } from './random-company';
import { ERP_DEMO_USER } from './sales-team';

const VAT_RATE = 0.2;

const opportunityTopics = ['Renewal', 'Expansion', 'New project', 'Upgrade', 'Pilot', 'Framework agreement', 'Replacement'];
const invoiceComments = ['Delivered in two shipments', 'Thank you for your order', 'Prices as agreed in the framework contract', 'Partial delivery, rest follows'];
const shortWriteIns = ['Custom engraving', 'Express delivery surcharge', 'Gift wrapping', 'Extended warranty (2 years)', 'Site survey'];

const crmStateOf: Record<OpportunityStatus, OpportunityState> = {
  [OpportunityStatus.NOT_STARTED]: OpportunityState.OPEN,
  [OpportunityStatus.IN_PROGRESS]: OpportunityState.OPEN,
  [OpportunityStatus.WON]: OpportunityState.WON,
  [OpportunityStatus.LOST]: OpportunityState.LOST,
};

/** None to two ERP opportunities; those of coupled customers with a coupled contact are mostly coupled. */
export function buildOpportunities(ctx: ChunkContext, pair: CustomerPair, contacts: CustomerContacts): void {
  const { random, ids, numbers, erp, crm, team } = ctx;
  const count = random.weighted([
    [0, 50],
    [1, 35],
    [2, 15],
  ] as const);
  for (let sequence = 1; sequence <= count; sequence += 1) {
    const person = random.pick(contacts.persons);
    const status = random.weighted([
      [OpportunityStatus.NOT_STARTED, 25],
      [OpportunityStatus.IN_PROGRESS, 45],
      [OpportunityStatus.WON, 20],
      [OpportunityStatus.LOST, 10],
    ] as const);
    const no = numbers.opportunity(pair.index, sequence);
    const opportunity: ErpOpportunity = {
      systemId: ids.of('erp.opportunity', no),
      no,
      description: `${random.pick(opportunityTopics)}: ${random.faker.commerce.productName()}`,
      contactNo: person.erp.no,
      contactCompanyNo: contacts.companyNo,
      customerNo: pair.customer.no,
      salespersonCode: pair.customer.salespersonCode,
      status,
      estimatedValueLcy: random.int(10, 2000) * 100,
      estimatedClosingDate: isoDate(random.daysBeforeBase(-180, 200)),
      probabilityPct: status === OpportunityStatus.WON ? 100 : status === OpportunityStatus.LOST ? 0 : random.int(1, 9) * 10,
      modifiedAt: random.daysBeforeBase(30, 400),
      modifiedBy: ERP_DEMO_USER,
    };
    erp.add(ErpOpportunity, opportunity);
    if (pair.presence !== CrmPresence.COUPLED || !pair.account || person.coupledCrmId === null || !random.chance(0.9)) continue;
    const times = syncedToCrm(random, opportunity.modifiedAt);
    const crmOpportunity: CrmOpportunity = {
      id: ids.of('crm.opportunity', no),
      name: opportunity.description,
      parentAccountId: pair.account.id,
      parentContactId: person.coupledCrmId,
      ownerId: pair.ownerId,
      transactionCurrencyId: null,
      estimatedValue: opportunity.estimatedValueLcy,
      estimatedCloseDate: opportunity.estimatedClosingDate,
      closeProbability: opportunity.probabilityPct,
      stateCode: crmStateOf[status],
      modifiedAt: times.crmModifiedAt,
      modifiedBy: team.integrationUserId,
    };
    crm.add(CrmOpportunity, crmOpportunity);
    ctx.coupler.couple('OPPORTUNITY', { id: opportunity.systemId, record: opportunity }, { id: crmOpportunity.id, record: crmOpportunity }, times);
  }
}

/** An opportunity a salesperson entered in the CRM and that is not in the ERP. */
export function addCrmOnlyOpportunity(ctx: ChunkContext, key: string, accountId: string, contactId: string | null, ownerId: string): void {
  const { random } = ctx;
  const state = random.weighted([
    [OpportunityState.OPEN, 70],
    [OpportunityState.WON, 15],
    [OpportunityState.LOST, 15],
  ] as const);
  ctx.crm.add(CrmOpportunity, {
    id: ctx.ids.of('crm.opportunity', key),
    name: `${random.pick(opportunityTopics)}: ${random.faker.commerce.productName()}`,
    parentAccountId: accountId,
    parentContactId: contactId,
    ownerId,
    transactionCurrencyId: null,
    estimatedValue: random.int(10, 2000) * 100,
    estimatedCloseDate: isoDate(random.daysBeforeBase(-180, 200)),
    closeProbability: state === OpportunityState.WON ? 100 : state === OpportunityState.LOST ? 0 : random.int(1, 9) * 10,
    stateCode: state,
    modifiedAt: random.daysBeforeBase(1, 300),
    modifiedBy: ownerId,
  });
}

/** For about half the customers, one to three posted invoices; those of coupled customers are mostly in the CRM. */
export function buildPostedInvoices(ctx: ChunkContext, pair: CustomerPair): void {
  const { random } = ctx;
  if (!random.chance(0.5)) return;
  const count = random.weighted([
    [1, 60],
    [2, 30],
    [3, 10],
  ] as const);
  for (let sequence = 1; sequence <= count; sequence += 1) buildPostedInvoice(ctx, pair, sequence);
}

function buildPostedInvoice(ctx: ChunkContext, pair: CustomerPair, sequence: number): void {
  const { random, ids, numbers, catalog, erp } = ctx;
  const { customer, currency } = pair;
  const no = numbers.postedInvoice(pair.index, sequence);
  const postingDate = random.daysBeforeBase(31, 700);
  const modifiedAt = random.secondsAfter(postingDate, 600, 36_000);
  const rate = currency?.exchangeRate ?? 1;

  const lines: { line: SalesInvoiceLine; sold: Sellable | null }[] = [];
  const lineCount = random.int(1, 5);
  for (let position = 1; position <= lineCount; position += 1) {
    const type =
      position === 1
        ? random.weighted([
            [SalesLineType.ITEM, 85],
            [SalesLineType.RESOURCE, 15],
          ] as const)
        : random.weighted([
            [SalesLineType.ITEM, 75],
            [SalesLineType.RESOURCE, 15],
            [SalesLineType.COMMENT, 10],
          ] as const);
    const lineNo = position * 10_000;
    const sold = type === SalesLineType.COMMENT ? null : random.pick(type === SalesLineType.ITEM ? catalog.items : catalog.resources);
    const quantity = sold ? random.int(1, type === SalesLineType.ITEM ? 50 : 40) : 0;
    const unitPrice = sold ? roundAmount(sold.unitPrice * rate) : 0;
    const line: SalesInvoiceLine = {
      systemId: ids.of('erp.sales_invoice_line', `${no}/${lineNo}`),
      documentNo: no,
      lineNo,
      type,
      no: sold?.no ?? null,
      description: sold?.description ?? random.pick(invoiceComments),
      quantity,
      unitPrice,
      lineAmount: roundAmount(quantity * unitPrice),
      unitOfMeasureCode: sold?.unitCode ?? null,
      modifiedAt,
      modifiedBy: ERP_DEMO_USER,
    };
    erp.add(SalesInvoiceLine, line);
    lines.push({ line, sold });
  }
  const amount = roundAmount(lines.reduce((sum, { line }) => sum + line.lineAmount, 0));
  const header: SalesInvoiceHeader = {
    systemId: ids.of('erp.sales_invoice_header', no),
    no,
    sellToCustomerNo: customer.no,
    billToCustomerNo: customer.no,
    postingDate: isoDate(postingDate),
    dueDate: pair.paymentTerms ? isoDate(pair.paymentTerms.dueDate(postingDate)) : null,
    currencyCode: customer.currencyCode,
    salespersonCode: customer.salespersonCode,
    externalDocumentNo: random.chance(0.4) ? `PO-${random.int(10_000, 99_999)}` : null,
    yourReference: random.chance(0.3) ? random.faker.person.lastName().slice(0, 35) : null,
    amount,
    amountIncludingVat: roundAmount(amount * (1 + VAT_RATE)),
    modifiedAt,
    modifiedBy: ERP_DEMO_USER,
  };
  erp.add(SalesInvoiceHeader, header);

  if (pair.presence !== CrmPresence.COUPLED || !pair.account || !random.chance(0.96)) return;
  const times = syncedToCrm(random, header.modifiedAt);
  const invoice: Invoice = {
    id: ids.of('crm.invoice', no),
    invoiceNumber: no,
    name: no,
    customerId: pair.account.id,
    ownerId: pair.ownerId,
    transactionCurrencyId: currency?.crmId ?? null,
    priceLevelId: pair.priceLevelId,
    totalAmount: header.amountIncludingVat,
    totalLineItemAmount: header.amount,
    dateDelivered: header.postingDate,
    dueDate: header.dueDate,
    stateCode: postingDate.getTime() < addDays(DEMO_BASE_DATE, -90).getTime() ? InvoiceState.PAID : InvoiceState.ACTIVE,
    modifiedAt: times.crmModifiedAt,
    modifiedBy: ctx.team.integrationUserId,
  };
  ctx.crm.add(Invoice, invoice);
  ctx.coupler.couple('POSTEDSALESINV-INV', { id: header.systemId, record: header }, { id: invoice.id, record: invoice }, times);
  for (const { line, sold } of lines) {
    const detail: InvoiceDetail = {
      id: ids.of('crm.invoice_detail', `${no}/${line.lineNo}`),
      invoiceId: invoice.id,
      lineItemNumber: line.lineNo,
      productId: sold?.productId ?? null,
      unitId: sold?.unitId ?? null,
      isProductOverridden: !sold?.productId,
      productDescription: line.description,
      quantity: line.quantity,
      pricePerUnit: line.unitPrice,
      extendedAmount: line.lineAmount,
      modifiedAt: times.crmModifiedAt,
      modifiedBy: ctx.team.integrationUserId,
    };
    ctx.crm.add(InvoiceDetail, detail);
    ctx.coupler.couple('POSTEDSALESLINE-INV', { id: line.systemId, record: line }, { id: detail.id, record: detail }, times);
  }
}

export interface CrmOrderOptions {
  readonly state: SalesOrderState;
  /** Ends the order with a write-in line whose description is longer than an ERP line's 100 characters. */
  readonly withLongWriteIn: boolean;
}

/** A CRM sales order of a coupled account, submitted or still being worked on, with catalogue and write-in lines. */
export function buildCrmOrder(ctx: ChunkContext, pair: CustomerPair, options: CrmOrderOptions): void {
  const { random, ids, numbers, catalog, crm } = ctx;
  if (!pair.account) return;
  const orderNumber = numbers.crmOrder(pair.index);
  const orderId = ids.of('crm.sales_order', orderNumber);
  const modifiedAt = random.daysBeforeBase(0.1, 20);
  const rate = pair.currency?.exchangeRate ?? 1;
  const lineCount = random.int(1, 4);
  let totalAmount = 0;
  for (let lineItemNumber = 1; lineItemNumber <= lineCount; lineItemNumber += 1) {
    const isLast = lineItemNumber === lineCount;
    const writeIn = (options.withLongWriteIn && isLast) || catalog.coupledItems.length === 0 || random.chance(0.25);
    const product = writeIn ? null : random.pick(catalog.coupledItems);
    const quantity = random.int(1, 20);
    const pricePerUnit = product ? roundAmount(product.unitPrice * rate) : random.amount(20, 500);
    const extendedAmount = roundAmount(quantity * pricePerUnit);
    totalAmount += extendedAmount;
    const longDescription = (options.withLongWriteIn && isLast) || random.chance(0.2);
    crm.add(SalesOrderDetail, {
      id: ids.of('crm.sales_order_detail', `${orderNumber}/${lineItemNumber}`),
      salesOrderId: orderId,
      lineItemNumber,
      productId: product?.productId ?? null,
      unitId: product?.unitId ?? null,
      isProductOverridden: product === null,
      productDescription: product ? null : longDescription ? longWriteInDescription(ctx) : random.pick(shortWriteIns),
      quantity,
      pricePerUnit,
      extendedAmount,
      modifiedAt,
      modifiedBy: pair.ownerId,
    });
  }
  const name = random.weighted([
    [`PO ${random.int(10_000, 99_999)}`, 70],
    [`Web order ${random.int(100_000, 999_999)}`, 20],
    // Longer than the ERP's 35-character External Document No.
    [`Framework agreement 2026, call-off ${random.int(1, 40)} for ${pair.customer.name}`, 10],
  ] as const);
  crm.add(SalesOrder, {
    id: orderId,
    orderNumber,
    name,
    customerId: pair.account.id,
    ownerId: pair.ownerId,
    transactionCurrencyId: pair.currency?.crmId ?? null,
    priceLevelId: pair.priceLevelId,
    totalAmount: roundAmount(totalAmount),
    requestDeliveryBy: isoDate(addDays(DEMO_BASE_DATE, random.int(7, 60))),
    stateCode: options.state,
    submittedAt: options.state === SalesOrderState.SUBMITTED ? modifiedAt : null,
    // Dataverse copies the account's terms onto a new order.
    paymentTermsCode: pair.account.paymentTermsCode,
    freightTermsCode: pair.account.address1FreightTermsCode,
    shippingMethodCode: pair.account.address1ShippingMethodCode,
    lastBackofficeSubmit: null,
    modifiedAt,
    modifiedBy: pair.ownerId,
  });
}

function longWriteInDescription(ctx: ChunkContext): string {
  const { faker } = ctx.random;
  let description = `Custom-built ${faker.commerce.productName()} to the customer's drawing`;
  while (description.length <= 120) description += `, ${faker.company.catchPhrase().toLowerCase()}`;
  return `${description}; delivered and installed on site.`;
}
