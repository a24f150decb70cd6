import { registerEnumType } from 'type-graphql';
import { Currency } from '../../entities/erp/currency.entity';
import type { Customer } from '../../entities/erp/customer.entity';
import type { Item } from '../../entities/erp/item.entity';
import type { Resource } from '../../entities/erp/resource.entity';
import { SalesPrice, SalesType } from '../../entities/erp/sales-price.entity';
import { badInput, notFound } from '../errors/domain-error';
import type { RequestReads } from '../unify/request-reads';

export enum PriceSource {
  /** A Sales Price line: the customer's, its price group's or all customers'. */
  SALES_PRICE = 'SALES_PRICE',
  /** No sales price applies: the item's or resource's own unit price. */
  UNIT_PRICE = 'UNIT_PRICE',
}

registerEnumType(PriceSource, { name: 'PriceSource', description: 'Where a computed ERP price comes from.' });

export interface PriceQuery {
  /** A unified Customer id; without one only prices for all customers apply. */
  readonly customerId?: string | null;
  readonly quantity?: number | null;
  /** An ERP currency code; none means the local currency. */
  readonly currencyCode?: string | null;
  /** YYYY-MM-DD; today when left out. */
  readonly date?: string | null;
}

export interface ProductPrice {
  readonly unitPrice: number;
  /** Null for the local currency. */
  readonly currencyCode: string | null;
  readonly source: PriceSource;
  /** The sales price line applied, when one was. */
  readonly salesPrice: SalesPrice | null;
}

interface PriceTerms {
  readonly customer: Customer | null;
  readonly quantity: number;
  readonly currency: Currency | null;
  readonly date: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const round = (amount: number) => Math.round(amount * 100) / 100;

/**
 * The ERP's sales price for a customer, as Business Central computes it for a sales line: of the
 * sales prices valid for the customer (its own, its price group's, all customers'), the quantity
 * and the date, in the asked currency or in local currency converted at the currency's exchange
 * rate, the lowest; the unit price when none applies. Everything is read through the request's
 * loaders, so a list of items with prices costs a constant number of statements.
 */
export class SalesPriceService {
  async itemPrice(ctx: RequestReads, item: Item, query: PriceQuery): Promise<ProductPrice> {
    const [terms, prices] = await Promise.all([this.terms(ctx, query), ctx.loaders.erp.byField<SalesPrice>('sales_price', 'itemNo').load(item.no)]);
    const candidates = prices
      .filter((price) => applies(price, terms, item.baseUnitOfMeasure))
      .map((price) => ({ price, unitPrice: price.currencyCode === null ? convert(price.unitPrice, terms.currency) : price.unitPrice }));
    const best = candidates.reduce<(typeof candidates)[number] | null>(
      (lowest, candidate) => (lowest === null || candidate.unitPrice < lowest.unitPrice ? candidate : lowest),
      null,
    );
    if (best) return { unitPrice: round(best.unitPrice), currencyCode: terms.currency?.code ?? null, source: PriceSource.SALES_PRICE, salesPrice: best.price };
    return unitPriceOf(item, terms);
  }

  /** Sales prices are kept for items only (BC keeps resource prices apart), so a resource sells at its unit price. */
  async resourcePrice(ctx: RequestReads, resource: Resource, query: PriceQuery): Promise<ProductPrice> {
    return unitPriceOf(resource, await this.terms(ctx, query));
  }

  private async terms(ctx: RequestReads, query: PriceQuery): Promise<PriceTerms> {
    const quantity = query.quantity ?? 1;
    if (!Number.isFinite(quantity) || quantity < 0) throw badInput('quantity must be zero or more', { argument: 'quantity' });
    const date = query.date ?? new Date().toISOString().slice(0, 10);
    if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(date))) throw badInput(`"${date}" is not a date (YYYY-MM-DD)`, { argument: 'date' });
    const [customer, currency] = await Promise.all([this.customer(ctx, query.customerId), this.currency(ctx, query.currencyCode)]);
    return { customer, quantity, currency, date };
  }

  private async customer(ctx: RequestReads, id: string | null | undefined): Promise<Customer | null> {
    if (!id) return null;
    const customer = await ctx.records.byId(id, 'Customer');
    if (!customer) throw notFound(`There is no customer ${id}`, { argument: 'customerId' });
    // An account not (yet) in the ERP has no price group there: it pays what all customers pay.
    return customer.erp as Customer | null;
  }

  private async currency(ctx: RequestReads, code: string | null | undefined): Promise<Currency | null> {
    if (!code) return null;
    const currency = await ctx.loaders.erp.oneByField<Currency>('currency', 'code', code);
    if (!currency) throw notFound(`There is no currency ${code} in the ERP`, { argument: 'currencyCode' });
    return currency;
  }
}

function applies(price: SalesPrice, terms: PriceTerms, baseUnit: string): boolean {
  const { customer } = terms;
  const forCustomer =
    price.salesType === SalesType.ALL_CUSTOMERS ||
    (customer !== null && price.salesType === SalesType.CUSTOMER && price.salesCode === customer.no) ||
    (customer?.customerPriceGroup != null && price.salesType === SalesType.CUSTOMER_PRICE_GROUP && price.salesCode === customer.customerPriceGroup);
  return (
    forCustomer &&
    // BC takes prices in the asked currency and local-currency prices (converted) alike.
    (price.currencyCode === null || price.currencyCode === (terms.currency?.code ?? null)) &&
    (price.unitOfMeasureCode === null || price.unitOfMeasureCode === baseUnit) &&
    price.minimumQuantity <= terms.quantity &&
    (price.startingDate === null || price.startingDate <= terms.date) &&
    (price.endingDate === null || price.endingDate >= terms.date)
  );
}

/** Local currency into the asked one: the ERP's exchange rate is units of the currency per unit of local currency. */
function convert(amount: number, currency: Currency | null): number {
  return currency ? amount * currency.exchangeRate : amount;
}

function unitPriceOf(product: Item | Resource, terms: PriceTerms): ProductPrice {
  return { unitPrice: round(convert(product.unitPrice, terms.currency)), currencyCode: terms.currency?.code ?? null, source: PriceSource.UNIT_PRICE, salesPrice: null };
}
